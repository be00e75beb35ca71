import { RegistryError } from '../../errors';
import { RegistryLogger } from '../../types';

/** A password that must never show in a log line or an error. */
export const PASSWORD = 'pw-3b8f9c1d-never-print-me';

/** Everything the client logged and every error it threw, to check that no secret ever shows. */
export function recorder() {
  const lines: string[] = [];
  const logger: RegistryLogger = {
    debug: message => lines.push(message),
    warn: message => lines.push(message),
  };
  const capture = async <T>(promise: Promise<T>): Promise<RegistryError> => {
    try {
      await promise;
    } catch (error) {
      lines.push(
        String(error),
        JSON.stringify(error),
        (error as Error).stack ?? '',
      );
      return error as RegistryError;
    }
    throw new Error('expected a failure');
  };
  return { lines, logger, capture };
}

export const staticCredentials = (username: string, password: string) => ({
  getCredentials: async () => ({ username, password }),
});
