import {
  createTestDatabases,
  TEST_DATABASE_KINDS,
} from '@berth/plugin-images-backend-test-utils';
import { PromotionLocks } from './PromotionLocks';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

// The locks on the databases Backstage runs on: a lock belongs to one attempt, lives while renewed, and expires by
// itself when its holder stops renewing it.
describe.each(TEST_DATABASE_KINDS)('PromotionLocks on %s', kind => {
  const databases = createTestDatabases();
  afterAll(() => databases.stop(), 30_000);

  it('gives a lock to one attempt at a time, even within one process', async () => {
    const locks = new PromotionLocks(await databases.open(kind));
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () =>
        locks.acquire('ghcr.io/acme/shop:staging'),
      ),
    );
    const held = attempts.filter(Boolean);
    expect(held).toHaveLength(1);
    await held[0]!.release();
    const next = await locks.acquire('ghcr.io/acme/shop:staging');
    expect(next).toBeDefined();
    await next!.release();
  });

  it('keeps a lock past its lease while the attempt runs, and stops an attempt whose lock another took', async () => {
    const db = await databases.open(kind);
    const locks = new PromotionLocks(db, { leaseMs: 300 });
    let heartbeats = 0;
    const lease = await locks.acquire('ghcr.io/acme/shop:latest', async () => {
      heartbeats++;
    });
    expect(lease).toBeDefined();
    await sleep(900);
    // Three leases later, still held: renewed, with a heartbeat each time.
    expect(await locks.acquire('ghcr.io/acme/shop:latest')).toBeUndefined();
    expect(heartbeats).toBeGreaterThanOrEqual(2);
    lease!.ensureHeld();

    // Another attempt took the lock (this one missed its renewals, as under a long database outage)...
    await db('images_locks')
      .where({ lock_key: 'ghcr.io/acme/shop:latest' })
      .update({ owner: 'another-attempt' });
    await sleep(250);
    // ...so this holder finds out at its next renewal and stops before writing more.
    expect(() => lease!.ensureHeld()).toThrow(
      'The lock on ghcr.io/acme/shop:latest expired while this promotion ran and another attempt took it',
    );
    await lease!.release();
    // Releasing a lost lease leaves the new holder's lock alone.
    expect(
      await db('images_locks').where({ lock_key: 'ghcr.io/acme/shop:latest' }),
    ).toEqual([expect.objectContaining({ owner: 'another-attempt' })]);
  });

  it('lets an attempt take a lock whose holder stopped renewing it (its backend died) once it expires', async () => {
    const db = await databases.open(kind);
    const locks = new PromotionLocks(db, { leaseMs: 300 });
    // What a killed backend leaves behind: a lease nobody renews.
    await db('images_locks').insert({
      lock_key: 'ghcr.io/acme/shop:main',
      owner: 'dead-attempt',
      expires_at: new Date(Date.now() + 200),
    });
    expect(await locks.acquire('ghcr.io/acme/shop:main')).toBeUndefined();
    await sleep(300);
    const taker = await locks.acquire('ghcr.io/acme/shop:main');
    expect(taker).toBeDefined();
    await taker!.release();
  });
});
