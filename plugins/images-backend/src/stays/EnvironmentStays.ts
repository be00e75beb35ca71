import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import {
  EnvironmentStay,
  EnvironmentStayStore,
  StayKey,
} from './EnvironmentStayStore';

/** How long one stay lasted, up to `now` while it goes on. */
export function stayLength(stay: EnvironmentStay, now: Date): number {
  return (stay.leftAt ?? now).getTime() - stay.enteredAt.getTime();
}

/**
 * Remembers which digest each environment ran and when: a promotion records the digest it moved there, and every
 * look at an environment's tag (the Images tab, push events, the scheduled refresh) records what it points at. An
 * environment seen at the same digest as last time costs no database request; a change is recorded once, whichever
 * replica sees it first.
 */
export class EnvironmentStays {
  readonly #store: EnvironmentStayStore;
  /** What this replica last recorded or read per environment. */
  readonly #seen = new Map<string, string | null>();
  readonly #listeners: Array<() => void> = [];

  constructor(options: { store: EnvironmentStayStore }) {
    this.#store = options.store;
  }

  /** Calls `listener` whenever this replica records what an environment runs (what the fleet shows may change). */
  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  /** The environment's tag points at `digest` (undefined: the tag is gone), as seen or written at `at`. */
  async observe(
    key: StayKey,
    digest: string | undefined,
    options: { at?: Date; source?: EnvironmentStay['source'] } = {},
  ): Promise<void> {
    const id = `${key.image}\u0000${key.environment}`;
    if (this.#seen.get(id) === (digest ?? null)) return;
    await this.#store.enter(
      key,
      digest,
      options.at ?? new Date(),
      options.source ?? 'observed',
    );
    this.#seen.set(id, digest ?? null);
    this.#changed();
  }

  /** A promotion moved the environment to `digest`: the stay begins now, whatever this replica saw before. */
  async promoted(key: StayKey, digest: string, at: Date): Promise<void> {
    await this.#store.enter(key, digest, at, 'promotion');
    this.#seen.set(`${key.image}\u0000${key.environment}`, digest);
    this.#changed();
  }

  /** Every stay in these repositories' environments, oldest first, keyed `image environment`. */
  staysOfImages(images: string[]): Promise<Map<string, EnvironmentStay[]>> {
    return this.#store.staysOfImages(images);
  }

  /** Every stay of `digest` in the environment, oldest first. */
  staysOf(key: StayKey, digest: string): Promise<EnvironmentStay[]> {
    return this.#store.staysOf(key, digest);
  }
}

/** Service ref for the environment stays. */
export const environmentStaysServiceRef = createServiceRef<EnvironmentStays>({
  id: 'images.environment-stays',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { database: coreServices.database },
      async factory({ database }) {
        return new EnvironmentStays({
          store: await EnvironmentStayStore.create(database),
        });
      },
    }),
});
