import {
  HostileRegistry,
  pushTestImage,
  RegistryProxy,
  RunningRegistry,
  startHostileRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { RegistryClient } from '../RegistryClient';

// Talks to a real CNCF Distribution registry (Debian's docker-registry 2.8) on a free loopback port; a loopback
// proxy in front of it alters answers where a test needs a misbehaving registry.
describe('tags, against a real registry', () => {
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
});

// What the client makes of data a real registry would refuse to store, served by a small misbehaving registry.
describe('tags, with malformed registry data', () => {
  let hostile: HostileRegistry;
  let client: RegistryClient;

  beforeAll(async () => {
    hostile = await startHostileRegistry();
    client = new RegistryClient({
      host: 'registry.example',
      baseUrl: hostile.url,
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    await hostile?.stop();
  });

  it('leaves names that are no valid tag out of a listing, and counts them', async () => {
    hostile.tags(
      'acme/listed',
      [
        'v1',
        'bad tag!',
        'x'.repeat(300),
        null,
        42,
        '-dash',
        'v1',
        'v2',
        '\u001b[2J',
      ],
      { pageSize: 4 },
    );
    expect(await client.listTags('acme/listed')).toEqual({
      tags: ['v1', 'v2'],
      truncated: false,
      invalid: { count: 6, example: 'bad tag!' },
    });
  });

  it('stops a listing of nothing but invalid names at the limit, and says it stopped', async () => {
    hostile.tags(
      'acme/junk',
      [...Array.from({ length: 40 }, (_, i) => `bad name ${i}`), 'v1'],
      { pageSize: 5 },
    );
    hostile.requests.length = 0;
    expect(await client.listTags('acme/junk', { limit: 10 })).toEqual({
      tags: [],
      truncated: true,
      invalid: { count: 10, example: 'bad name 0' },
    });
    expect(hostile.requests).toHaveLength(2);
  });
});
