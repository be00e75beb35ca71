import {
  pushTestImage,
  pushTestIndex,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { ImageIndex, MEDIA_TYPES } from './mediaTypes';
import { RegistryClient } from './RegistryClient';

// Talks to a real CNCF Distribution registry (Debian's docker-registry 2.8) on a free loopback port; a loopback
// proxy in front of it alters answers where a test needs a misbehaving registry.
describe('referrers and attachments, against a real registry', () => {
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
});
