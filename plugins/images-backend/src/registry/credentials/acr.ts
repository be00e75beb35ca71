import {
  AccessToken,
  ClientSecretCredential,
  DefaultAzureCredential,
  TokenCredential,
} from '@azure/identity';
import { InputError } from '@backstage/errors';
import { RegistryError } from '../errors';
import { snippet } from '../errorText';
import { CredentialCache } from './CredentialCache';
import { describeError, isNetworkError, redact } from './errorDetail';
import { RegistryCredentialProvider, RegistryCredentials } from './types';

/** The Microsoft Entra ID scope of Azure Container Registry's data plane. */
const ACR_SCOPE = 'https://containerregistry.azure.net/.default';

/** The user name ACR expects next to a refresh token (what `az acr login --expose-token` prints). */
const REFRESH_TOKEN_USERNAME = '00000000-0000-0000-0000-000000000000';

/** Largest exchange answer read; a refresh token is a few kilobytes. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Options of {@link AcrCredentialProvider}.
 *
 * @public
 */
export interface AcrCredentialProviderOptions {
  /** The registry host (`<name>.azurecr.io`), sent as the exchange's `service`. */
  host: string;
  /** Where the registry's API is reached; the exchange is posted to `<baseUrl>/oauth2/exchange` and nowhere else. */
  baseUrl: string;
  /** Microsoft Entra tenant; also sent to the exchange. */
  tenantId?: string;
  /** App registration (with `clientSecret`) or user-assigned managed identity (without). */
  clientId?: string;
  clientSecret?: string;
  /** A ready credential, used instead of the three fields above (tests inject one). */
  credential?: TokenCredential;
  /** Time limit for the token request and for the exchange, in milliseconds each (default 30000). */
  timeoutMs?: number;
}

/**
 * Azure Container Registry accepts a Microsoft Entra identity through its own token service: an Entra access
 * token for the registry scope is exchanged at `POST /oauth2/exchange` for an ACR refresh token, which then works
 * as the password of the user `00000000-0000-0000-0000-000000000000` (about 3 hours). The Entra token comes from
 * `@azure/identity`: a service principal secret from configuration, else `DefaultAzureCredential` (workload
 * identity, managed identity, environment, Azure CLI).
 *
 * @public
 */
export class AcrCredentialProvider implements RegistryCredentialProvider {
  readonly host: string;
  readonly #exchangeUrl: URL;
  readonly #tenantId?: string;
  readonly #clientSecret?: string;
  readonly #credential: TokenCredential;
  readonly #timeoutMs: number;
  readonly #cache: CredentialCache;

  constructor(options: AcrCredentialProviderOptions) {
    this.host = options.host;
    const base = new URL(options.baseUrl);
    this.#exchangeUrl = new URL(
      `${base.pathname.replace(/\/+$/, '')}/oauth2/exchange`,
      base.origin,
    );
    this.#tenantId = options.tenantId;
    this.#clientSecret = options.clientSecret;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#credential = options.credential ?? createCredential(options);
    this.#cache = new CredentialCache(() => this.#exchange());
  }

  getCredentials(): Promise<RegistryCredentials> {
    return this.#cache.get();
  }

  invalidate(): void {
    this.#cache.invalidate();
  }

  toString(): string {
    return `AcrCredentialProvider(${this.host})`;
  }

  toJSON(): object {
    return { type: 'azure', host: this.host };
  }

  async #exchange(): Promise<RegistryCredentials> {
    const entraToken = await this.#entraToken();
    const secrets = [entraToken.token, this.#clientSecret];
    const form = new URLSearchParams({
      grant_type: 'access_token',
      service: this.host,
      ...(this.#tenantId ? { tenant: this.#tenantId } : {}),
      access_token: entraToken.token,
    });

    let response: Response;
    let text: string;
    try {
      response = await fetch(this.#exchangeUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        // The body carries an Entra token: never let a redirect carry it to another place.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new RegistryError(
        'unreachable',
        this.host,
        `${
          this.host
        } could not be reached to exchange a Microsoft Entra token for a registry token (${describeError(
          error,
          secrets,
        )})`,
      );
    }

    if (!response.ok) {
      throw this.#exchangeError(response.status, text, secrets);
    }
    let refreshToken: unknown;
    try {
      if (text.length > MAX_RESPONSE_BYTES) throw new Error('too large');
      refreshToken = JSON.parse(text)?.refresh_token;
    } catch {
      refreshToken = undefined;
    }
    if (typeof refreshToken !== 'string' || !refreshToken) {
      throw new RegistryError(
        'invalid-response',
        this.host,
        `${this.host} answered the token exchange at ${
          this.#exchangeUrl.pathname
        } without a refresh token (HTTP ${response.status})`,
      );
    }
    const expiresAt = jwtExpiry(refreshToken) ?? entraToken.expiresOnTimestamp;
    return {
      username: REFRESH_TOKEN_USERNAME,
      password: refreshToken,
      ...(Number.isFinite(expiresAt) ? { expiresAt } : {}),
    };
  }

  async #entraToken(): Promise<AccessToken> {
    let token: AccessToken | null;
    try {
      token = await this.#credential.getToken(ACR_SCOPE, {
        abortSignal: AbortSignal.timeout(this.#timeoutMs),
        ...(this.#tenantId ? { tenantId: this.#tenantId } : {}),
      });
    } catch (error) {
      const detail = describeError(error, [this.#clientSecret]);
      if (isNetworkError(error)) {
        throw new RegistryError(
          'unreachable',
          this.host,
          `Microsoft Entra ID could not be reached to get a token for ${this.host} (${detail})`,
        );
      }
      throw new RegistryError(
        'unauthorized',
        this.host,
        `Microsoft Entra ID did not issue a token for ${this.host} (${detail}): check credentials.azure (tenantId, clientId, clientSecret), or the managed identity, workload identity or environment that the Azure SDK's DefaultAzureCredential reads`,
      );
    }
    if (!token?.token) {
      throw new RegistryError(
        'unauthorized',
        this.host,
        `Microsoft Entra ID did not issue a token for ${this.host}: check credentials.azure, or the identity available to the Azure SDK's DefaultAzureCredential`,
      );
    }
    return token;
  }

  #exchangeError(
    status: number,
    body: string,
    secrets: ReadonlyArray<string | undefined>,
  ): RegistryError {
    const reason = acrErrorMessage(body);
    const detail = `HTTP ${status}${
      reason ? `: ${redact(reason, secrets)}` : ''
    }`;
    const where = `the token exchange at ${this.#exchangeUrl.pathname}`;
    if (status === 401 || status === 403) {
      return new RegistryError(
        'unauthorized',
        this.host,
        `${
          this.host
        } refused the Microsoft Entra token at ${where} (${detail}): check that the identity has a role on the registry that allows pulling (AcrPull; AcrPush to promote) and that the registry accepts Microsoft Entra authentication${
          this.#tenantId
            ? ''
            : ' (if the identity belongs to another tenant, set credentials.azure.tenantId)'
        }`,
      );
    }
    if (status === 429) {
      return new RegistryError(
        'rate-limited',
        this.host,
        `${this.host} is rate limiting ${where} (${detail}); try again later`,
      );
    }
    if (status >= 300 && status < 400) {
      return new RegistryError(
        'invalid-response',
        this.host,
        `${this.host} redirected ${where} (${detail}); Berth sends Microsoft Entra tokens only to the registry itself`,
      );
    }
    return new RegistryError(
      'failed',
      this.host,
      `${this.host} failed ${where} (${detail})`,
    );
  }
}

function createCredential(
  options: AcrCredentialProviderOptions,
): TokenCredential {
  const { host, tenantId, clientId, clientSecret } = options;
  if (clientSecret) {
    if (!tenantId || !clientId) {
      throw new InputError(
        `images.registries: the Azure credentials of ${host} have a clientSecret, which also needs tenantId and clientId`,
      );
    }
    return new ClientSecretCredential(tenantId, clientId, clientSecret);
  }
  return new DefaultAzureCredential({
    ...(tenantId ? { tenantId } : {}),
    ...(clientId
      ? {
          managedIdentityClientId: clientId,
          workloadIdentityClientId: clientId,
        }
      : {}),
  });
}

/** The `exp` claim of a JWT, in epoch milliseconds, or undefined when the token is not a readable JWT. */
function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = JSON.parse(
      Buffer.from(payload, 'base64url').toString('utf8'),
    )?.exp;
    return typeof exp === 'number' && Number.isFinite(exp)
      ? exp * 1000
      : undefined;
  } catch {
    return undefined;
  }
}

/** The message of ACR's error answer `{"errors":[{"code":..,"message":..}]}`, if it is one. */
function acrErrorMessage(body: string): string | undefined {
  try {
    const error = JSON.parse(body)?.errors?.[0];
    if (!error) return undefined;
    const text = [error.code, error.message]
      .filter(part => typeof part === 'string' && part)
      .join(': ');
    return text ? snippet(text) : undefined;
  } catch {
    return undefined;
  }
}
