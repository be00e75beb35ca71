import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { DOCKER_HUB_REGISTRY } from '@berth/plugin-images-common';
import { RegistryClient, RegistryEndpoint } from './RegistryClient';

/** Docker Hub's Distribution API lives on another host than the name users write. */
const WELL_KNOWN_API_URLS: Record<string, string> = {
  [DOCKER_HUB_REGISTRY]: 'https://registry-1.docker.io',
};

/**
 * The registries an administrator configured under `images.registries`, and a client for each.
 * A host that is not configured gets no request at all.
 *
 * @public
 */
export class RegistryHosts {
  readonly #endpoints: Map<string, RegistryEndpoint>;
  readonly #clients = new Map<string, RegistryClient>();

  static fromConfig(config: Config): RegistryHosts {
    const endpoints = (
      config.getOptionalConfigArray('images.registries') ?? []
    ).map(readEndpoint);
    return new RegistryHosts(endpoints);
  }

  constructor(endpoints: RegistryEndpoint[]) {
    this.#endpoints = new Map();
    for (const endpoint of endpoints) {
      const host = endpoint.host.toLowerCase();
      if (this.#endpoints.has(host)) {
        throw new InputError(`images.registries lists ${host} twice`);
      }
      this.#endpoints.set(host, { ...endpoint, host });
    }
  }

  /** Configured hosts, as users write them in image names. */
  get hosts(): string[] {
    return [...this.#endpoints.keys()];
  }

  /** The client for a configured host; a clear error for any other. */
  clientFor(host: string): RegistryClient {
    const key = host.toLowerCase();
    const endpoint = this.#endpoints.get(key);
    if (!endpoint) {
      throw new InputError(
        `The registry ${host} is not configured: add it under images.registries in app-config.yaml (Berth sends no request to a registry that is not configured)`,
      );
    }
    let client = this.#clients.get(key);
    if (!client) {
      client = new RegistryClient(endpoint);
      this.#clients.set(key, client);
    }
    return client;
  }
}

function readEndpoint(config: Config): RegistryEndpoint {
  const host = config.getString('host');
  if (!/^[a-z0-9.-]+(:\d+)?$/i.test(host)) {
    throw new InputError(
      `images.registries has an invalid host "${host}": write the host as in image names, such as ghcr.io or localhost:5000`,
    );
  }
  const insecure = config.getOptionalBoolean('insecure') ?? false;
  const endpoint = config.getOptionalString('endpoint');
  let baseUrl =
    endpoint ??
    WELL_KNOWN_API_URLS[host] ??
    `${insecure ? 'http' : 'https'}://${host}`;
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new Error();
    if (url.protocol === 'http:' && !insecure) {
      throw new InputError(
        `images.registries: the endpoint of ${host} uses plain HTTP; set insecure: true to allow it (for local registries only)`,
      );
    }
    baseUrl = url.origin + url.pathname.replace(/\/+$/, '');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(
      `images.registries: the endpoint of ${host} is not an http(s) URL: "${baseUrl}"`,
    );
  }
  return {
    host,
    baseUrl,
    credentials: readCredentials(config.getOptionalConfig('credentials'), host),
    concurrency: config.getOptionalNumber('concurrency'),
    timeoutMs: config.getOptionalNumber('timeoutMs'),
  };
}

function readCredentials(
  config: Config | undefined,
  host: string,
): RegistryEndpoint['credentials'] {
  if (!config) return undefined;
  const token = config.getOptionalString('token');
  const username = config.getOptionalString('username');
  const password = config.getOptionalString('password');
  if (token) {
    // DigitalOcean (and registries like it) take an API token as both user name and password.
    return { username: username ?? token, password: token };
  }
  if (username && password) return { username, password };
  throw new InputError(
    `images.registries: the credentials of ${host} need either a token, or a username and a password`,
  );
}
