import { LoggerService } from '@backstage/backend-plugin-api';
import { RegistryClient } from '../registry/RegistryClient';
import { TagListings } from '../tagListings/TagListings';
import { listRepository } from './listRepository';
import {
  IndexedRepository,
  RepositoryKey,
  TagIndexStore,
} from './TagIndexStore';

interface ListingJob {
  done: Promise<IndexedRepository>;
  firstPage: Promise<IndexedRepository>;
}

/**
 * Lists repositories from the registry when the stored listing is older than a caller accepts, one listing per
 * repository at a time. Within a further stale window the stored listing is answered and refreshed behind it.
 */
export class RepositoryListings {
  readonly #store: TagIndexStore;
  readonly #logger: LoggerService;
  readonly #tagListings?: TagListings;
  readonly #maxTags: number;
  readonly #running = new Map<string, ListingJob>();

  constructor(options: {
    store: TagIndexStore;
    logger: LoggerService;
    listings?: TagListings;
    maxTags: number;
  }) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#tagListings = options.listings;
    this.#maxTags = options.maxTags;
  }

  /** The stored listing if listed within `maxAgeMs` (or `maxAgeMs + staleMs`, then refreshed behind), else a new one. */
  async ensure(options: {
    key: RepositoryKey;
    maxAgeMs: number;
    firstPage?: boolean;
    staleMs?: number;
    client: () => RegistryClient;
    /** Told whenever the stored rows changed. */
    changed: () => void;
  }): Promise<IndexedRepository> {
    const { key, maxAgeMs } = options;
    const known = await this.#store.getRepository(key);
    const age = known?.listedAt
      ? Date.now() - known.listedAt.getTime()
      : Infinity;
    if (known && age <= maxAgeMs) return known;
    const job = this.#listing(options);
    if (known && age <= maxAgeMs + (options.staleMs ?? 0)) {
      // The listing is refreshed behind the answer; its failure is the next view's to see.
      job.done.catch(() => undefined);
      return known;
    }
    // A repository never listed before: a page view need not wait for every page of a large listing.
    if (options.firstPage && !known?.listedAt) {
      return Promise.race([job.done, job.firstPage]);
    }
    return job.done;
  }

  /** Settles when the repository's listing in progress is done; undefined when none is. */
  inProgress(key: RepositoryKey): Promise<IndexedRepository> | undefined {
    return this.#running.get(`${key.registry}/${key.repository}`)?.done;
  }

  /** One listing per repository at a time; it says when its first page is stored, and indexes on when done. */
  #listing(options: {
    key: RepositoryKey;
    client: () => RegistryClient;
    changed: () => void;
  }): ListingJob {
    const { key } = options;
    const id = `${key.registry}/${key.repository}`;
    const running = this.#running.get(id);
    if (running) return running;
    const listing = listRepository({
      client: options.client(),
      store: this.#store,
      key,
      maxTags: this.#maxTags,
      logger: this.#logger,
      listings: this.#tagListings,
      changed: options.changed,
    });
    const job = {
      done: listing.done.finally(() => this.#running.delete(id)),
      firstPage: listing.firstPage,
    };
    job.done.catch(() => undefined);
    this.#running.set(id, job);
    return job;
  }
}
