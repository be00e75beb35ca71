import {
  htpasswdAuthConfig,
  HtpasswdAuthConfig,
  pushTestImage,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
  startTokenServer,
  TokenServer,
} from '@berth/plugin-images-backend-test-utils';
import { RegistryClient } from './RegistryClient';
import { RegistryError } from './errors';
import { RegistryHosts } from './RegistryHosts';
import { RegistryEndpoint, RegistryLogger } from './RegistryTransport';

const PASSWORD = 'pw-3b8f9c1d-never-print-me';

/** Everything the client logged and every error it threw, to check that no secret ever shows. */
function recorder() {
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

const staticCredentials = (username: string, password: string) => ({
  getCredentials: async () => ({ username, password }),
});

// Basic auth against a real CNCF registry configured with an htpasswd file.
describe('Basic auth (htpasswd)', () => {
  let auth: HtpasswdAuthConfig;
  let registry: RunningRegistry;
  const record = recorder();

  const client = (password?: string, extra: Partial<RegistryEndpoint> = {}) =>
    RegistryClient.forEndpoint(
      {
        host: registry.host,
        baseUrl: registry.url,
        credentials: password ? staticCredentials('ci', password) : undefined,
        ...extra,
      },
      record.logger,
    );

  beforeAll(async () => {
    auth = htpasswdAuthConfig({ ci: PASSWORD });
    registry = await startRegistry({ extraConfig: auth.extraConfig });
  });
  afterAll(async () => {
    await registry?.stop();
    auth?.cleanup();
  });

  it('reads and writes with the configured user and password', async () => {
    const authorized = client(PASSWORD);
    const digest = await pushTestImage(authorized, 'acme/app', ['v1'], {
      layer: 'app',
    });
    expect(await authorized.resolveDigest('acme/app', 'v1')).toBe(digest);
  });

  it('says credentials are needed when none are configured', async () => {
    const error = await record.capture(client().listTags('acme/app'));
    expect(error.kind).toBe('unauthorized');
    expect(error.message).toBe(
      `${registry.host} needs credentials for acme/app: configure them under images.registries (check the user name and password configured for it)`,
    );
  });

  it('says the credentials were refused, without repeating them', async () => {
    const error = await record.capture(
      client('wrong-password').listTags('acme/app'),
    );
    expect(error.kind).toBe('unauthorized');
    expect(error.message).toBe(
      `${registry.host} refused the credentials for acme/app: check the user name and password configured for it`,
    );
  });

  it('follows a blob redirect to another configured origin without sending the credentials there', async () => {
    const authorized = client(PASSWORD);
    const content = Buffer.from('layer served by a storage CDN');
    const { digest } = await authorized.pushBlob('acme/app', content);
    const cdn = await startRegistryProxy({ target: registry.url });
    const front = await startRegistryProxy({ target: registry.url });
    try {
      cdn.inject({ path: '/signed-url' }, { status: 200, body: content });
      front.inject(
        { method: 'GET', path: `/blobs/${digest}` },
        { status: 307, headers: { location: `${cdn.url}/signed-url?sig=abc` } },
      );
      // The CDN is on loopback: Berth follows a redirect there only because it is a configured registry.
      const viaFront = new RegistryHosts([
        {
          host: front.host,
          baseUrl: front.url,
          credentials: staticCredentials('ci', PASSWORD),
        },
        { host: cdn.host, baseUrl: cdn.url },
      ]).clientFor(front.host);
      expect(await viaFront.resolveDigest('acme/app', 'v1')).toBeDefined();
      expect((await viaFront.getBlob('acme/app', digest)).equals(content)).toBe(
        true,
      );
      const blobRequest = front.requests.find(r => r.path.includes('/blobs/'));
      expect(blobRequest?.hasAuthorization).toBe(true);
      expect(cdn.requests).toHaveLength(1);
      expect(cdn.requests[0].hasAuthorization).toBe(false);

      // A manifest is never fetched from another origin.
      front.inject(
        { method: 'GET', path: '/manifests/v1' },
        { status: 307, headers: { location: `${cdn.url}/elsewhere` } },
      );
      await expect(viaFront.getManifest('acme/app', 'v1')).rejects.toThrow(
        `${front.host} redirected the manifest acme/app:v1 to ${cdn.host}, which is not a configured registry; Berth refused to follow`,
      );
      expect(cdn.requests).toHaveLength(1);
    } finally {
      await cdn.stop();
      await front.stop();
    }
  });

  it('never put the password in a log line or an error', () => {
    expect(record.lines.length).toBeGreaterThan(2);
    expect(record.lines.join('\n')).not.toContain(PASSWORD);
  });
});

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
