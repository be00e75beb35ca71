import { CustomErrorBase } from '@backstage/errors';

/**
 * Kinds of registry failure, each with its own advice to the user.
 *
 * @public
 */
export type RegistryErrorKind =
  | 'not-found'
  | 'unauthorized'
  | 'forbidden'
  | 'rate-limited'
  | 'invalid-response'
  | 'unreachable'
  | 'refused-host'
  | 'failed';

const STATUS_BY_KIND: Record<RegistryErrorKind, number> = {
  'not-found': 404,
  unauthorized: 502,
  forbidden: 502,
  'rate-limited': 503,
  'invalid-response': 502,
  unreachable: 503,
  'refused-host': 400,
  failed: 502,
};

/**
 * A registry request failed. The message names the registry and repository and says what to do; it never
 * carries a credential.
 *
 * @public
 */
export class RegistryError extends CustomErrorBase {
  readonly kind: RegistryErrorKind;
  readonly registry: string;
  readonly statusCode: number;

  constructor(
    kind: RegistryErrorKind,
    registry: string,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause);
    this.name = kind === 'not-found' ? 'NotFoundError' : 'RegistryError';
    this.kind = kind;
    this.registry = registry;
    this.statusCode = STATUS_BY_KIND[kind];
  }
}
