import { InputError } from '@backstage/errors';
import { RegistryError } from './registry';

/** What a lane or a log line says of a failure: the registry's error kind and message, never a stack or cause. */
export function describeError(error: unknown): {
  kind: string;
  message: string;
} {
  if (error instanceof RegistryError)
    return { kind: error.kind, message: error.message };
  if (error instanceof InputError)
    return { kind: 'InputError', message: error.message };
  return {
    kind: 'failed',
    message: (error as Error)?.message ?? String(error),
  };
}
