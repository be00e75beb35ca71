import { MAX_JSON_BYTES } from '../bodies';
import type { RegistryTransport } from '../RegistryTransport';

/**
 * Reads JSON from the product's own API beside the registry API (such as Quay's `/api/v1/...`), on the same
 * origin, with the configured credentials as Basic. Undefined when the API answers 404.
 */
export async function vendorJson(
  transport: RegistryTransport,
  path: string,
  what: string,
  repository?: string,
): Promise<unknown> {
  if (!path.startsWith('/') || path.startsWith('//')) {
    throw new Error(
      `A vendor API path must be absolute on the registry: ${path}`,
    );
  }
  const response = await transport.request({
    method: 'GET',
    path,
    what,
    repository,
    scopes: [],
    headers: { accept: 'application/json' },
    vendorApi: 'basic',
    acceptStatuses: [404],
  });
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  return transport.readJson(response, MAX_JSON_BYTES, what);
}
