import { RegistryError } from '../errors';

/** The RegistryError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function failure(
  promise: Promise<unknown>,
): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}
