import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { RegistryClient } from './RegistryClient';
import { RegistryEndpoint, RegistryLogger } from './RegistryTransport';
import { VendorApiSettings } from './types';
import {
  REGISTRY_FLAVOR_NAMES,
  RegistryFlavorName,
  registryFlavor,
} from './flavors';
import { credentialProviderFromConfig } from './credentials';

/**
 * The registries an administrator configured under `images.registries`, and a client for each.
 * A host that is not configured gets no request at all.
 *
 * @public
 */
export class RegistryHosts {
  readonly #endpoints: Map<string, RegistryEndpoint>;
  readonly #clients = new Map<string, RegistryClient>();

  readonly #logger?: RegistryLogger;

  static fromConfig(config: Config, logger?: RegistryLogger): RegistryHosts {
    const endpoints = (
      config.getOptionalConfigArray('images.registries') ?? []
    ).map(readEndpoint);
    return new RegistryHosts(endpoints, logger);
  }

  constructor(endpoints: RegistryEndpoint[], logger?: RegistryLogger) {
    this.#logger = logger;
    this.#endpoints = new Map();
    for (const endpoint of endpoints) {
      const host = endpoint.host.toLowerCase();
      if (this.#endpoints.has(host)) {
        throw new InputError(`images.registries lists ${host} twice`);
      }
      this.#endpoints.set(host, { ...endpoint, host });
    }
    // A blob redirect may lead to any configured registry, even on a private address; nowhere else private.
    const configuredHosts = [...this.#endpoints.values()].flatMap(
      ({ host, baseUrl }) => [host, new URL(baseUrl).host.toLowerCase()],
    );
    for (const [host, endpoint] of this.#endpoints) {
      this.#endpoints.set(host, { ...endpoint, configuredHosts });
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
      client = RegistryClient.forEndpoint(endpoint, this.#logger);
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
  const flavorName = config.getOptionalString('flavor');
  if (
    flavorName &&
    !REGISTRY_FLAVOR_NAMES.includes(flavorName as RegistryFlavorName)
  ) {
    throw new InputError(
      `images.registries: the flavor of ${host} is "${flavorName}"; use one of ${REGISTRY_FLAVOR_NAMES.join(
        ', ',
      )}`,
    );
  }
  const flavor = registryFlavor(
    host,
    flavorName as RegistryFlavorName | undefined,
  );
  let baseUrl =
    endpoint ?? flavor.apiUrl ?? `${insecure ? 'http' : 'https'}://${host}`;
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
  const authOrigins = (config.getOptionalStringArray('authOrigins') ?? []).map(
    origin => {
      try {
        const url = new URL(origin);
        if (
          url.protocol !== 'https:' &&
          !(insecure && url.protocol === 'http:')
        )
          throw new Error();
        return url.origin;
      } catch {
        throw new InputError(
          `images.registries: authOrigins of ${host} has "${origin}", which is not an https:// origin`,
        );
      }
    },
  );
  return {
    host,
    baseUrl,
    flavor,
    credentials: credentialProviderFromConfig(
      config.getOptionalConfig('credentials'),
      {
        host,
        baseUrl,
        flavor: flavor.name,
      },
    ),
    concurrency: config.getOptionalNumber('concurrency'),
    timeoutMs: config.getOptionalNumber('timeoutMs'),
    maxAttempts: config.getOptionalNumber('maxAttempts'),
    authOrigins,
    api: readApiSettings(config.getOptionalConfig('api'), host, insecure),
  };
}

/** `images.registries[].api`: how Berth uses the product's own API. */
function readApiSettings(
  config: Config | undefined,
  host: string,
  insecure: boolean,
): VendorApiSettings | undefined {
  if (!config) return undefined;
  const listing = config.getOptionalString('listing') ?? 'auto';
  if (listing !== 'auto' && listing !== 'distribution') {
    throw new InputError(
      `images.registries: api.listing of ${host} is "${listing}"; use auto or distribution`,
    );
  }
  const url = config.getOptionalString('url');
  if (url !== undefined) {
    let protocol: string;
    try {
      protocol = new URL(url).protocol;
    } catch {
      protocol = '';
    }
    if (protocol !== 'https:' && !(insecure && protocol === 'http:')) {
      throw new InputError(
        `images.registries: api.url of ${host} is "${url}"; write an https:// URL (http:// only with insecure: true)`,
      );
    }
  }
  const share = config.getOptionalNumber('backgroundShare');
  if (share !== undefined && !(share >= 0 && share <= 1)) {
    throw new InputError(
      `images.registries: api.backgroundShare of ${host} is ${share}; write a share between 0 and 1`,
    );
  }
  return {
    listing,
    url,
    token: config.getOptionalString('token'),
    backgroundShare: share,
  };
}
