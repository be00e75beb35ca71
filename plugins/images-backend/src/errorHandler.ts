import { randomBytes } from 'node:crypto';
import { ErrorRequestHandler, Request } from 'express';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ErrorResponseBody, isError } from '@backstage/errors';
import { RegistryError } from './registry';

// The errors of @backstage/errors that say something the caller can act on, by name (as Backstage's own error
// middleware recognises them, whichever copy of the package threw).
const STATUS_BY_NAME: Record<string, number> = {
  NotModifiedError: 304,
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  NotImplementedError: 501,
  ServiceUnavailableError: 503,
};

/** What the caller is told: a status, an error name and one sentence. */
export interface PublicError {
  statusCode: number;
  name: string;
  message: string;
}

/** The status and message of an error written for the caller, or undefined for anything else. */
export function publicError(error: unknown): PublicError | undefined {
  if (error instanceof RegistryError) {
    const { statusCode, name, message } = error;
    return { statusCode, name, message };
  }
  if (!isError(error)) return undefined;
  const known = STATUS_BY_NAME[error.name];
  if (known)
    return { statusCode: known, name: error.name, message: error.message };
  // Express marks the errors it writes for the caller: malformed or oversized JSON (expose), and a path parameter
  // that is not valid percent-encoding (a URIError).
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  if (
    (expose === true || error instanceof URIError) &&
    typeof status === 'number' &&
    status >= 400 &&
    status < 500
  ) {
    return { statusCode: status, name: 'InputError', message: error.message };
  }
  return undefined;
}

/**
 * The images router's error middleware. Backstage's default one serializes an error with its causes (socket
 * addresses, SQL, upstream bodies) and trusts any `status` field; this one answers Backstage's error JSON with the
 * status and message of errors written for the caller (Backstage's, RegistryError) and nothing nested, and a
 * generic 500 with a log id for anything else, which it logs in full. Stacks only in development.
 */
export function createErrorHandler(options: {
  logger: LoggerService;
  showStackTraces?: boolean;
}): ErrorRequestHandler {
  const showStackTraces =
    options.showStackTraces ?? process.env.NODE_ENV === 'development';
  const logger = options.logger.child({ type: 'errorHandler' });
  return (error: unknown, req, res, next) => {
    const known = publicError(error);
    let answer: PublicError;
    if (known) {
      answer = known;
      if (known.statusCode >= 500) {
        logger.warn(`${describe(req)} failed: ${known.message}`);
      }
    } else {
      const logId = randomBytes(8).toString('hex');
      logger.error(
        `${describe(req)} failed (logId=${logId})`,
        isError(error) ? error : new Error(String(error)),
      );
      answer = {
        statusCode: 500,
        name: 'Error',
        message: `The images backend failed to answer this request; its log has the details (logId=${logId})`,
      };
    }
    if (res.headersSent) {
      next(error);
      return;
    }
    const stack =
      showStackTraces && isError(error) && typeof error.stack === 'string'
        ? error.stack
        : undefined;
    const body: ErrorResponseBody = {
      error: {
        name: answer.name,
        message: answer.message,
        ...(stack && { stack }),
      },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: answer.statusCode },
    };
    res.status(answer.statusCode).json(body);
  };
}

// Method and path only: the query may be long, and headers carry tokens.
function describe(req: Request): string {
  return `${req.method} ${req.baseUrl}${req.path}`;
}
