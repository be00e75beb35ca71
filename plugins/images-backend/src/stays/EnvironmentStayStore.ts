import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { migrateStore } from '../database/migrateStore';

/** An environment of one repository: `registry/repository` and the environment's name. */
export interface StayKey {
  image: string;
  environment: string;
}

/** A digest's time in an environment. */
export interface EnvironmentStay {
  digest: string;
  enteredAt: Date;
  /** Undefined while the environment still runs it. */
  leftAt?: Date;
  source: 'promotion' | 'observed';
}

interface StayRow {
  image: string;
  environment: string;
  seq: number;
  digest: string;
  entered_at: Date | string;
  left_at: Date | string | null;
  source: string;
}

const TABLE = 'images_environment_stays';

function toStay(row: StayRow): EnvironmentStay {
  return {
    digest: row.digest,
    enteredAt: new Date(row.entered_at),
    ...(row.left_at && { leftAt: new Date(row.left_at) }),
    source: row.source === 'promotion' ? 'promotion' : 'observed',
  };
}

/** Every stay of a digest in an environment (`images_environment_stays`), shared by every replica. */
export class EnvironmentStayStore {
  readonly #db: Knex;

  static async create(database: DatabaseService) {
    return new EnvironmentStayStore(
      await migrateStore(database, 'environment-stays'),
    );
  }

  constructor(db: Knex) {
    this.#db = db;
  }

  /**
   * Records that the environment runs `digest` from `at` (or nothing, with undefined): the stay in progress ends at
   * `at` and a new one begins. Nothing changes when the latest stay is already `digest`'s and open. When another
   * replica records the same change at once, one of them wins and the other changes nothing.
   */
  async enter(
    key: StayKey,
    digest: string | undefined,
    at: Date,
    source: EnvironmentStay['source'],
  ): Promise<void> {
    await this.#db.transaction(async tx => {
      const latest: StayRow | undefined = await tx(TABLE)
        .where(key)
        .orderBy('seq', 'desc')
        .first();
      if (latest && !latest.left_at && latest.digest === digest) return;
      if (latest && !latest.left_at) {
        await tx(TABLE)
          .where({ ...key, seq: latest.seq })
          .whereNull('left_at')
          .update({ left_at: at });
      }
      if (!digest) return;
      await tx(TABLE)
        .insert({
          ...key,
          seq: (latest?.seq ?? 0) + 1,
          digest,
          entered_at: at,
          left_at: null,
          source,
        })
        .onConflict(['image', 'environment', 'seq'])
        .ignore();
    });
  }

  /** Every stay in these repositories' environments, oldest first, keyed `image environment`. */
  async staysOfImages(
    images: string[],
  ): Promise<Map<string, EnvironmentStay[]>> {
    const result = new Map<string, EnvironmentStay[]>();
    const unique = [...new Set(images)];
    for (let i = 0; i < unique.length; i += 500) {
      const rows: StayRow[] = await this.#db(TABLE)
        .whereIn('image', unique.slice(i, i + 500))
        .orderBy('seq', 'asc');
      for (const row of rows) {
        const key = `${row.image} ${row.environment}`;
        const list = result.get(key) ?? [];
        list.push(toStay(row));
        result.set(key, list);
      }
    }
    return result;
  }

  /** The stays of `digest` in the environment, oldest first. */
  async staysOf(key: StayKey, digest: string): Promise<EnvironmentStay[]> {
    const rows: StayRow[] = await this.#db(TABLE)
      .where({ ...key, digest })
      .orderBy('seq', 'asc');
    return rows.map(toStay);
  }
}
