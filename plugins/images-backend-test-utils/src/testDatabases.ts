import { resolvePackagePath } from '@backstage/backend-plugin-api';
import knexFactory, { Knex } from 'knex';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RunningPostgres, startPostgres } from './testPostgres';

const MIGRATIONS = resolvePackagePath(
  '@berth/plugin-images-backend',
  'migrations',
);

/**
 * Applies every store's migrations as the backend's stores do: one folder and one migrations table per store
 * (`migrations/tag-index` → `images_tag_index_migrations`).
 *
 * @public
 */
export async function migrateImagesDatabase(db: Knex): Promise<void> {
  for (const store of readdirSync(MIGRATIONS).sort()) {
    await db.migrate.latest({
      directory: join(MIGRATIONS, store),
      tableName: `images_${store.replace(/-/g, '_')}_migrations`,
    });
  }
}

/**
 * The databases Backstage runs Berth on.
 *
 * @public
 */
export const TEST_DATABASE_KINDS = ['SQLite', 'PostgreSQL'] as const;

/**
 * A kind of test database.
 *
 * @public
 */
export type TestDatabaseKind = (typeof TEST_DATABASE_KINDS)[number];

/**
 * Empty databases with Berth's migrations applied: SQLite in memory, and PostgreSQL from Debian's server (started on
 * first use).
 *
 * @public
 */
export interface TestDatabases {
  open(kind: TestDatabaseKind): Promise<Knex>;
  /** A fresh database without Berth's tables, for tests of the migrations themselves. */
  openEmpty(kind: TestDatabaseKind): Promise<Knex>;
  stop(): Promise<void>;
}

/**
 * Opens fresh, migrated databases for tests; `stop()` closes them and stops PostgreSQL.
 *
 * @public
 */
export function createTestDatabases(): TestDatabases {
  const sqlite: Knex[] = [];
  let postgres: Promise<RunningPostgres> | undefined;
  let count = 0;
  const openEmpty = async (kind: TestDatabaseKind) => {
    let db: Knex;
    if (kind === 'SQLite') {
      db = knexFactory({
        client: 'better-sqlite3',
        connection: ':memory:',
        useNullAsDefault: true,
      });
      sqlite.push(db);
    } else {
      postgres ??= startPostgres();
      db = await (await postgres).createDatabase(`berth_test_${++count}`);
    }
    return db;
  };
  return {
    openEmpty,
    async open(kind) {
      const db = await openEmpty(kind);
      await migrateImagesDatabase(db);
      return db;
    },
    async stop() {
      await Promise.all(sqlite.map(db => db.destroy()));
      await (await postgres)?.stop();
    },
  };
}
