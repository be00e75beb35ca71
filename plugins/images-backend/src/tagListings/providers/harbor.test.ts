import {
  startVendorApiReplay,
  VendorApiReplay,
} from '@berth/plugin-images-backend-test-utils';
import { listAll, vendorTestClient } from './__testUtils__/listingHarness';
import { harborTagListing } from './harbor';

// Harbor cannot run here: the replay answers in the shapes of goharbor/harbor api/v2.0/swagger.yaml (`listArtifacts`:
// an array of `Artifact` {digest, size, push_time, media_type, manifest_media_type, extra_attrs, references[{child_digest,
// platform {architecture, os, variant}}], tags[{name, push_time}]}, `page_size` at most 100, `X-Total-Count` and a
// `Link` header with rel="prev"/"next" as src/server/v2.0/handler/base.go builds it) and its `{errors: [{code,
// message}]}` errors.
describe('harborTagListing', () => {
  let harbor: VendorApiReplay;

  beforeAll(async () => {
    harbor = await startVendorApiReplay();
  });
  afterEach(() => harbor.reset());
  afterAll(() => harbor.stop());

  const client = () =>
    vendorTestClient({
      host: 'harbor.example',
      baseUrl: harbor.url,
      flavor: 'harbor',
      credentials: { username: 'robot$shop+ci', password: 'robot-secret' },
    });

  const digest = (n: number) => `sha256:${String(n).padStart(64, '0')}`;
  const time = (minute: number) =>
    new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
  const INDEX = 'application/vnd.oci.image.index.v1+json';
  const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

  /** An image artifact with one tag, or an index with two platforms and an attestation every tenth. */
  const artifact = (n: number) =>
    n % 10 === 0
      ? {
          digest: digest(n),
          size: 90_000_000,
          push_time: time(1000 - n),
          media_type: INDEX,
          manifest_media_type: INDEX,
          extra_attrs: null,
          references: [
            {
              child_digest: digest(100_000 + n),
              platform: { os: 'linux', architecture: 'amd64' },
            },
            {
              child_digest: digest(200_000 + n),
              platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
            },
            {
              child_digest: digest(300_000 + n),
              platform: { os: 'unknown', architecture: 'unknown' },
            },
          ],
          tags: [{ name: `build-${n}`, push_time: time(1000 - n) }],
        }
      : {
          digest: digest(n),
          size: 40_000_000 + n,
          push_time: time(1000 - n),
          media_type: 'application/vnd.docker.container.image.v1+json',
          manifest_media_type: MANIFEST,
          extra_attrs: {
            architecture: 'amd64',
            os: 'linux',
            created: time(0),
          },
          references: null,
          tags: [{ name: `build-${n}`, push_time: time(1000 - n) }],
        };

  const ARTIFACTS = '/api/v2.0/projects/shop/repositories/web/artifacts';

  const servePages = (total: number, path = ARTIFACTS) =>
    harbor.route('GET', path, url => {
      const page = Number(url.searchParams.get('page') ?? 1);
      const size = Number(url.searchParams.get('page_size') ?? 10);
      const start = (page - 1) * size;
      const body = Array.from(
        { length: Math.max(0, Math.min(size, total - start)) },
        (_, i) => artifact(start + i),
      );
      const link = (p: number, rel: string) =>
        `<${url.pathname}?page=${p}&page_size=${size}>; rel="${rel}"`;
      const links = [
        ...(page > 1 ? [link(page - 1, 'prev')] : []),
        ...(page * size < total ? [link(page + 1, 'next')] : []),
      ];
      return {
        headers: {
          'x-total-count': String(total),
          ...(links.length > 0 && { link: links.join(' , ') }),
        },
        body,
      };
    });

  const list = (repository = 'shop/web', limit = 10_000) =>
    listAll(harborTagListing, client().vendorApi(harbor.url), {
      repository,
      limit,
    });

  const query = (page: number) =>
    `?with_tag=true&q=tags%3D*&sort=-push_time,-id&page_size=100&page=${page}`;

  it('lists every page of tagged artifacts, 100 a request, with the robot account as Basic', async () => {
    servePages(250);
    const { pages, result } = await list();
    expect(result).toEqual({
      truncated: false,
      stoppedEarly: false,
      requests: 3,
    });
    expect(pages.map(p => p.length)).toEqual([100, 100, 50]);
    expect(harbor.requests.map(r => r.path)).toEqual([
      `${ARTIFACTS}${query(1)}`,
      `${ARTIFACTS}${query(2)}`,
      `${ARTIFACTS}${query(3)}`,
    ]);
    const basic = `Basic ${Buffer.from('robot$shop+ci:robot-secret').toString(
      'base64',
    )}`;
    for (const request of harbor.requests) {
      expect(request.headers.authorization).toBe(basic);
    }
    // Harbor orders artifacts, not tags: a tag moved onto an older artifact keeps its place.
    expect(harborTagListing.newestFirst).toBe(false);
  });

  it('describes an image and an index in full where the artifact states media type and platforms', async () => {
    servePages(12);
    const { pages } = await list();
    const byTag = new Map(pages.flat().map(t => [t.tag, t]));
    expect(byTag.get('build-1')).toEqual({
      tag: 'build-1',
      digest: digest(1),
      pushedAt: time(999),
      image: {
        mediaType: MANIFEST,
        size: 40_000_001,
        platforms: ['linux/amd64'],
      },
    });
    // An index: its children's platforms (not the attestation); its size is the sum of its children, not given.
    expect(byTag.get('build-10')).toEqual({
      tag: 'build-10',
      digest: digest(10),
      pushedAt: time(990),
      image: { mediaType: INDEX, platforms: ['linux/amd64', 'linux/arm64/v8'] },
    });
  });

  it('lists one tag per name with the artifact digest and the tag push time, leaving out what is not stated', async () => {
    harbor.route('GET', ARTIFACTS, () => ({
      headers: { 'x-total-count': '3' },
      body: [
        {
          ...artifact(1),
          tags: [
            { name: 'v1.2.0', push_time: time(5) },
            { name: 'prod', push_time: time(50) },
            { name: '' },
            { push_time: time(6) },
          ],
        },
        // A single arm image: Harbor's extra_attrs never names the variant, so the manifest is read instead.
        {
          ...artifact(2),
          extra_attrs: { architecture: 'arm', os: 'linux' },
        },
        // A Helm chart: no platform.
        {
          digest: digest(3),
          size: 4000,
          push_time: time(3),
          media_type: 'application/vnd.cncf.helm.config.v1+json',
          manifest_media_type: 'application/vnd.oci.image.manifest.v1+json',
          extra_attrs: { apiVersion: 'v2', name: 'web' },
          tags: [{ name: 'chart-1', push_time: time(3) }],
        },
      ],
    }));
    const { pages, result } = await list();
    expect(result.requests).toBe(1);
    expect(pages.flat()).toEqual([
      expect.objectContaining({
        tag: 'v1.2.0',
        digest: digest(1),
        pushedAt: time(5),
      }),
      expect.objectContaining({
        tag: 'prod',
        digest: digest(1),
        pushedAt: time(50),
      }),
      {
        tag: 'build-2',
        digest: digest(2),
        pushedAt: time(998),
        image: { size: 40_000_002 },
      },
      {
        tag: 'chart-1',
        digest: digest(3),
        pushedAt: time(3),
        image: { size: 4000 },
      },
    ]);
  });

  it('encodes a nested repository name twice, as Harbor asks', async () => {
    servePages(
      1,
      '/api/v2.0/projects/shop/repositories/team%252Fapi/artifacts',
    );
    const { pages } = await list('shop/team/api');
    expect(pages.flat().map(t => t.tag)).toEqual(['build-0']);
    expect(harbor.requests.map(r => r.path)).toEqual([
      `/api/v2.0/projects/shop/repositories/team%252Fapi/artifacts${query(1)}`,
    ]);
  });

  it('pages by X-Total-Count, or until a short page, when Harbor sends no Link header', async () => {
    harbor.route('GET', ARTIFACTS, url => {
      const page = Number(url.searchParams.get('page'));
      return {
        body: Array.from({ length: page < 3 ? 100 : 7 }, (_, i) =>
          artifact((page - 1) * 100 + i + 1),
        ),
      };
    });
    const { pages, result } = await list();
    expect(result.requests).toBe(3);
    expect(pages.flat()).toHaveLength(207);

    // Two full pages of 200: the total says there is no third to ask for.
    harbor.reset();
    harbor.route('GET', ARTIFACTS, url => {
      const page = Number(url.searchParams.get('page'));
      return {
        headers: { 'x-total-count': '200' },
        body: Array.from({ length: 100 }, (_, i) =>
          artifact((page - 1) * 100 + i + 1),
        ),
      };
    });
    const exact = await list();
    expect(exact.result.requests).toBe(2);
    expect(exact.pages.flat()).toHaveLength(200);
  });

  it('stops at the limit and says the listing is truncated', async () => {
    servePages(250);
    const { pages, result } = await list('shop/web', 150);
    expect(result).toEqual({
      truncated: true,
      stoppedEarly: false,
      requests: 2,
    });
    expect(pages.flat()).toHaveLength(150);
  });

  it('stops when the listing knows the rest', async () => {
    servePages(250);
    const { result } = await listAll(
      harborTagListing,
      client().vendorApi(harbor.url),
      { repository: 'shop/web', stopAfterFirstPage: true },
    );
    expect(result).toEqual({
      truncated: false,
      stoppedEarly: true,
      requests: 1,
    });
  });

  it('says the robot account was refused on a 401, and rate limited on a 429, without leaking the secret', async () => {
    harbor.route('GET', ARTIFACTS, () => ({
      status: 401,
      body: { errors: [{ code: 'UNAUTHORIZED', message: 'unauthorized' }] },
    }));
    await expect(list()).rejects.toMatchObject({
      kind: 'unauthorized',
      message: expect.not.stringContaining('robot-secret'),
    });
    harbor.route('GET', ARTIFACTS, () => ({
      status: 429,
      headers: { 'retry-after': '30' },
      body: { errors: [{ code: 'TOO_MANY_REQUESTS', message: 'slow down' }] },
    }));
    await expect(list()).rejects.toMatchObject({ kind: 'rate-limited' });
  });

  it('refuses an answer in another shape', async () => {
    harbor.route('GET', ARTIFACTS, () => ({
      body: { artifacts: [artifact(1)] },
    }));
    await expect(list()).rejects.toMatchObject({ kind: 'invalid-response' });
    harbor.route('GET', ARTIFACTS, () => ({
      body: [{ ...artifact(1), tags: 'latest' }],
    }));
    await expect(list()).rejects.toMatchObject({ kind: 'invalid-response' });
  });
});
