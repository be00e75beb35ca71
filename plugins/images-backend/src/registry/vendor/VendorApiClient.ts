import type { VendorApi, VendorApiRequest } from '@berth/plugin-images-node';
import { MAX_JSON_BYTES } from '../bodies';
import { RegistryError } from '../errors';
import type { RegistryTransport } from '../RegistryTransport';

/**
 * A registry product's API as providers use it, over the registry's own transport (Quay, Harbor and ACR keep their
 * API on the registry's origin) or over a sibling transport for the product's API origin (`api.github.com`,
 * `hub.docker.com`, `api.digitalocean.com`): the same credentials, time limits, retries, rate-limit budget, redirect
 * policy and error messages as registry requests, and no request to any other origin.
 */
export class VendorApiClient implements VendorApi {
  readonly #registry: RegistryTransport;
  readonly #api: RegistryTransport;
  readonly #background: boolean;

  constructor(options: {
    registry: RegistryTransport;
    /** The transport of the product's API origin; the registry's own when they share it. */
    api: RegistryTransport;
    background?: boolean;
  }) {
    this.#registry = options.registry;
    this.#api = options.api;
    this.#background = options.background ?? false;
  }

  get host(): string {
    return this.#registry.host;
  }

  get apiUrl(): string {
    return this.#api.endpoint.baseUrl;
  }

  get hasCredentials(): boolean {
    return Boolean(
      this.#registry.endpoint.credentials || this.#registry.endpoint.api?.token,
    );
  }

  get hasApiToken(): boolean {
    return Boolean(this.#registry.endpoint.api?.token);
  }

  async username(): Promise<string | undefined> {
    return (await this.#registry.endpoint.credentials?.getCredentials())
      ?.username;
  }

  async credentials(): Promise<
    { username: string; password: string } | undefined
  > {
    const credentials =
      await this.#registry.endpoint.credentials?.getCredentials();
    return credentials?.username && credentials.password
      ? { username: credentials.username, password: credentials.password }
      : undefined;
  }

  async json(
    request: VendorApiRequest,
  ): Promise<{ body: unknown; headers: Headers }> {
    // `registry` auth answers the API origin's challenges with the registry's token flow (ACR's tag API shares the
    // registry's origin, so this is the registry's own transport unless `api.url` points elsewhere).
    const transport = this.#api;
    const body =
      request.body === undefined
        ? undefined
        : Buffer.from(JSON.stringify(request.body));
    const response = await transport.request({
      method: request.method ?? 'GET',
      path: request.path,
      what: request.what,
      repository: request.repository,
      scopes: request.scopes ?? [],
      headers: {
        accept: 'application/json',
        ...(body && { 'content-type': 'application/json' }),
        ...request.headers,
      },
      body,
      // A token exchange (Docker Hub's POST /v2/auth/token) may be sent again.
      idempotent: true,
      background: this.#background,
      ...(request.auth !== 'registry' && { vendorApi: request.auth }),
    });
    return {
      body: await transport.readJson(response, MAX_JSON_BYTES, request.what),
      headers: response.headers,
    };
  }

  invalidResponse(what: string): Error {
    const host = this.#api.host;
    return new RegistryError(
      'invalid-response',
      host,
      `${host} returned ${what} in a shape Berth cannot read`,
    );
  }
}
