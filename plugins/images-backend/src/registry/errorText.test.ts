import { serializeError } from '@backstage/errors';
import {
  HostileRegistry,
  startHostileRegistry,
  startRegistry,
} from '@berth/plugin-images-backend-test-utils';
import { RegistryClient } from './RegistryClient';
import { RegistryError } from './errors';
import { describeNetworkError, snippet } from './errorText';

/** Every way an error is rendered: its message, String(), JSON, Backstage's serialization. */
function renderings(error: Error): string {
  return [
    error.message,
    String(error),
    JSON.stringify(error),
    JSON.stringify(serializeError(error)),
  ].join('\n');
}

describe('RegistryError messages', () => {
  let hostile: HostileRegistry;
  beforeAll(async () => {
    hostile = await startHostileRegistry();
  });
  afterAll(async () => {
    await hostile?.stop();
  });

  it('say a registry refused the connection, without its socket address or the nested error', async () => {
    const stopped = await startRegistry();
    await stopped.stop();
    const error: RegistryError = await new RegistryClient({
      host: 'registry.example',
      baseUrl: stopped.url,
      maxAttempts: 1,
    })
      .ping()
      .catch(e => e);
    expect(error.message).toBe(
      'registry.example refused the connection while Berth was reading the registry API',
    );
    const rendered = renderings(error);
    for (const internal of [
      stopped.host,
      '127.0.0.1',
      'ECONNREFUSED',
      'caused by',
      'fetch failed',
    ]) {
      expect(rendered).not.toContain(internal);
    }
    // The cause stays on the object, for logs.
    expect(error.cause).toBeDefined();
  });

  it('quote an upstream error body only as a short snippet without control characters', async () => {
    hostile.answer('/manifests/v9', {
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        errors: [
          {
            code: 'MANIFEST_INVALID',
            message: `bad\u001b[31m manifest\r\nSet-Cookie: x=1 ${'padding '.repeat(
              2000,
            )}`,
          },
        ],
      }),
    });
    hostile.answer('/manifests/v8', {
      status: 502,
      body: JSON.stringify({
        errors: [{ code: 'not a code\nat all', message: 'x' }],
      }),
    });
    const client = new RegistryClient({
      host: hostile.host,
      baseUrl: hostile.url,
      maxAttempts: 1,
    });
    const invalid: RegistryError = await client
      .getManifest('acme/app', 'v9')
      .catch(e => e);
    expect(invalid.kind).toBe('invalid-manifest');
    expect(invalid.registryCode).toBe('MANIFEST_INVALID');
    expect(invalid.message).toMatch(
      new RegExp(
        `^${hostile.host} refused the manifest acme/app:v9 \\(MANIFEST_INVALID: bad \\[31m manifest Set-Cookie: x=1 padding padding .*…\\)$`,
      ),
    );
    expect(invalid.message.length).toBeLessThan(300);
    // eslint-disable-next-line no-control-regex
    expect(invalid.message).not.toMatch(/[\u0000-\u001f]/);

    const failed: RegistryError = await client
      .getManifest('acme/app', 'v8')
      .catch(e => e);
    expect(failed.registryCode).toBeUndefined();
    expect(failed.message).toBe(
      `${hostile.host} answered 502 for the manifest acme/app:v8`,
    );
  });

  it('are cut at 1,000 characters whatever is put in them', () => {
    const error = new RegistryError('failed', 'r', `x${'y'.repeat(5000)}`);
    expect(error.message).toHaveLength(1000);
    expect(error.message.endsWith('…')).toBe(true);
  });
});

describe('describeNetworkError', () => {
  it('describes a failure by its code, looking through causes and the attempts of each address', () => {
    const refused = (address: string) =>
      Object.assign(new Error(`connect ECONNREFUSED ${address}`), {
        code: 'ECONNREFUSED',
      });
    const attempts = new TypeError('fetch failed', {
      cause: new AggregateError([
        refused('::1:5000'),
        refused('127.0.0.1:5000'),
      ]),
    });
    expect(describeNetworkError(attempts, 30_000)).toBe(
      'refused the connection',
    );
    expect(
      describeNetworkError(
        new TypeError('fetch failed', {
          cause: Object.assign(new Error('self-signed certificate'), {
            code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
          }),
        }),
        30_000,
      ),
    ).toBe('presented a self-signed TLS certificate that Berth does not trust');
    expect(
      describeNetworkError(
        new Error('something odd at 10.0.0.7:443 (internal detail)'),
        30_000,
      ),
    ).toBe('could not be reached');
  });

  it('keeps snippets short and on one line', () => {
    expect(snippet('a\n\tb\u202Ec', 4)).toBe('a b…');
    expect(snippet(42)).toBe('');
  });
});
