import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { readdirSync } from 'node:fs';

/** The stores of the images backend, each with its own migrations folder and migrations table. */
export type ImagesStoreName =
  | 'tag-index'
  | 'promotions'
  | 'repository-claims'
  | 'deployment-states'
  | 'environment-stays'
  | 'environment-holds';

/** Where a store's migrations are and which table records them (`images_tag_index_migrations`). */
export function storeMigrations(store: ImagesStoreName): Knex.MigratorConfig {
  return {
    directory: resolvePackagePath(
      '@berth/plugin-images-backend',
      'migrations',
      store,
    ),
    tableName: `images_${store.replace(/-/g, '_')}_migrations`,
  };
}

/**
 * Opens the database and brings one store's tables up to date, unless the app skips migrations. Each store owns
 * its migrations, so replacing one service never drops another's tables.
 */
export async function migrateStore(
  database: DatabaseService,
  store: ImagesStoreName,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    const config = storeMigrations(store);
    await adoptSharedMigrations(client, config);
    await client.migrate.latest(config);
  }
  return client;
}

/**
 * Databases created before the stores had their own migrations recorded all of them in knex's default table:
 * the store's table takes over the ones that are its own, so that they do not run again.
 */
async function adoptSharedMigrations(
  client: Knex,
  config: Knex.MigratorConfig,
): Promise<void> {
  if (!(await client.schema.hasTable('knex_migrations'))) return;
  const files = readdirSync(config.directory as string).filter(name =>
    name.endsWith('.js'),
  );
  const shared: Array<{ name: string; batch: number; migration_time: Date }> =
    await client('knex_migrations')
      .whereIn('name', files)
      .select('name', 'batch', 'migration_time');
  if (shared.length === 0) return;
  // Creates the store's migrations table (and its lock table) when it does not exist yet.
  await client.migrate.list(config);
  const table = config.tableName as string;
  const adopted = new Set(
    (await client(table).select('name')).map(row => row.name as string),
  );
  const missing = shared.filter(row => !adopted.has(row.name));
  if (missing.length > 0) await client(table).insert(missing);
}
