import { unauthorizedError } from '../responseErrors';
import { RegistryRequest, ResolvedEndpoint } from '../types';
import { BasicAuth } from './BasicAuth';
import { BearerAuth, BearerAuthOptions } from './BearerAuth';
import { parseChallenge } from './challenge';

/**
 * How requests to one registry authenticate: anonymously until the registry answers 401, then by the scheme its
 * challenge names, Basic or Bearer. A vendor API beside the registry API gets the configured credentials as Basic.
 */
export class RegistryAuthenticator {
  readonly #endpoint: ResolvedEndpoint;
  readonly #basic: BasicAuth;
  readonly #bearer: BearerAuth;
  #scheme: 'basic' | 'bearer' | undefined;

  constructor(options: BearerAuthOptions) {
    this.#endpoint = options.endpoint;
    this.#basic = new BasicAuth(options.endpoint);
    this.#bearer = new BearerAuth(options);
  }

  /** The `Authorization` header for a request to the registry's origin; none before a challenge. */
  async authorization(request: RegistryRequest): Promise<string | undefined> {
    switch (request.vendorApi) {
      case 'basic':
        return this.#basic.authorization();
      case 'bearer':
        return this.#apiToken();
      case 'none':
        return undefined;
      default:
    }
    switch (this.#scheme) {
      case 'basic':
        return this.#basic.authorization();
      case 'bearer':
        return this.#bearer.authorization(request);
      default:
        return undefined;
    }
  }

  /** The configured API token, or the registry password (a GitHub or DigitalOcean token), as a Bearer token. */
  async #apiToken(): Promise<string | undefined> {
    const token =
      this.#endpoint.api?.token ??
      (await this.#endpoint.credentials?.getCredentials())?.password;
    return token ? `Bearer ${token}` : undefined;
  }

  /**
   * Answers the `WWW-Authenticate` challenge of a 401 to a request that carried `sentAuthorization`, so that the
   * next attempt authenticates as asked; throws when there is nothing more to try.
   */
  async answer(
    header: string | null,
    request: RegistryRequest,
    sentAuthorization: string | undefined,
  ): Promise<void> {
    const challenge = parseChallenge(header);
    if (challenge?.scheme === 'basic') {
      this.#basic.answer(request, sentAuthorization);
      this.#scheme = 'basic';
      return;
    }
    if (challenge?.scheme === 'bearer' && challenge.params.realm) {
      this.#bearer.useRealm(challenge);
      this.#scheme = 'bearer';
      this.#bearer.answer(challenge, request, sentAuthorization);
      return;
    }
    throw unauthorizedError(this.#endpoint, request);
  }
}
