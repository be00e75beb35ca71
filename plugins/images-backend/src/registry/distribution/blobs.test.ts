import {
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { RegistryClient } from '../RegistryClient';

// Talks to a real CNCF Distribution registry (Debian's docker-registry 2.8) on a free loopback port; a loopback
// proxy in front of it alters answers where a test needs a misbehaving registry.
describe('blobs, against a real registry', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  let client: RegistryClient;
  let viaProxy: RegistryClient;

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
    client = new RegistryClient({ host: registry.host, baseUrl: registry.url });
    viaProxy = new RegistryClient({
      host: proxy.host,
      baseUrl: proxy.url,
      retryBaseDelayMs: 10,
    });
  });
  afterEach(() => proxy.reset());
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('skips uploading a blob the repository already has', async () => {
    const first = await client.pushBlob(
      'acme/dedupe',
      Buffer.from('same bytes'),
    );
    const second = await client.pushBlob(
      'acme/dedupe',
      Buffer.from('same bytes'),
    );
    expect(first.uploaded).toBe(true);
    expect(second.uploaded).toBe(false);
    expect(second.digest).toBe(first.digest);
  });

  it('streams a blob and fails the stream when the bytes do not match the digest', async () => {
    const content = Buffer.alloc(3 * 1024 * 1024, 7);
    const { digest } = await client.pushBlob('acme/blobs', content);
    const good = await client.getBlobStream('acme/blobs', digest);
    const chunks: Buffer[] = [];
    for await (const chunk of good.stream) chunks.push(chunk);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
    expect(good.size).toBe(content.length);

    proxy.rewriteResponse({ method: 'GET', path: `/blobs/${digest}` }, () => ({
      body: Buffer.alloc(3 * 1024 * 1024, 8),
    }));
    const bad = await viaProxy.getBlobStream('acme/blobs', digest);
    await expect(
      (async () => {
        for await (const _ of bad.stream) {
          // drain
        }
      })(),
    ).rejects.toThrow(
      `${proxy.host} sent the blob acme/blobs@${digest} with the wrong content`,
    );
  });
});
