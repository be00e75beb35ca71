import {
  pushTestImage,
  pushTestIndex,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { RegistryClient, sha256Digest } from './RegistryClient';
import { ImageIndex, ImageManifest, MEDIA_TYPES } from './mediaTypes';

// Talks to a real CNCF Distribution registry (Debian's docker-registry 2.8) on a free loopback port; a loopback
// proxy in front of it alters answers where a test needs a misbehaving registry.
describe('RegistryClient against a real registry', () => {
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

  const pushImage = (repository: string, tags: string[], layer: string) =>
    pushTestImage(client, repository, tags, { layer });

  it('pushes an image and resolves its tag to the digest of the exact bytes', async () => {
    const digest = await pushImage('acme/api', ['v1'], 'layer one');
    expect(await client.resolveDigest('acme/api', 'v1')).toBe(digest);
    const head = await client.headManifest('acme/api', 'v1');
    expect(head).toEqual({
      digest,
      mediaType: MEDIA_TYPES.ociManifest,
      size: expect.any(Number),
    });
    const fetched = await client.getManifest('acme/api', digest);
    expect(fetched.digest).toBe(digest);
    expect(sha256Digest(fetched.bytes)).toBe(digest);
    expect(fetched.mediaType).toBe(MEDIA_TYPES.ociManifest);
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

  it('answers undefined for a tag that does not exist', async () => {
    await pushImage('acme/web', ['latest'], 'web');
    expect(await client.resolveDigest('acme/web', 'staging')).toBeUndefined();
  });

  it('refuses a reference that is neither a tag nor a digest, before any request', async () => {
    await expect(client.resolveDigest('acme/web', 'bad tag!')).rejects.toThrow(
      '"bad tag!" is neither a valid tag nor a digest',
    );
  });

  it('follows Link pagination (relative and absolute), and reports a limit when it stops early', async () => {
    // Distribution 2.8 ignores `n` and answers every tag at once, so the proxy answers the pages the way the
    // spec (and GHCR, Quay) do: `n` tags and a Link to the next page.
    const page = (tags: string[], link?: string) => ({
      status: 200,
      headers: {
        'content-type': 'application/json',
        ...(link && { link: `<${link}>; rel="next"` }),
      },
      body: JSON.stringify({ name: 'acme/paged', tags }),
    });
    const answerPages = () => {
      proxy.inject(
        { path: '/v2/acme/paged/tags/list?n=2' },
        page(['a1', 'a2'], '/v2/acme/paged/tags/list?last=a2&n=2'),
      );
      proxy.inject(
        { path: 'last=a2' },
        page(['a3', 'a4'], `${proxy.url}/v2/acme/paged/tags/list?last=a4&n=2`),
      );
      proxy.inject({ path: 'last=a4' }, page(['a5']));
    };
    answerPages();
    const all = await viaProxy.listTags('acme/paged', { pageSize: 2 });
    expect(all).toEqual({
      tags: ['a1', 'a2', 'a3', 'a4', 'a5'],
      truncated: false,
    });
    expect(proxy.requests.map(r => r.path)).toEqual([
      '/v2/acme/paged/tags/list?n=2',
      '/v2/acme/paged/tags/list?last=a2&n=2',
      '/v2/acme/paged/tags/list?last=a4&n=2',
    ]);

    proxy.reset();
    answerPages();
    const limited = await viaProxy.listTags('acme/paged', {
      pageSize: 2,
      limit: 3,
    });
    expect(limited).toEqual({ tags: ['a1', 'a2', 'a3'], truncated: true });
    expect(proxy.requests).toHaveLength(2);
  });

  it('lists every tag of a real registry', async () => {
    const tags = ['b1', 'b2', 'b3', 'b4'];
    await pushImage('acme/listed', tags, 'listed');
    const all = await client.listTags('acme/listed', { pageSize: 2 });
    // Distribution 2.8 answers in storage order, not sorted: compare as sets.
    expect([...all.tags].sort()).toEqual(tags);
    expect(all.truncated).toBe(false);
  });

  it('refuses a pagination link that points at another host, sending it nothing', async () => {
    await pushImage('acme/ssrf', ['one', 'two', 'three'], 'ssrf');
    proxy.rewriteResponse({ path: '/tags/list' }, head => ({
      headers: {
        ...head.headers,
        link: '<http://169.254.169.254/latest/meta-data?n=1>; rel="next"',
      },
    }));
    await expect(
      viaProxy.listTags('acme/ssrf', { pageSize: 1 }),
    ).rejects.toThrow(
      `${proxy.host} pointed the tags of acme/ssrf at another host (169.254.169.254); Berth only talks to configured registries`,
    );
  });

  it('says which registry and what was missing when a repository is unknown', async () => {
    await expect(client.listTags('acme/nothing-here')).rejects.toThrow(
      `${registry.host} has no the tags of acme/nothing-here (NAME_UNKNOWN`,
    );
  });

  it('reads an image config: platform, labels, command, user, health check, layers and size', async () => {
    const digest = await pushTestImage(client, 'acme/config', ['v2'], {
      layer: 'app layer',
      architecture: 'arm64',
      runConfig: {
        Labels: { 'org.opencontainers.image.revision': 'abc123' },
        Cmd: ['/app', '--serve'],
        User: '10001',
        Healthcheck: { Test: ['CMD', '/app', 'health'] },
        ExposedPorts: { '8080/tcp': {} },
      },
    });
    const { manifest } = await client.getManifest('acme/config', digest);
    const config = await client.getImageConfig(
      'acme/config',
      manifest as ImageManifest,
    );
    expect(config).toEqual({
      created: '2026-11-01T00:00:00Z',
      os: 'linux',
      architecture: 'arm64',
      variant: undefined,
      labels: { 'org.opencontainers.image.revision': 'abc123' },
      cmd: ['/app', '--serve'],
      entrypoint: undefined,
      user: '10001',
      healthcheck: ['CMD', '/app', 'health'],
      exposedPorts: ['8080/tcp'],
      layerCount: 1,
      totalSize:
        (manifest as ImageManifest).config.size +
        Buffer.from('app layer').length,
    });
  });

  it('reads a multi-arch index with every platform, resolving the tag to the index itself', async () => {
    const digest = await pushTestIndex(client, 'acme/multi', ['v3'], {
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    const head = await client.headManifest('acme/multi', 'v3');
    expect(head?.digest).toBe(digest);
    expect(head?.mediaType).toBe(MEDIA_TYPES.ociIndex);
    const { manifest } = await client.getManifest('acme/multi', 'v3');
    expect(
      (manifest as ImageIndex).manifests.map(
        m => `${m.platform?.os}/${m.platform?.architecture}`,
      ),
    ).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it('refuses a manifest larger than 4 MiB', async () => {
    await pushImage('acme/huge', ['v1'], 'huge');
    proxy.rewriteResponse({ method: 'GET', path: '/manifests/v1' }, () => ({
      body: Buffer.alloc(5 * 1024 * 1024, 32),
    }));
    await expect(viaProxy.getManifest('acme/huge', 'v1')).rejects.toThrow(
      `${proxy.host} sent the manifest acme/huge:v1 larger than Berth accepts (4 MiB)`,
    );
  });

  it('refuses a manifest fetched by digest whose bytes do not match', async () => {
    const digest = await pushImage('acme/tampered', ['v1'], 'tampered');
    proxy.rewriteResponse(
      { method: 'GET', path: `/manifests/${digest}` },
      () => ({
        body: '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[]}',
      }),
    );
    await expect(viaProxy.getManifest('acme/tampered', digest)).rejects.toThrow(
      `${proxy.host} returned the manifest acme/tampered@${digest} with the wrong content`,
    );
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

  it('deletes a tag and keeps the image other tags point at', async () => {
    const digest = await pushImage(
      'acme/delete',
      ['keep', 'drop'],
      'delete me not',
    );
    await client.deleteTag('acme/delete', 'drop');
    expect(await client.resolveDigest('acme/delete', 'drop')).toBeUndefined();
    expect(await client.resolveDigest('acme/delete', 'keep')).toBe(digest);
    expect((await client.listTags('acme/delete')).tags).toEqual(['keep']);
    // Distribution cannot delete a tag directly, so the client learned to use a placeholder manifest.
    expect(client.capabilities.tagDelete).toBe('via-manifest');
  });

  it('finds signatures and attestations: the fallback referrers tag, cosign tags and BuildKit index entries', async () => {
    const digest = await pushTestIndex(client, 'acme/signed', ['v1'], {
      attestations: true,
    });
    const hex = digest.replace('sha256:', 'sha256-');
    const signature = await pushTestImage(
      client,
      'acme/signed',
      [`${hex}.sig`],
      {
        layer: 'cosign signature',
      },
    );
    // An OCI 1.1 referrer stored the way clients do when the registry lacks the referrers API.
    const referrerBytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociIndex,
        manifests: [
          {
            mediaType: MEDIA_TYPES.ociManifest,
            digest: signature,
            size: 100,
            artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
            annotations: {
              'dev.sigstore.bundle.predicateType':
                'https://slsa.dev/provenance/v1',
            },
          },
        ],
      }),
    );
    await client.putManifest(
      'acme/signed',
      hex,
      referrerBytes,
      MEDIA_TYPES.ociIndex,
    );
    const index = (await client.getManifest('acme/signed', digest))
      .manifest as ImageIndex;

    const attachments = await client.findAttachments('acme/signed', digest, {
      index,
    });
    expect(client.capabilities.referrersApi).toBe(false);
    expect(attachments.map(a => `${a.source}:${a.kind}`).sort()).toEqual([
      'cosign-tag:signature',
      'index:attestation',
      'index:attestation',
      'referrers-tag:attestation',
    ]);
    expect(attachments.find(a => a.source === 'cosign-tag')).toMatchObject({
      digest: signature,
      tag: `${hex}.sig`,
    });

    // With the tag list known, an unsigned image costs no request for cosign tags.
    const unsigned = await pushImage('acme/signed', ['plain'], 'plain');
    proxy.reset();
    const none = await viaProxy.findAttachments('acme/signed', unsigned, {
      tags: ['plain', 'v1'],
    });
    expect(none).toEqual([]);
    expect(proxy.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      `GET /v2/acme/signed/referrers/${unsigned}`,
      `GET /v2/acme/signed/manifests/${unsigned.replace(':', '-')}`,
    ]);
  });

  it('uses the referrers API where the registry has one, and remembers it', async () => {
    // Distribution 2.8 predates the OCI 1.1 referrers API: the proxy answers as the spec describes.
    const subject = await pushImage('acme/referred', ['v1'], 'referred');
    const sbom = {
      mediaType: MEDIA_TYPES.ociManifest,
      digest: `sha256:${'b'.repeat(64)}`,
      size: 321,
      artifactType: 'application/spdx+json',
    };
    proxy.inject(
      { path: `/v2/acme/referred/referrers/${subject}` },
      {
        status: 200,
        headers: { 'content-type': MEDIA_TYPES.ociIndex },
        body: JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.ociIndex,
          manifests: [sbom],
        }),
        times: 2,
      },
    );
    const fresh = new RegistryClient({ host: proxy.host, baseUrl: proxy.url });
    expect(
      await fresh.findAttachments('acme/referred', subject, { tags: ['v1'] }),
    ).toEqual([
      {
        kind: 'sbom',
        source: 'referrers-api',
        digest: sbom.digest,
        mediaType: MEDIA_TYPES.ociManifest,
        artifactType: 'application/spdx+json',
      },
    ]);
    expect(fresh.capabilities.referrersApi).toBe(true);
    expect(proxy.requests.map(r => r.path)).toEqual([
      `/v2/acme/referred/referrers/${subject}`,
    ]);
  });

  it('reports an unreachable registry clearly instead of hanging', async () => {
    const stopped = await startRegistry();
    await stopped.stop();
    const offline = new RegistryClient({
      host: stopped.host,
      baseUrl: stopped.url,
      timeoutMs: 2000,
      maxAttempts: 2,
      retryBaseDelayMs: 10,
    });
    await expect(offline.ping()).rejects.toThrow(
      `${stopped.host} refused the connection while Berth was reading the registry API (gave up after 2 attempts)`,
    );
  });
});
