import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { OnboardedEntities } from '../entities/OnboardedEntities';
import { describeError } from '../describeError';
import { EnvironmentStays } from '../stays/EnvironmentStays';
import { BuiltFleet, FleetRows } from './FleetRows';

/** How long a built fleet answers page views as it is. */
export const FLEET_MAX_AGE_MS = 10_000;
/** How much longer it may answer while a new one is built behind the views. */
export const FLEET_STALE_MS = 60_000;

/**
 * The whole fleet as Berth's own service sees it, built once for every viewer whom the policy lets read every entity
 * (one catalog query and three index queries, not per view): fresh for 10 s, then answered while it is rebuilt
 * behind the views for up to a minute more. What this replica records of an environment (a promotion, a refresh, a
 * tab view) makes the next view build it afresh; other replicas' changes show within the same 10 s.
 */
export class FleetSnapshot {
  readonly #onboarded: OnboardedEntities;
  readonly #rows: FleetRows;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;
  readonly #now: () => number;
  #built?: { at: number; fleet: BuiltFleet };
  #building?: Promise<BuiltFleet>;
  /** Counts what this replica recorded of environments; a build is current when it began after the last one. */
  #generation = 0;
  #builtGeneration = -1;
  #buildingGeneration = -1;

  constructor(options: {
    onboarded: OnboardedEntities;
    rows: FleetRows;
    auth: AuthService;
    logger: LoggerService;
    stays: EnvironmentStays;
    now?: () => number;
  }) {
    this.#onboarded = options.onboarded;
    this.#rows = options.rows;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    options.stays.onChange(() => {
      this.#generation++;
    });
  }

  async get(): Promise<BuiltFleet> {
    const built = this.#built;
    const age = built ? this.#now() - built.at : Infinity;
    const current = this.#builtGeneration === this.#generation;
    if (built && current && age < FLEET_MAX_AGE_MS) return built.fleet;
    if (built && current && age < FLEET_MAX_AGE_MS + FLEET_STALE_MS) {
      this.#build().catch(error =>
        this.#logger.warn(
          `Could not rebuild the fleet: ${describeError(error).message}`,
        ),
      );
      return built.fleet;
    }
    return this.#build();
  }

  /** One build at a time; a view arriving meanwhile waits for it, unless a change came after it started. */
  #build(): Promise<BuiltFleet> {
    const generation = this.#generation;
    if (this.#building && this.#buildingGeneration === generation)
      return this.#building;
    const building = (async () => {
      const started = this.#now();
      const readable = await this.#onboarded.readable(
        await this.#auth.getOwnServiceCredentials(),
      );
      const fleet = await this.#rows.build(readable);
      if (!this.#built || this.#built.at <= started) {
        this.#built = { at: started, fleet };
        this.#builtGeneration = generation;
      }
      return fleet;
    })();
    this.#building = building;
    this.#buildingGeneration = generation;
    building
      .finally(() => {
        if (this.#building === building) this.#building = undefined;
      })
      .catch(() => undefined);
    return building;
  }
}
