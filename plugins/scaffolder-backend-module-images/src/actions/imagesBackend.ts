import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotImplementedError,
  ResponseError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  DefaultApiClient,
  EntityRouteParams,
  entityRouteParams,
  RequestOptions,
  TypedResponse,
} from '@berth/plugin-images-common';

/**
 * Calls the images backend on behalf of the user who runs the task: the actions never talk to a registry, hold a
 * credential, or take a token as input. `call` makes the request with the generated client and the token to send.
 */
export async function callImagesBackend<T>(
  options: { discovery: DiscoveryService; auth: AuthService },
  onBehalfOf: BackstageCredentials,
  call: (
    api: DefaultApiClient,
    requestOptions: RequestOptions,
  ) => Promise<TypedResponse<T>>,
): Promise<T> {
  const { token } = await options.auth.getPluginRequestToken({
    onBehalfOf,
    targetPluginId: 'images',
  });
  const api = new DefaultApiClient({ discoveryApi: options.discovery });
  const response = await call(api, { token });
  if (!response.ok) throw await backendError(response);
  return response.json();
}

/**
 * The backend's error as the matching error of `@backstage/errors`, with the backend's own sentence (which registry,
 * what to do) and no cause: the scaffolder, and its dry run, then answer with the backend's status, and the response
 * body stays out of task logs.
 */
async function backendError(response: TypedResponse<unknown>): Promise<Error> {
  const { body } = await ResponseError.fromResponse(response);
  const message =
    typeof body.error?.message === 'string' && body.error.message
      ? body.error.message
      : `The images backend answered ${response.status} ${response.statusText}`;
  switch (response.status) {
    case 400:
      return new InputError(message);
    case 401:
      return new AuthenticationError(message);
    case 403:
      return new NotAllowedError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    case 501:
      return new NotImplementedError(message);
    case 503:
      return new ServiceUnavailableError(message);
    default:
      // Any other 4xx (a 422 for a manifest the backend cannot use, a 413) is still about what was asked.
      return response.status < 500
        ? new InputError(message)
        : new Error(message);
  }
}

/** True when the backend answered and refused (a 4xx): asking again will get the same answer. */
export function isBackendRefusal(error: unknown): boolean {
  return [
    InputError,
    AuthenticationError,
    NotAllowedError,
    NotFoundError,
    ConflictError,
  ].some(type => error instanceof type);
}

/**
 * The route parameters of an entity from a reference such as `component:default/dotca` (the namespace defaults to
 * `default`), or an InputError that says how to write one.
 */
export function entityPathParams(entityRef: string): EntityRouteParams {
  try {
    return entityRouteParams(entityRef);
  } catch {
    throw new InputError(
      `"${entityRef}" is not an entity reference: write it as kind:namespace/name, such as component:default/dotca`,
    );
  }
}
