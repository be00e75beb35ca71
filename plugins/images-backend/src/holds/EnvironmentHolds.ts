import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { HoldInfo } from '@berth/plugin-images-common';
import { Knex } from 'knex';
import { migrateStore } from '../database/migrateStore';

/** An environment of one repository: `registry/repository` and the environment's name. */
export interface HoldKey {
  image: string;
  environment: string;
}

interface HoldRow {
  image: string;
  environment: string;
  held_by: string;
  reason: string;
  held_at: Date | string;
}

const TABLE = 'images_environment_holds';

const toHold = (row: HoldRow): HoldInfo => ({
  heldBy: row.held_by,
  reason: row.reason,
  heldAt: new Date(row.held_at).toISOString(),
});

/**
 * Environments held (`images_environment_holds`): while held, no promotion enters (a rollback still may), whichever
 * replica is asked; one hold per environment at a time.
 */
export class EnvironmentHolds {
  readonly #db: Knex;

  constructor(db: Knex) {
    this.#db = db;
  }

  /** Holds the environment; a conflict when someone holds it already. */
  async hold(
    key: HoldKey,
    hold: { by: string; reason: string; at: Date },
  ): Promise<HoldInfo> {
    await this.#db(TABLE)
      .insert({
        ...key,
        held_by: hold.by,
        reason: hold.reason,
        held_at: hold.at,
      })
      .onConflict(['image', 'environment'])
      .ignore();
    const current = (await this.get(key))!;
    if (
      current.heldBy !== hold.by ||
      current.heldAt !== hold.at.toISOString()
    ) {
      throw new ConflictError(
        `${key.environment} of ${key.image} is held already, by ${current.heldBy}: ${current.reason}`,
      );
    }
    return current;
  }

  /** Releases the environment; false when it was not held. */
  async release(key: HoldKey): Promise<boolean> {
    return (await this.#db(TABLE).where(key).delete()) > 0;
  }

  async get(key: HoldKey): Promise<HoldInfo | undefined> {
    const row: HoldRow | undefined = await this.#db(TABLE).where(key).first();
    return row && toHold(row);
  }

  /** The holds of these environments, in one query: `image environment` → hold. */
  async getMany(keys: HoldKey[]): Promise<Map<string, HoldInfo>> {
    const found = new Map<string, HoldInfo>();
    if (keys.length === 0) return found;
    const rows: HoldRow[] = await this.#db(TABLE).whereIn('image', [
      ...new Set(keys.map(k => k.image)),
    ]);
    for (const row of rows) {
      found.set(`${row.image} ${row.environment}`, toHold(row));
    }
    return found;
  }
}

/** Service ref for the environment holds. */
export const environmentHoldsServiceRef = createServiceRef<EnvironmentHolds>({
  id: 'images.environment-holds',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { database: coreServices.database },
      async factory({ database }) {
        return new EnvironmentHolds(
          await migrateStore(database, 'environment-holds'),
        );
      },
    }),
});
