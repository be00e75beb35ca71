import { CustomErrorBase } from '@backstage/errors';
import { MAX_MESSAGE_LENGTH, cleanText } from './errorText';

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
  | 'invalid-manifest'
  | 'immutable-tag'
  | 'unsupported'
  | 'invalid-response'
  | 'unreachable'
  | 'refused-host'
  | 'failed';

const STATUS_BY_KIND: Record<RegistryErrorKind, number> = {
  'not-found': 404,
  unauthorized: 502,
  forbidden: 502,
  'rate-limited': 503,
  'invalid-manifest': 422,
  'immutable-tag': 409,
  unsupported: 501,
  'invalid-response': 502,
  unreachable: 503,
  'refused-host': 400,
  failed: 502,
};

const NAME_BY_KIND: Partial<Record<RegistryErrorKind, string>> = {
  'not-found': 'NotFoundError',
  'immutable-tag': 'ConflictError',
  'refused-host': 'InputError',
  unsupported: 'NotImplementedError',
};

/**
 * A registry request failed. The message names the registry and what was asked and says what to do; it never
 * carries a credential, nor the text of its cause (socket addresses, upstream bodies): the cause stays on the
 * object for logs, out of the message and out of serialized forms.
 *
 * @public
 */
export class RegistryError extends CustomErrorBase {
  readonly kind: RegistryErrorKind;
  readonly registry: string;
  /** HTTP status Berth's own API answers with for this failure. */
  readonly statusCode: number;
  /** For rate limiting: when the registry said to try again. */
  readonly retryAt?: Date;
  /** The registry's OCI error code (`MANIFEST_UNKNOWN`, `DENIED`...), when it gave one. */
  readonly registryCode?: string;
  /**
   * Set when the content stored under this digest is malformed. Content is addressed by its digest, so the error
   * holds for as long as the digest does, and may be remembered.
   */
  readonly malformedDigest?: string;

  constructor(
    kind: RegistryErrorKind,
    registry: string,
    message: string,
    options: {
      cause?: unknown;
      retryAt?: Date;
      registryCode?: string;
      malformedDigest?: string;
    } = {},
  ) {
    // CustomErrorBase would append the cause's text to the message.
    super(cleanText(message, MAX_MESSAGE_LENGTH));
    // Not enumerable: error serializers (JSON bodies, serialize-error) leave it out; loggers read it.
    Object.defineProperty(this, 'cause', {
      value: options.cause,
      enumerable: false,
      writable: true,
      configurable: true,
    });
    this.name = NAME_BY_KIND[kind] ?? 'RegistryError';
    this.kind = kind;
    this.registry = registry;
    this.statusCode = STATUS_BY_KIND[kind];
    this.retryAt = options.retryAt;
    this.registryCode = options.registryCode;
    if (options.malformedDigest) this.malformedDigest = options.malformedDigest;
  }
}

/** True when the error says the thing asked for does not exist. */
export function isNotFound(error: unknown): boolean {
  return error instanceof RegistryError && error.kind === 'not-found';
}
