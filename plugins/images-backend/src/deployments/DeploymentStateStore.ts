import { DatabaseService } from '@backstage/backend-plugin-api';
import { DeploymentState } from '@berth/plugin-images-common';
import { Knex } from 'knex';
import { migrateStore } from '../database/migrateStore';

/** Which lane a deployment state is of. */
export interface DeploymentStateKey {
  entityRef: string;
  image: string;
  environment: string;
}

/** What a deployment ran when Berth last looked. */
export interface SeenDeployment {
  state: DeploymentState;
  /** The digests it ran, sorted. */
  running: string[];
  /** The digest the environment's tag pointed at. */
  tagDigest?: string;
}

interface StateRow {
  entity_ref: string;
  image: string;
  environment: string;
  state: string;
  running: string;
  tag_digest: string | null;
  seen_at: Date | string;
}

/** The last deployment state seen per lane (`images_deployment_states`), shared by every replica. */
export class DeploymentStateStore {
  readonly #db: Knex;

  static async create(database: DatabaseService) {
    return new DeploymentStateStore(
      await migrateStore(database, 'deployment-states'),
    );
  }

  constructor(db: Knex) {
    this.#db = db;
  }

  async get(key: DeploymentStateKey): Promise<SeenDeployment | undefined> {
    const row: StateRow | undefined = await this.#db('images_deployment_states')
      .where({
        entity_ref: key.entityRef,
        image: key.image,
        environment: key.environment,
      })
      .first();
    if (!row) return undefined;
    return {
      state: row.state as DeploymentState,
      running: row.running ? row.running.split(',') : [],
      ...(row.tag_digest && { tagDigest: row.tag_digest }),
    };
  }

  async set(key: DeploymentStateKey, seen: SeenDeployment): Promise<void> {
    await this.#db('images_deployment_states')
      .insert({
        entity_ref: key.entityRef,
        image: key.image,
        environment: key.environment,
        state: seen.state,
        running: seen.running.join(','),
        tag_digest: seen.tagDigest ?? null,
        seen_at: new Date(),
      })
      .onConflict(['entity_ref', 'image', 'environment'])
      .merge();
  }
}
