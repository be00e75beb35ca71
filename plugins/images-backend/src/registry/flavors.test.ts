import {
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { RegistryClient } from './RegistryClient';

// GHCR, Quay and Docker Hub cannot run here: a loopback proxy answers with the responses their documentation and
// the OCI distribution spec describe (GHCR: docs.github.com "Working with the Container registry"; Quay: "Quay API
// tag listing is capped at 100"; Docker Hub: docs.docker.com "Docker Hub rate limit"), while a real CNCF
// registry answers everything else. The client is told the vendor's host name, so it applies that vendor's rules.
describe('registry flavours', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  const credentials = {
    getCredentials: async () => ({ username: 'bot', password: 'ghp_secret' }),
  };
  const vendorClient = (host: string) =>
    RegistryClient.forEndpoint({
      host,
      baseUrl: proxy.url,
      credentials,
      maxAttempts: 1,
    });

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
  });
  afterEach(() => proxy.reset());
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('tells a GHCR user which token scope is missing', async () => {
    proxy.inject(
      { path: '/v2/bxtech/dotca/tags/list' },
      {
        status: 401,
        headers: {
          'www-authenticate': `Bearer realm="${proxy.url}/token",service="ghcr.io",scope="repository:bxtech/dotca:pull"`,
        },
      },
    );
    proxy.inject(
      { path: '/token' },
      {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}',
      },
      // The client asks once more after dropping cached credentials.
    );
    proxy.inject({ path: '/token' }, { status: 401 });
    await expect(
      vendorClient('ghcr.io').listTags('bxtech/dotca'),
    ).rejects.toThrow(
      'ghcr.io refused the credentials for bxtech/dotca: check that the token has read:packages (write:packages to promote)',
    );
  });

  it('asks Quay for at most 100 tags a page', async () => {
    proxy.inject(
      { path: '/v2/acme/app/tags/list?n=100' },
      {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'acme/app', tags: ['v1', 'v2'] }),
      },
    );
    expect(
      (await vendorClient('quay.io').listTags('acme/app', { pageSize: 1000 }))
        .tags,
    ).toEqual(['v1', 'v2']);
    expect(proxy.requests.map(r => r.path)).toEqual([
      '/v2/acme/app/tags/list?n=100',
    ]);
  });

  it('reports a Docker Hub rate limit with the time it gives, without retrying past it', async () => {
    const reset = new Date(Date.now() + 6 * 3600_000);
    proxy.inject(
      { path: '/manifests/latest' },
      {
        status: 429,
        headers: {
          'retry-after': reset.toUTCString(),
          'ratelimit-limit': '100;w=21600',
          'ratelimit-remaining': '0;w=21600',
        },
        body: '{"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull rate limit."}]}',
      },
    );
    const error = await RegistryClient.forEndpoint({
      host: 'docker.io',
      baseUrl: proxy.url,
    })
      .getManifest('library/nginx', 'latest')
      .catch(e => e);
    expect(error.kind).toBe('rate-limited');
    expect(Math.abs(error.retryAt.getTime() - reset.getTime())).toBeLessThan(
      2000,
    );
    expect(proxy.requests).toHaveLength(1);
  });

  it('does not try to delete a tag where the product cannot', async () => {
    await expect(
      vendorClient('ghcr.io').deleteTag('bxtech/dotca', 'old'),
    ).rejects.toThrow(
      'ghcr.io (GitHub Container Registry) does not allow deleting the tag bxtech/dotca:old through the registry API; delete it in GitHub Container Registry itself',
    );
    expect(proxy.requests).toEqual([]);
  });
});
