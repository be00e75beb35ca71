import {
  ECRClient,
  ECRClientConfig,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';
import { InputError } from '@backstage/errors';
import { RegistryError } from '../errors';
import { CredentialCache } from './CredentialCache';
import { describeError, isNetworkError } from './errorDetail';
import { RegistryCredentialProvider, RegistryCredentials } from './types';

/**
 * Private ECR hosts: `<account>.dkr.ecr.<region>.amazonaws.com`, the China partition (`.amazonaws.com.cn`), the
 * FIPS form (`dkr.ecr-fips`), and the dual-stack forms (`<account>.dkr-ecr[-fips].<region>.on.aws`).
 */
const ECR_HOST =
  /^(\d{12})\.(?:dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|dkr-ecr(?:-fips)?\.([a-z0-9-]+)\.on\.aws)$/;

/** Error names that mean the AWS credentials were refused (unknown, malformed, expired). */
const REFUSED_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'ExpiredTokenException',
  'ExpiredToken',
]);

/** Error names that mean the AWS credentials lack the IAM permission. */
const DENIED_ERRORS = new Set(['AccessDeniedException', 'AccessDenied']);

/**
 * What an error thrown by the AWS SDK says of the call: no AWS credentials were found (`no-credentials`), they were
 * refused (`refused`) or lack the permission (`denied`), AWS could not be reached (`unreachable`), or something
 * else (undefined: read `name` and `status`).
 */
export function awsFailure(error: unknown): {
  kind?: 'no-credentials' | 'refused' | 'denied' | 'unreachable';
  name?: string;
  status?: number;
} {
  const rawName = (error as { name?: unknown })?.name;
  const name = typeof rawName === 'string' ? rawName : undefined;
  const status = (error as { $metadata?: { httpStatusCode?: number } })
    ?.$metadata?.httpStatusCode;
  let kind: 'no-credentials' | 'refused' | 'denied' | 'unreachable' | undefined;
  if (name === 'CredentialsProviderError') kind = 'no-credentials';
  else if (name && DENIED_ERRORS.has(name)) kind = 'denied';
  else if (name && REFUSED_ERRORS.has(name)) kind = 'refused';
  else if (status === 401) kind = 'refused';
  else if (status === 403) kind = 'denied';
  else if (status === undefined && isNetworkError(error)) kind = 'unreachable';
  return { kind, name, status };
}

/**
 * The ECR API with a registry's region and AWS credentials, for calls beside the password exchange
 * (`DescribeImages` lists a repository's tags with their digests, sizes and push times).
 */
export interface EcrApi {
  readonly client: ECRClient;
  readonly region: string;
  /** A short `Name: message` for an error the SDK threw, without the secret key or session token. */
  describeError(error: unknown): string;
}

/**
 * The account and region of a private Amazon ECR host, or undefined for any other host.
 *
 * @public
 */
export function parseEcrHost(
  host: string,
): { account: string; region: string } | undefined {
  const match = ECR_HOST.exec(host.toLowerCase().replace(/:443$/, ''));
  if (!match) return undefined;
  return { account: match[1], region: match[2] ?? match[3] };
}

/**
 * Options of {@link EcrCredentialProvider}.
 *
 * @public
 */
export interface EcrCredentialProviderOptions {
  /** The registry host, named in errors and parsed for the region. */
  host: string;
  /** AWS region of the registry; read from the host when omitted. */
  region?: string;
  /** Static access key; the AWS SDK's default credential chain is used when omitted. */
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** Time limit for one `GetAuthorizationToken` call, in milliseconds (default 30000). */
  timeoutMs?: number;
  /**
   * Further `ECRClient` options, such as an `endpoint`; for tests that point the SDK at a local server. Not
   * read from app configuration.
   */
  clientOptions?: ECRClientConfig;
}

/**
 * Amazon ECR takes no long-lived registry password: `ecr:GetAuthorizationToken` trades AWS credentials for a
 * base64 `AWS:<password>` pair that lasts 12 hours. This provider makes that call through the AWS SDK (static
 * keys from configuration, else the SDK's default chain: environment, shared config, SSO, instance or task
 * role), keeps the password until 5 minutes before it expires, and drops it when the registry refuses it.
 *
 * @public
 */
export class EcrCredentialProvider implements RegistryCredentialProvider {
  readonly host: string;
  readonly region: string;
  readonly #client: ECRClient;
  readonly #secrets: string[];
  readonly #timeoutMs: number;
  readonly #cache: CredentialCache;
  readonly #clientConfig: ECRClientConfig;
  readonly #apis = new Map<string, EcrApi>();

  constructor(options: EcrCredentialProviderOptions) {
    this.host = options.host;
    const region = options.region ?? parseEcrHost(options.host)?.region;
    if (!region) {
      throw new InputError(
        `images.registries: the AWS region of ${options.host} cannot be read from the host; set credentials.aws.region`,
      );
    }
    this.region = region;
    const { accessKeyId, secretAccessKey, sessionToken } = options;
    if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
      throw new InputError(
        `images.registries: the AWS credentials of ${options.host} need both accessKeyId and secretAccessKey, or neither (to use the AWS SDK's default credential chain)`,
      );
    }
    this.#secrets = [secretAccessKey, sessionToken].filter(
      (secret): secret is string => Boolean(secret),
    );
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#clientConfig = {
      region,
      ...(accessKeyId && secretAccessKey
        ? { credentials: { accessKeyId, secretAccessKey, sessionToken } }
        : {}),
      ...options.clientOptions,
    };
    this.#client = new ECRClient(this.#clientConfig);
    this.#cache = new CredentialCache(() => this.#exchange());
  }

  getCredentials(): Promise<RegistryCredentials> {
    return this.#cache.get();
  }

  invalidate(): void {
    this.#cache.invalidate();
  }

  /**
   * The ECR API with this registry's region and AWS credentials (the configured keys, else the SDK's default
   * chain), for calls beside the password exchange. `endpoint` sends them elsewhere than the region's ECR API
   * (`images.registries[].api.url`: a VPC endpoint, a test replay); `maxAttempts` is the registry's. One client per
   * setting, kept, so that the default credential chain is not walked again for every listing.
   *
   * @internal
   */
  api(options: { endpoint?: string; maxAttempts?: number } = {}): EcrApi {
    const key = JSON.stringify([options.endpoint, options.maxAttempts]);
    let api = this.#apis.get(key);
    if (!api) {
      api = {
        client: new ECRClient({
          ...this.#clientConfig,
          ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
          ...(options.maxAttempts !== undefined && {
            maxAttempts: options.maxAttempts,
          }),
        }),
        region: this.region,
        describeError: error => describeError(error, this.#secrets),
      };
      this.#apis.set(key, api);
    }
    return api;
  }

  toString(): string {
    return `EcrCredentialProvider(${this.host})`;
  }

  toJSON(): object {
    return { type: 'ecr', host: this.host, region: this.region };
  }

  async #exchange(): Promise<RegistryCredentials> {
    let response;
    try {
      response = await this.#client.send(new GetAuthorizationTokenCommand({}), {
        abortSignal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw this.#error(error);
    }
    const data = response.authorizationData?.[0];
    const decoded = data?.authorizationToken
      ? Buffer.from(data.authorizationToken, 'base64').toString('utf8')
      : '';
    const colon = decoded.indexOf(':');
    if (colon <= 0 || colon === decoded.length - 1) {
      throw new RegistryError(
        'invalid-response',
        this.host,
        `Amazon ECR (${this.region}) answered GetAuthorizationToken for ${this.host} without a usable authorization token`,
      );
    }
    const expiresAt = data?.expiresAt?.getTime();
    return {
      username: decoded.slice(0, colon),
      password: decoded.slice(colon + 1),
      ...(expiresAt !== undefined && Number.isFinite(expiresAt)
        ? { expiresAt }
        : {}),
    };
  }

  #error(error: unknown): RegistryError {
    const detail = describeError(error, this.#secrets);
    const { kind } = awsFailure(error);
    if (kind === 'no-credentials') {
      return new RegistryError(
        'unauthorized',
        this.host,
        `No AWS credentials were found to get a registry password for ${this.host} (${detail}): configure credentials.aws.accessKeyId and secretAccessKey, or provide credentials to the AWS SDK's default chain (environment, shared config, instance or task role) that are allowed the IAM permission ecr:GetAuthorizationToken`,
      );
    }
    if (kind === 'refused' || kind === 'denied') {
      return new RegistryError(
        'unauthorized',
        this.host,
        `Amazon ECR (${this.region}) refused to issue a registry password for ${this.host} (${detail}): check that the AWS credentials are valid and allowed the IAM permission ecr:GetAuthorizationToken`,
      );
    }
    if (kind === 'unreachable') {
      return new RegistryError(
        'unreachable',
        this.host,
        `Amazon ECR (${this.region}) could not be reached to get a registry password for ${this.host} (${detail})`,
      );
    }
    return new RegistryError(
      'failed',
      this.host,
      `Amazon ECR (${this.region}) failed to issue a registry password for ${this.host} (${detail}); the IAM permission needed is ecr:GetAuthorizationToken`,
    );
  }
}
