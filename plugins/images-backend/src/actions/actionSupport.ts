import { randomBytes } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ActionsRegistryActionOptions,
  ActionsRegistryService,
} from '@backstage/backend-plugin-api/alpha';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotImplementedError,
  NotModifiedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { publicError } from '../errorHandler';
import { entityRefFromBody } from '../requestParams';

// `register` with its type parameters at their constraints: the zod types come from the registry's own zod
// (`zod/v3`), which this package does not depend on.
type AnyActionOptions = Parameters<ActionsRegistryService['register']>[0];
type AnyZodObject = AnyActionOptions extends ActionsRegistryActionOptions<
  infer TInput,
  any,
  any
>
  ? TInput
  : never;

/** The `z` the actions registry passes to schema functions. */
export type Zod = Parameters<AnyActionOptions['schema']['input']>[0];

/** An action's options, typed by its schemas, for `actionsRegistry.register`. */
export function defineAction<
  TInput extends AnyZodObject,
  TOutput extends AnyZodObject,
>(
  options: ActionsRegistryActionOptions<TInput, TOutput>,
): ActionsRegistryActionOptions<TInput, TOutput> {
  return options;
}

/** The entity an action names, held to the rules the API holds a path's parts to (a 400 naming what is wrong). */
export function entityRefOf(value: string): string {
  return entityRefFromBody('entityRef', value.trim());
}

const ERRORS_BY_NAME: Record<string, new (message: string) => Error> = {
  InputError,
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
  ConflictError,
  NotImplementedError,
  NotModifiedError,
  ServiceUnavailableError,
};

/**
 * Runs an action and answers as the images API would. An error written for the caller (Backstage's, a
 * RegistryError) comes back with its name and sentence and nothing nested: the actions registry's error middleware
 * would serialize causes (socket addresses, SQL, upstream bodies). Anything else is logged with an id, and the
 * caller gets the id.
 */
export async function answerAsTheApi<T>(
  logger: LoggerService,
  actionName: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const known = publicError(error);
    if (known) {
      // A registry failure keeps its sentence under a name MCP clients show: the caller's mistake below 500, the
      // registry's trouble above.
      const ErrorType =
        ERRORS_BY_NAME[known.name] ??
        (known.statusCode < 500 ? InputError : ServiceUnavailableError);
      throw new ErrorType(known.message);
    }
    const logId = randomBytes(8).toString('hex');
    logger.error(
      `The images:${actionName} action failed (logId=${logId})`,
      error instanceof Error ? error : new Error(String(error)),
    );
    throw new Error(
      `The images backend failed to answer this request; its log has the details (logId=${logId})`,
    );
  }
}
