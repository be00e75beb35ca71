import { RegistryCredentialProvider, RegistryCredentials } from './types';

/**
 * Credentials written in configuration: a user name and password or access token (GHCR user and classic PAT,
 * Quay robot `org+name` or `$oauthtoken`, Harbor robot `robot$name`, Docker Hub user and PAT), or
 * DigitalOcean's API token, which DOCR takes as both user name and password. They never expire, so there is
 * nothing to cache or renew; the fields are private so that logging the provider shows no secret.
 *
 * @public
 */
export class StaticCredentialProvider implements RegistryCredentialProvider {
  readonly #username: string;
  readonly #password: string;

  /** A registry token used as both user name and password (DigitalOcean Container Registry). */
  static fromToken(token: string): StaticCredentialProvider {
    return new StaticCredentialProvider({ username: token, password: token });
  }

  constructor(options: { username: string; password: string }) {
    this.#username = options.username;
    this.#password = options.password;
  }

  async getCredentials(): Promise<RegistryCredentials> {
    return { username: this.#username, password: this.#password };
  }

  toString(): string {
    return 'StaticCredentialProvider';
  }

  toJSON(): object {
    return { type: 'static' };
  }
}
