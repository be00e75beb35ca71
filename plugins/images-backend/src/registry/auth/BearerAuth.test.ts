import {
  pushTestImage,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
  startTokenServer,
  TokenServer,
} from '@berth/plugin-images-backend-test-utils';
import { RegistryClient } from '../RegistryClient';
import { RegistryEndpoint } from '../types';
import {
  PASSWORD,
  recorder,
  staticCredentials,
} from './__testUtils__/recorder';

// The Docker token flow against a real CNCF registry in `auth.token` mode; the test runs the token issuer.
describe('Bearer token auth', () => {
  let tokens: TokenServer;
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  const record = recorder();

  const client = (
    username: string | undefined,
    extra: Partial<RegistryEndpoint> = {},
  ) =>
    RegistryClient.forEndpoint(
      {
        host: proxy.host,
        baseUrl: proxy.url,
        credentials: username
          ? staticCredentials(username, PASSWORD)
          : undefined,
        authOrigins: [tokens.url],
        ...extra,
      },
      record.logger,
    );

  beforeAll(async () => {
    tokens = await startTokenServer({
      users: { ci: PASSWORD, reader: PASSWORD },
      allowAnonymousPull: true,
      // The reader may pull anything and push nowhere.
      grant: (account, _type, _name, actions) =>
        account === 'ci'
          ? actions
          : actions.filter(action => action === 'pull'),
    });
    registry = await startRegistry({ extraConfig: tokens.registryAuthConfig });
    proxy = await startRegistryProxy({ target: registry.url });
  });
  afterEach(() => {
    proxy.reset();
    tokens.reset();
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
    await tokens?.stop();
  });

  it('fetches one token per scope set, pushes with push scope first, and reuses cached tokens', async () => {
    const ci = client('ci');
    const digest = await pushTestImage(ci, 'acme/tokens', ['v1', 'v2'], {
      layer: 'tokens',
    });
    expect(tokens.requests.map(r => [r.account, r.scopes, r.status])).toEqual([
      ['ci', ['repository:acme/tokens:pull'], 200],
      ['ci', ['repository:acme/tokens:pull,push'], 200],
    ]);
    tokens.reset();
    proxy.reset();
    expect(await ci.resolveDigest('acme/tokens', 'v1')).toBe(digest);
    expect(await ci.resolveDigest('acme/tokens', 'v2')).toBe(digest);
    expect(tokens.requests).toEqual([]);
    // Warm: one request each, no 401 round trip.
    expect(proxy.requests.map(r => `${r.method} ${r.status}`)).toEqual([
      'HEAD 200',
      'HEAD 200',
    ]);
  });

  it('reads anonymously where the token service allows it', async () => {
    const anonymous = client(undefined);
    expect((await anonymous.listTags('acme/tokens')).tags.sort()).toEqual([
      'v1',
      'v2',
    ]);
    expect(tokens.requests.map(r => r.account)).toEqual([undefined]);
  });

  it('says the account lacks the permission when its token cannot push', async () => {
    const reader = client('reader');
    expect(await reader.resolveDigest('acme/tokens', 'v1')).toBeDefined();
    const error = await record.capture(
      pushTestImage(reader, 'acme/tokens', ['v3'], { layer: 'denied' }),
    );
    expect(error.kind).toBe('forbidden');
    expect(error.message).toMatch(
      new RegExp(
        `^${proxy.host} denied .* in acme/tokens: the configured account lacks the permission`,
      ),
    );
  });

  it('says the credentials were refused when the token service rejects them', async () => {
    const wrong = RegistryClient.forEndpoint(
      {
        host: proxy.host,
        baseUrl: proxy.url,
        credentials: staticCredentials('ci', 'not-the-password'),
        authOrigins: [tokens.url],
      },
      record.logger,
    );
    const error = await record.capture(wrong.listTags('acme/tokens'));
    expect(error.message).toBe(
      `${proxy.host} refused the credentials for acme/tokens: check the user name and password configured for it`,
    );
  });

  it('refuses a token realm on a host that is not configured, and sends it nothing', async () => {
    const unconfigured = client('ci', { authOrigins: [] });
    const error = await record.capture(unconfigured.listTags('acme/tokens'));
    expect(error.kind).toBe('refused-host');
    expect(error.message).toBe(
      `${proxy.host} asked Berth to fetch a token from ${
        new URL(tokens.url).host
      }, which is not configured: if it is the registry's token service, add ${
        new URL(tokens.url).origin
      } to authOrigins of ${proxy.host} under images.registries`,
    );
    expect(tokens.requests).toEqual([]);
  });

  it('refuses a realm rewritten to point at an internal address (SSRF)', async () => {
    proxy.rewriteResponse({ path: '/v2/' }, head => ({
      headers: {
        ...head.headers,
        'www-authenticate':
          'Bearer realm="http://169.254.169.254/latest/api/token",service="x"',
      },
    }));
    const error = await record.capture(
      client('ci', { flavor: undefined }).ping(),
    );
    expect(error.kind).toBe('refused-host');
    expect(error.message).toContain(
      'asked Berth to fetch a token from 169.254.169.254',
    );
  });

  it('never put the password in a log line or an error', () => {
    expect(record.lines.length).toBeGreaterThan(4);
    expect(record.lines.join('\n')).not.toContain(PASSWORD);
  });
});
