import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';

/**
 * Calls the images backend on behalf of the user who runs the task: the actions never talk to a registry, hold a
 * credential, or take a token as input. With a body it POSTs it as JSON; without one it GETs.
 */
export async function callImagesBackend<T>(
  options: { discovery: DiscoveryService; auth: AuthService },
  onBehalfOf: BackstageCredentials,
  path: string,
  body?: unknown,
): Promise<T> {
  const { token } = await options.auth.getPluginRequestToken({
    onBehalfOf,
    targetPluginId: 'images',
  });
  const baseUrl = await options.discovery.getBaseUrl('images');
  const response = await fetch(`${baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      authorization: `Bearer ${token}`,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    // Show the backend's own sentence (which registry, what to do) in the task log, not just the status.
    const error = await ResponseError.fromResponse(response);
    throw new Error(error.body?.error?.message ?? error.message, {
      cause: error,
    });
  }
  return (await response.json()) as T;
}

/**
 * The API path of an entity, `/entities/{kind}/{namespace}/{name}`, from a reference such as `component:default/dotca`
 * (the namespace defaults to `default`).
 */
export function entityPath(entityRef: string): string {
  const match = /^([^:]+):(?:([^/]+)\/)?(.+)$/.exec(entityRef.trim());
  if (!match) {
    throw new InputError(
      `"${entityRef}" is not an entity reference: write it as kind:namespace/name, such as component:default/dotca`,
    );
  }
  const [, kind, namespace = 'default', name] = match;
  return `/entities/${[kind.toLowerCase(), namespace, name]
    .map(encodeURIComponent)
    .join('/')}`;
}
