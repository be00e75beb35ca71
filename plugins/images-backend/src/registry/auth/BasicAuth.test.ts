import {
  htpasswdAuthConfig,
  HtpasswdAuthConfig,
  pushTestImage,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { RegistryClient } from '../RegistryClient';
import { RegistryHosts } from '../RegistryHosts';
import { RegistryEndpoint } from '../types';
import {
  PASSWORD,
  recorder,
  staticCredentials,
} from './__testUtils__/recorder';

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
