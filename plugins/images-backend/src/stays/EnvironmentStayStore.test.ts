import {
  createTestDatabases,
  TEST_DATABASE_KINDS,
} from '@berth/plugin-images-backend-test-utils';
import { EnvironmentStayStore } from './EnvironmentStayStore';
import { EnvironmentStays } from './EnvironmentStays';

// Real PostgreSQL servers on a 2-CPU machine shared with other suites: starting one can take seconds.
jest.setTimeout(30_000);

describe('EnvironmentStayStore', () => {
  const databases = createTestDatabases();
  afterAll(() => databases.stop());

  const key = { image: 'ghcr.io/acme/shop', environment: 'staging' };
  const A = `sha256:${'a'.repeat(64)}`;
  const B = `sha256:${'b'.repeat(64)}`;
  const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute));

  it.each(TEST_DATABASE_KINDS)(
    'records each stay, from when the digest was first seen until another one came (%s)',
    async kind => {
      const store = new EnvironmentStayStore(await databases.open(kind));
      await store.enter(key, A, at(0), 'observed');
      await store.enter(key, A, at(5), 'observed');
      await store.enter(key, B, at(10), 'promotion');
      await store.enter(key, undefined, at(20), 'observed');
      await store.enter(key, A, at(30), 'promotion');

      expect(await store.staysOf(key, A)).toEqual([
        {
          digest: A,
          enteredAt: at(0),
          leftAt: at(10),
          source: 'observed',
        },
        { digest: A, enteredAt: at(30), source: 'promotion' },
      ]);
      expect(await store.staysOf(key, B)).toEqual([
        { digest: B, enteredAt: at(10), leftAt: at(20), source: 'promotion' },
      ]);
      // Another environment of the same repository is its own history.
      expect(
        await store.staysOf({ ...key, environment: 'production' }, A),
      ).toEqual([]);
    },
  );

  it.each(TEST_DATABASE_KINDS)(
    'keeps one open stay when many replicas see the same change at once (%s)',
    async kind => {
      const db = await databases.open(kind);
      // Eight replicas, each with its own memory of what it saw, over one database.
      const replicas = Array.from(
        { length: 8 },
        () => new EnvironmentStays({ store: new EnvironmentStayStore(db) }),
      );
      await replicas[0].observe(key, A, { at: at(0) });
      await Promise.all(
        replicas.map(replica => replica.observe(key, B, { at: at(1) })),
      );
      const stays = new EnvironmentStayStore(db);
      expect(await stays.staysOf(key, A)).toEqual([
        { digest: A, enteredAt: at(0), leftAt: at(1), source: 'observed' },
      ]);
      expect(await stays.staysOf(key, B)).toEqual([
        { digest: B, enteredAt: at(1), source: 'observed' },
      ]);
    },
  );
});
