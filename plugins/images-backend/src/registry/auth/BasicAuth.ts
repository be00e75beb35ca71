import { RegistryCredentials } from '../credentials/types';
import { needsCredentialsError, unauthorizedError } from '../responseErrors';
import { RegistryRequest, ResolvedEndpoint } from '../types';

/** The `Authorization` header for a user name and password. */
export function basicAuthorization(
  credentials: Pick<RegistryCredentials, 'username' | 'password'>,
): string {
  return `Basic ${Buffer.from(
    `${credentials.username}:${credentials.password}`,
  ).toString('base64')}`;
}

/**
 * HTTP Basic: the configured credentials on every request to the registry. Refused credentials may have expired
 * (ECR and ACR hand out short-lived ones), so the provider is asked for fresh ones once before Berth gives up.
 */
export class BasicAuth {
  readonly #endpoint: ResolvedEndpoint;

  constructor(endpoint: ResolvedEndpoint) {
    this.#endpoint = endpoint;
  }

  /** The header for the configured credentials; none without credentials. */
  async authorization(): Promise<string | undefined> {
    const credentials = await this.#endpoint.credentials?.getCredentials();
    return credentials && basicAuthorization(credentials);
  }

  /** Answers a Basic challenge to a request that carried `sentAuthorization`, or says why there is no answer. */
  answer(
    request: RegistryRequest,
    sentAuthorization: string | undefined,
  ): void {
    const provider = this.#endpoint.credentials;
    if (!provider) throw needsCredentialsError(this.#endpoint, request);
    if (sentAuthorization?.startsWith('Basic ')) {
      // The credentials we sent were refused: maybe they expired (ECR, ACR). Ask once more.
      if (!provider.invalidate)
        throw unauthorizedError(this.#endpoint, request);
      provider.invalidate();
    }
  }
}
