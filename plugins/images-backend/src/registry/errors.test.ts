import { serializeError } from '@backstage/errors';
import { RegistryError, isNotFound } from './errors';

describe('RegistryError', () => {
  it.each<[ConstructorParameters<typeof RegistryError>[0], number, string]>([
    ['not-found', 404, 'NotFoundError'],
    ['immutable-tag', 409, 'ConflictError'],
    ['refused-host', 400, 'InputError'],
    ['unsupported', 501, 'NotImplementedError'],
    ['invalid-manifest', 422, 'RegistryError'],
    ['rate-limited', 503, 'RegistryError'],
    ['unreachable', 503, 'RegistryError'],
    ['unauthorized', 502, 'RegistryError'],
  ])('answers %s with HTTP %i, named %s', (kind, statusCode, name) => {
    const error = new RegistryError(kind, 'registry.example', 'message');
    expect(error).toMatchObject({
      kind,
      statusCode,
      name,
      registry: 'registry.example',
    });
  });

  it('keeps its cause for logs, out of its message and serialized forms', () => {
    const cause = new Error('connect ECONNREFUSED 10.0.0.7:443');
    const error = new RegistryError('unreachable', 'r', 'r refused', {
      cause,
    });
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('r refused');
    expect(JSON.stringify(error)).not.toContain('10.0.0.7');
    expect(JSON.stringify(serializeError(error))).not.toContain('10.0.0.7');
  });

  it('carries a malformed digest when the content is malformed', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(
      new RegistryError('invalid-manifest', 'r', 'bad', {
        malformedDigest: digest,
      }).malformedDigest,
    ).toBe(digest);
    expect(
      new RegistryError('failed', 'r', 'x').malformedDigest,
    ).toBeUndefined();
  });

  it('tells a missing thing from other failures', () => {
    expect(isNotFound(new RegistryError('not-found', 'r', 'x'))).toBe(true);
    expect(isNotFound(new RegistryError('failed', 'r', 'x'))).toBe(false);
    expect(isNotFound(new Error('not found'))).toBe(false);
  });
});
