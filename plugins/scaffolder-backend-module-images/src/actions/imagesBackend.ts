import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/**
 * Calls the images backend on behalf of the user who runs the task: the actions never talk to a registry, hold a
 * credential, or take a token as input.
 */
export async function callImagesBackend<T>(
  options: { discovery: DiscoveryService; auth: AuthService },
  onBehalfOf: BackstageCredentials,
  path: string,
  body: unknown,
): Promise<T> {
  const { token } = await options.auth.getPluginRequestToken({
    onBehalfOf,
    targetPluginId: 'images',
  });
  const baseUrl = await options.discovery.getBaseUrl('images');
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(body),
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
