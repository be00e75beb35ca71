import { RefusedAddressError } from './addressPolicy';
import { RegistryError } from './errors';
import { snippet } from './errorText';
import { RegistryRequest } from './types';

/**
 * Which redirects Berth follows: any on the registry's own origin; to another origin only a download that allows it
 * (a blob from a storage CDN), never from HTTPS down to plain HTTP, and never to an address the address policy
 * refuses. Credentials never leave the registry's origin (the transport sends none elsewhere).
 */

const MAX_REDIRECTS = 5;

/** True for a redirect status with somewhere to go. */
export function isRedirect(response: Response): boolean {
  return (
    [301, 302, 303, 307, 308].includes(response.status) &&
    response.headers.has('location')
  );
}

/** Where the `redirects`-th redirect leads, or a `refused-host` error when Berth must not follow it. */
export function redirectTarget(
  registry: { host: string; origin: string },
  response: Response,
  from: URL,
  request: RegistryRequest,
  redirects: number,
): URL {
  const host = registry.host;
  if (redirects > MAX_REDIRECTS) {
    throw new RegistryError(
      'invalid-response',
      host,
      `${host} redirected ${request.what} more than ${MAX_REDIRECTS} times`,
    );
  }
  const target = new URL(response.headers.get('location')!, from);
  if (target.origin !== registry.origin) {
    const downloading = request.method === 'GET' || request.method === 'HEAD';
    if (!request.followForeignRedirects || !downloading) {
      throw new RegistryError(
        'refused-host',
        host,
        `${host} redirected ${request.what} to ${snippet(
          target.host,
        )}, which is not a configured registry; Berth refused to follow`,
      );
    }
    if (target.protocol !== 'https:' && from.protocol === 'https:') {
      throw new RegistryError(
        'refused-host',
        host,
        `${host} redirected ${request.what} from HTTPS to plain HTTP (${snippet(
          target.host,
        )}); Berth refused to follow`,
      );
    }
  }
  return target;
}

/** A redirect target whose address the address policy refused (checked when connecting). */
export function refusedAddressError(
  host: string,
  target: URL,
  request: RegistryRequest,
  error: RefusedAddressError,
): RegistryError {
  return new RegistryError(
    'refused-host',
    host,
    `${host} redirected ${request.what} to ${snippet(target.host)}, which ${
      error.reason
    }; Berth refused to follow (a registry trusted there belongs under images.registries)`,
    { cause: error },
  );
}
