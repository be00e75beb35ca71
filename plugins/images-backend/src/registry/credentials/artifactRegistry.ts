import {
  AnyAuthClient,
  GoogleAuth,
  JWT,
  JWTOptions,
} from 'google-auth-library';
import { InputError } from '@backstage/errors';
import { readFile } from 'node:fs/promises';
import { RegistryError } from '../errors';
import { CredentialCache } from './CredentialCache';
import { describeError, isNetworkError } from './errorDetail';
import { RegistryCredentialProvider, RegistryCredentials } from './types';

/** The OAuth scope Artifact Registry's Docker endpoint accepts. */
const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** The user name Artifact Registry expects next to an OAuth access token. */
const ACCESS_TOKEN_USERNAME = 'oauth2accesstoken';

/**
 * Options of {@link ArtifactRegistryCredentialProvider}.
 *
 * @public
 */
export interface ArtifactRegistryCredentialProviderOptions {
  /** The registry host, named in errors. */
  host: string;
  /** Service account e-mail; with `privateKey`, used instead of application default credentials. */
  clientEmail?: string;
  /** The service account's PEM private key (`\n` escapes are accepted). */
  privateKey?: string;
  /** Path of a service account key file (JSON, `"type": "service_account"`). */
  keyFile?: string;
  /** Time limit for one token request, in milliseconds (default 30000). */
  timeoutMs?: number;
  /**
   * The HTTP transport of google-auth-library's auth client (a gaxios `transporter`, or `transporterOptions`);
   * for tests that send the token request to a local server. Not read from app configuration.
   */
  clientOptions?: Pick<JWTOptions, 'transporter' | 'transporterOptions'>;
}

/**
 * Google Artifact Registry takes an OAuth access token as the password of the user `oauth2accesstoken`. Tokens
 * last about an hour, so this provider gets them through google-auth-library (a service account key from
 * configuration or a key file, else application default credentials such as workload identity or the metadata
 * server), keeps each until 5 minutes before it expires, and starts afresh when the registry refuses it.
 *
 * @public
 */
export class ArtifactRegistryCredentialProvider
  implements RegistryCredentialProvider
{
  readonly host: string;
  readonly #clientEmail?: string;
  readonly #privateKey?: string;
  readonly #keyFile?: string;
  readonly #timeoutMs: number;
  readonly #clientOptions?: Pick<
    JWTOptions,
    'transporter' | 'transporterOptions'
  >;
  readonly #cache: CredentialCache;
  #client?: Promise<AnyAuthClient>;
  /** The private key last read from the key file, kept only to scrub it from error messages. */
  #keyFromFile?: string;

  constructor(options: ArtifactRegistryCredentialProviderOptions) {
    this.host = options.host;
    if (Boolean(options.clientEmail) !== Boolean(options.privateKey)) {
      throw new InputError(
        `images.registries: the Google credentials of ${options.host} need both clientEmail and privateKey, or neither`,
      );
    }
    if ((options.privateKey || options.clientEmail) && options.keyFile) {
      throw new InputError(
        `images.registries: the Google credentials of ${options.host} have both a service account key (clientEmail, privateKey) and a keyFile; keep one`,
      );
    }
    this.#clientEmail = options.clientEmail;
    // Keys pasted into YAML or an environment variable often carry literal `\n` escapes.
    this.#privateKey = options.privateKey?.replace(/\\n/g, '\n');
    this.#keyFile = options.keyFile;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#clientOptions = options.clientOptions;
    this.#cache = new CredentialCache(() => this.#exchange());
  }

  getCredentials(): Promise<RegistryCredentials> {
    return this.#cache.get();
  }

  /** Drops the token, and the auth client too, because google-auth-library keeps its own copy of the token. */
  invalidate(): void {
    this.#client = undefined;
    this.#cache.invalidate();
  }

  toString(): string {
    return `ArtifactRegistryCredentialProvider(${this.host})`;
  }

  toJSON(): object {
    return { type: 'google', host: this.host };
  }

  /**
   * A service account key (from configuration or a key file) signs its own JWTs; without one, GoogleAuth finds
   * application default credentials. Key files are read here rather than by GoogleAuth, which deprecated
   * `keyFilename` so that callers check the type of an externally supplied credential file first.
   */
  async #newClient(): Promise<AnyAuthClient> {
    const clientOptions = {
      transporterOptions: { timeout: this.#timeoutMs },
      ...this.#clientOptions,
    };
    let key: { email: string; key: string; keyId?: string } | undefined;
    if (this.#keyFile) {
      key = await readServiceAccountKey(this.#keyFile);
      this.#keyFromFile = key.key;
    } else if (this.#clientEmail && this.#privateKey) {
      key = { email: this.#clientEmail, key: this.#privateKey };
    }
    if (key) {
      return new JWT({
        ...key,
        scopes: [CLOUD_PLATFORM_SCOPE],
        ...clientOptions,
      });
    }
    return new GoogleAuth({
      scopes: [CLOUD_PLATFORM_SCOPE],
      clientOptions,
    }).getClient();
  }

  async #exchange(): Promise<RegistryCredentials> {
    this.#client ??= this.#newClient();
    const pending = this.#client;
    let token: string | null | undefined;
    let expiresAt: number | null | undefined;
    try {
      const client = await pending;
      token = (await client.getAccessToken()).token;
      expiresAt = client.credentials.expiry_date;
    } catch (error) {
      // Start over next time: the key file may have been fixed, or the metadata server may answer.
      if (this.#client === pending) this.#client = undefined;
      throw this.#error(error);
    }
    if (!token) {
      throw new RegistryError(
        'invalid-response',
        this.host,
        `Google answered without an access token for ${this.host}`,
      );
    }
    return {
      username: ACCESS_TOKEN_USERNAME,
      password: token,
      ...(typeof expiresAt === 'number' && Number.isFinite(expiresAt)
        ? { expiresAt }
        : {}),
    };
  }

  #error(error: unknown): RegistryError {
    const detail = describeError(error, [this.#privateKey, this.#keyFromFile]);
    const { status, response } = (error ?? {}) as {
      status?: unknown;
      response?: { status?: unknown };
    };
    const httpStatus = typeof status === 'number' ? status : response?.status;
    let source =
      'the application default credentials (GOOGLE_APPLICATION_CREDENTIALS, workload identity or the metadata server)';
    if (this.#privateKey) {
      source = 'the service account key in credentials.google';
    } else if (this.#keyFile) {
      source = `the key file ${this.#keyFile}`;
    }
    if (httpStatus === undefined && isNetworkError(error)) {
      return new RegistryError(
        'unreachable',
        this.host,
        `Google's token service could not be reached to get an access token for ${this.host} (${detail})`,
      );
    }
    if (typeof httpStatus === 'number' && httpStatus >= 500) {
      return new RegistryError(
        'failed',
        this.host,
        `Google's token service failed to issue an access token for ${this.host} (${detail}); try again later`,
      );
    }
    const unreadableKey =
      httpStatus === undefined && /DECODER|PEM|asn1/i.test(detail);
    return new RegistryError(
      'unauthorized',
      this.host,
      `Google did not issue an access token for ${this.host} (${
        unreadableKey
          ? `the private key is not a readable PEM key: ${detail}`
          : detail
      }): check ${source}, and that the service account may read the repository (roles/artifactregistry.reader; writer to promote)`,
    );
  }
}

/** Reads a service account key file, refusing other credential types (which application default credentials cover). */
async function readServiceAccountKey(
  path: string,
): Promise<{ email: string; key: string; keyId?: string }> {
  let json: {
    type?: unknown;
    client_email?: unknown;
    private_key?: unknown;
    private_key_id?: unknown;
  };
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new Error(
      typeof code === 'string'
        ? `cannot read the key file ${path} (${code})`
        : `the key file ${path} is not JSON`,
    );
  }
  if (
    json?.type !== 'service_account' ||
    typeof json.client_email !== 'string' ||
    typeof json.private_key !== 'string'
  ) {
    throw new Error(
      `the key file ${path} is not a service account key (type service_account with client_email and private_key); for other credential types set GOOGLE_APPLICATION_CREDENTIALS instead`,
    );
  }
  return {
    email: json.client_email,
    key: json.private_key,
    ...(typeof json.private_key_id === 'string'
      ? { keyId: json.private_key_id }
      : {}),
  };
}
