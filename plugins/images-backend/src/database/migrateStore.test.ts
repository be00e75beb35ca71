import { mockServices } from '@backstage/backend-test-utils';
import {
  createTestDatabases,
  TEST_DATABASE_KINDS,
} from '@berth/plugin-images-backend-test-utils';
import { Knex } from 'knex';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PromotionLocks } from '../promotion/PromotionLocks';
import { PromotionStore } from '../promotion/PromotionStore';
import { RepositoryClaims } from '../entities/RepositoryClaims';
import { TagIndexStore } from '../tagIndex/TagIndexStore';
import { storeMigrations } from './migrateStore';

const STORES = ['tag-index', 'promotions', 'repository-claims'] as const;

function databaseService(knex: Knex) {
  return mockServices.database.mock({ getClient: async () => knex });
}

/** The last migration written while every store shared one migrations folder. */
const SHARED_FOLDER_ERA = '20261201121000_repository_claims.js';

// Real PostgreSQL servers on a 2-CPU machine shared with other suites: starting one can take seconds.
jest.setTimeout(30_000);

// Each store brings its own tables up to date, and a database from before that (every migration recorded in knex's
// default table) is taken over without running anything twice or losing a row.
describe.each(TEST_DATABASE_KINDS)('store migrations on %s', kind => {
  const databases = createTestDatabases();
  afterAll(() => databases.stop());

  it('creates only its own tables, so replacing one service keeps the others', async () => {
    const knex = await databases.openEmpty(kind);
    await TagIndexStore.create(databaseService(knex));
    expect(await knex.schema.hasTable('images_tags')).toBe(true);
    expect(await knex.schema.hasTable('images_promotions')).toBe(false);
    expect(await knex.schema.hasTable('images_repository_claims')).toBe(false);

    await PromotionStore.create(databaseService(knex));
    await PromotionLocks.create(databaseService(knex));
    expect(await knex.schema.hasTable('images_promotions')).toBe(true);
    expect(await knex.schema.hasTable('images_locks')).toBe(true);
    expect(await knex.schema.hasTable('images_repository_claims')).toBe(false);
  });

  it('takes over a database migrated when all migrations shared one folder', async () => {
    const knex = await databases.openEmpty(kind);
    const shared = mkdtempSync(join(tmpdir(), 'berth-migrations-'));
    try {
      for (const store of STORES) {
        const { directory } = storeMigrations(store);
        // Only what existed when every store shared one folder; later migrations run when the stores start.
        for (const file of readdirSync(directory as string)) {
          if (file <= SHARED_FOLDER_ERA) {
            cpSync(join(directory as string, file), join(shared, file));
          }
        }
      }
      expect(readdirSync(shared)).toHaveLength(6);
      await knex.migrate.latest({ directory: shared });
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
    await knex('images_repository_claims').insert({
      repository: 'ghcr.io/acme/shop',
      entity_ref: 'component:default/shop',
      owners: '[]',
      claimed_at: new Date(),
    });

    const config = mockServices.rootConfig({ data: {} });
    await TagIndexStore.create(databaseService(knex));
    await PromotionStore.create(databaseService(knex));
    await PromotionLocks.create(databaseService(knex));
    const claims = await RepositoryClaims.create({
      config,
      database: databaseService(knex),
    });

    for (const store of STORES) {
      const { tableName } = storeMigrations(store);
      const { directory } = storeMigrations(store);
      const recorded = await knex(tableName as string).select('name');
      expect(recorded.map(row => row.name).sort()).toEqual(
        readdirSync(directory as string).sort(),
      );
    }
    expect(await knex('images_repository_claims').count({ n: '*' })).toEqual([
      { n: kind === 'PostgreSQL' ? '1' : 1 },
    ]);
    expect(claims).toBeDefined();
  });
});
