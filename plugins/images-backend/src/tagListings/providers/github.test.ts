import {
  startVendorApiReplay,
  VendorApiReplay,
  VendorReplayAnswer,
} from '@berth/plugin-images-backend-test-utils';
import { RegistryClient } from '../../registry/RegistryClient';
import { listAll, vendorTestClient } from './__testUtils__/listingHarness';
import { githubTagListing } from './github';

// GitHub's REST API cannot run here: the replay answers in the shapes of GitHub's packages API
// (docs.github.com/en/rest/packages/packages, API version 2022-11-28: "List package versions for a package owned by
// an organization / a user" → an array of `{id, name: "sha256:…", url, package_html_url, created_at, updated_at,
// html_url, metadata: {package_type: "container", container: {tags: [...]}}}`, `per_page` at most 100, `page`,
// `state`; paging by `Link: <…>; rel="next"`; 401 "Requires authentication", 404 for an owner that is no
// organization; `x-ratelimit-*` headers, and over the limit a 403 or 429: with `x-ratelimit-remaining: 0` until
// `x-ratelimit-reset` for the primary limit, with `retry-after` for a secondary one; docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api).
describe('githubTagListing', () => {
  let github: VendorApiReplay;

  beforeAll(async () => {
    github = await startVendorApiReplay();
  });
  afterEach(() => github.reset());
  afterAll(() => github.stop());

  const client = (token: string | undefined = 'ghp_secret') =>
    vendorTestClient({
      host: 'ghcr.io',
      flavor: 'github',
      credentials: token ? { username: 'ci', password: token } : undefined,
      api: { url: github.url },
    });

  const digest = (n: number) => `sha256:${String(n).padStart(64, '0')}`;
  const created = (n: number) =>
    new Date(Date.UTC(2026, 11, 1) - n * 60_000).toISOString();
  /** Every third version is a platform manifest of a multi-arch image (no tags); every fifth has two tags. */
  const tagsOf = (n: number) => {
    if (n % 3 === 2) return [];
    return n % 5 === 0 ? [`v${n}`, `build-${n}`] : [`build-${n}`];
  };
  const version = (n: number) => ({
    id: 9000 + n,
    name: digest(n),
    url: `https://api.github.com/orgs/acme/packages/container/shop%2Fweb/versions/${
      9000 + n
    }`,
    package_html_url:
      'https://github.com/orgs/acme/packages/container/package/shop%2Fweb',
    created_at: created(n),
    updated_at: created(n),
    html_url: `https://github.com/orgs/acme/packages/container/shop%2Fweb/${
      9000 + n
    }`,
    metadata: { package_type: 'container', container: { tags: tagsOf(n) } },
  });

  const ORG = '/orgs/acme/packages/container/shop%2Fweb/versions';
  const USER = '/users/acme/packages/container/shop%2Fweb/versions';
  /** GitHub's next links name the owner by id. */
  const NEXT = '/organizations/4242/packages/container/shop%2Fweb/versions';

  const versionsPage = (
    url: URL,
    total: number,
    links: boolean,
  ): VendorReplayAnswer => {
    const page = Number(url.searchParams.get('page'));
    const size = Number(url.searchParams.get('per_page'));
    const start = (page - 1) * size;
    const body = Array.from(
      { length: Math.max(0, Math.min(size, total - start)) },
      (_, i) => version(start + i),
    );
    const last = Math.ceil(total / size);
    const link = (p: number, rel: string) =>
      `<${github.url}${NEXT}?per_page=${size}&state=active&page=${p}>; rel="${rel}"`;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4990',
      'x-ratelimit-reset': '1796212800',
      'x-ratelimit-resource': 'core',
    };
    if (links && last > 1) {
      headers.link = [
        ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
        ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
      ].join(', ');
    }
    return { headers, body };
  };

  const serveVersions = (
    total: number,
    options: { path?: string; links?: boolean } = {},
  ) => {
    const handler = (url: URL) =>
      versionsPage(url, total, options.links ?? true);
    github.route('GET', options.path ?? ORG, handler);
    github.route('GET', NEXT, handler);
  };

  const list = (
    api: RegistryClient,
    options: { limit?: number; repository?: string } = {},
  ) =>
    listAll(githubTagListing, api.vendorApi(github.url), {
      repository: options.repository ?? 'acme/shop/web',
      limit: options.limit,
    });

  it('is the built-in provider for GitHub, whose API lives on api.github.com, and does not claim an order', () => {
    expect(
      githubTagListing.supports({ host: 'ghcr.io', flavor: 'github' }),
    ).toBe(true);
    expect(
      githubTagListing.supports({ host: 'docker.io', flavor: 'dockerhub' }),
    ).toBe(false);
    expect(
      githubTagListing.apiUrl?.({ host: 'ghcr.io', flavor: 'github' }),
    ).toBe('https://api.github.com');
    expect(githubTagListing.newestFirst).toBe(false);
  });

  it("lists every page by the Link header, one tag per version's tag, with the token and GitHub's headers", async () => {
    serveVersions(250);
    const { pages, result } = await list(client());
    expect(result).toEqual({
      truncated: false,
      stoppedEarly: false,
      requests: 3,
    });
    expect(github.requests.map(r => r.path)).toEqual([
      `${ORG}?per_page=100&page=1&state=active`,
      `${NEXT}?per_page=100&state=active&page=2`,
      `${NEXT}?per_page=100&state=active&page=3`,
    ]);
    for (const request of github.requests) {
      expect(request.headers).toMatchObject({
        authorization: 'Bearer ghp_secret',
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
      });
    }
    const tags = pages.flat();
    // 250 versions: 83 untagged platform manifests (no tags listed), 33 with two tags.
    expect(tags).toHaveLength(250 - 83 + 33);
    expect(tags.slice(0, 3)).toEqual([
      { tag: 'v0', digest: digest(0), pushedAt: created(0) },
      { tag: 'build-0', digest: digest(0), pushedAt: created(0) },
      { tag: 'build-1', digest: digest(1), pushedAt: created(1) },
    ]);
    expect(tags.some(t => t.digest === digest(2))).toBe(false);
  });

  it('asks the user route when the owner is no organization', async () => {
    serveVersions(150, { path: USER });
    const { pages } = await list(client());
    expect(github.requests.map(r => r.path)).toEqual([
      `${ORG}?per_page=100&page=1&state=active`,
      `${USER}?per_page=100&page=1&state=active`,
      `${NEXT}?per_page=100&state=active&page=2`,
    ]);
    expect(pages.flat().length).toBeGreaterThan(100);
  });

  it('pages by number until a short page when GitHub sends no Link header', async () => {
    serveVersions(200, { links: false });
    const { result } = await list(client());
    expect(result.requests).toBe(3);
    expect(github.requests.map(r => r.path)).toEqual([
      `${ORG}?per_page=100&page=1&state=active`,
      `${ORG}?per_page=100&page=2&state=active`,
      `${ORG}?per_page=100&page=3&state=active`,
    ]);
  });

  it('stops at the limit and says the listing is truncated', async () => {
    serveVersions(250);
    const { pages, result } = await list(client(), { limit: 150 });
    expect(result).toEqual({
      truncated: true,
      stoppedEarly: false,
      requests: 2,
    });
    expect(pages.flat()).toHaveLength(150);
  });

  it('stops when the listing knows the rest', async () => {
    serveVersions(250);
    const { result } = await listAll(
      githubTagListing,
      client().vendorApi(github.url),
      { repository: 'acme/shop/web', stopAfterFirstPage: true },
    );
    expect(result).toEqual({
      truncated: false,
      stoppedEarly: true,
      requests: 1,
    });
  });

  it('fails as unauthorized without credentials, and on a refused token without leaking it', async () => {
    github.route('GET', ORG, () => ({
      status: 401,
      body: {
        message: 'Requires authentication',
        documentation_url: 'https://docs.github.com/rest',
      },
    }));
    await expect(list(client(''))).rejects.toMatchObject({
      kind: 'unauthorized',
    });
    expect(github.requests[0].headers.authorization).toBeUndefined();
    await expect(list(client('ghp_secret'))).rejects.toMatchObject({
      kind: 'unauthorized',
      message: expect.not.stringContaining('ghp_secret'),
    });
  });

  it('says rate limited on a 429', async () => {
    github.route('GET', ORG, () => ({
      status: 429,
      headers: {
        'retry-after': '30',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '1796212800',
      },
      body: { message: 'API rate limit exceeded' },
    }));
    await expect(list(client())).rejects.toMatchObject({
      kind: 'rate-limited',
    });
  });

  it("says rate limited, until the limit's reset, on GitHub's 403 for an exhausted primary limit; a plain 403 stays a refusal", async () => {
    const reset = Math.floor(Date.now() / 1000) + 1200;
    github.route('GET', ORG, () => ({
      status: 403,
      headers: {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(reset),
        'x-ratelimit-resource': 'core',
      },
      body: { message: 'API rate limit exceeded for user ID 1.' },
    }));
    const error = await list(client()).catch(e => e);
    expect(error).toMatchObject({ kind: 'rate-limited' });
    // The reset, give or take the milliseconds the answer took.
    expect(Math.abs(error.retryAt.getTime() - reset * 1000)).toBeLessThan(1000);

    github.route('GET', ORG, () => ({
      status: 403,
      body: { message: 'Resource not accessible by personal access token' },
    }));
    await expect(list(client())).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('refuses an answer in another shape, skips versions it cannot read, and names no package for a bare name', async () => {
    github.route('GET', ORG, () => ({
      body: { message: 'versions', items: [] },
    }));
    await expect(list(client())).rejects.toMatchObject({
      kind: 'invalid-response',
    });
    github.route('GET', ORG, () => ({
      body: [
        null,
        { name: digest(1), metadata: null },
        { name: digest(2), metadata: { container: { tags: 'latest' } } },
        { name: digest(3), metadata: { container: { tags: [42, '', 'ok'] } } },
      ],
    }));
    const { pages } = await list(client());
    expect(pages.flat()).toEqual([{ tag: 'ok', digest: digest(3) }]);

    github.requests.length = 0;
    await expect(list(client(), { repository: 'web' })).rejects.toMatchObject({
      kind: 'unsupported',
    });
    expect(github.requests).toHaveLength(0);
  });
});
