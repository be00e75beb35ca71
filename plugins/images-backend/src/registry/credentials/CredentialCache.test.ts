import { CredentialCache } from './CredentialCache';
import { RegistryCredentials } from './types';

describe('CredentialCache', () => {
  afterEach(() => jest.restoreAllMocks());

  function counting(
    make: (call: number) => RegistryCredentials | Promise<RegistryCredentials>,
  ) {
    let calls = 0;
    const cache = new CredentialCache(async () => make(++calls));
    return { cache, calls: () => calls };
  }

  it('shares one exchange among concurrent callers', async () => {
    const { cache, calls } = counting(call => ({
      username: 'u',
      password: `p${call}`,
      expiresAt: Date.now() + 3600_000,
    }));
    const results = await Promise.all([cache.get(), cache.get(), cache.get()]);
    expect(results.map(r => r.password)).toEqual(['p1', 'p1', 'p1']);
    expect(calls()).toBe(1);
  });

  it('does not keep a failure', async () => {
    const { cache, calls } = counting(call => {
      if (call === 1) throw new Error('refused');
      return { username: 'u', password: 'p', expiresAt: Date.now() + 3600_000 };
    });
    await expect(cache.get()).rejects.toThrow('refused');
    await expect(cache.get()).resolves.toMatchObject({ password: 'p' });
    expect(calls()).toBe(2);
  });

  it('renews short-lived credentials halfway through their life, and unknown lifetimes after 5 minutes', async () => {
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now);
    const short = counting(() => ({
      username: 'u',
      password: 'p',
      expiresAt: now + 4 * 60_000,
    }));
    await short.cache.get();
    jest.spyOn(Date, 'now').mockReturnValue(now + 119_000);
    await short.cache.get();
    expect(short.calls()).toBe(1);
    jest.spyOn(Date, 'now').mockReturnValue(now + 121_000);
    await short.cache.get();
    expect(short.calls()).toBe(2);

    jest.spyOn(Date, 'now').mockReturnValue(now);
    const unknown = counting(() => ({ username: 'u', password: 'p' }));
    await unknown.cache.get();
    jest.spyOn(Date, 'now').mockReturnValue(now + 299_000);
    await unknown.cache.get();
    expect(unknown.calls()).toBe(1);
    jest.spyOn(Date, 'now').mockReturnValue(now + 301_000);
    await unknown.cache.get();
    expect(unknown.calls()).toBe(2);
  });

  it('does not let an exchange that was under way during invalidate() refill the cache', async () => {
    let release: () => void = () => {};
    const { cache, calls } = counting(async call => {
      if (call === 1) await new Promise<void>(resolve => (release = resolve));
      return {
        username: 'u',
        password: `p${call}`,
        expiresAt: Date.now() + 3600_000,
      };
    });
    const stale = cache.get();
    cache.invalidate();
    const fresh = cache.get();
    release();
    expect((await stale).password).toBe('p1');
    expect((await fresh).password).toBe('p2');
    expect((await cache.get()).password).toBe('p2');
    expect(calls()).toBe(2);
  });
});
