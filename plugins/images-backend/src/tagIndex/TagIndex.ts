import { randomUUID } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ImageReference } from '@berth/plugin-images-common';
import { RegistryClient } from '../registry/RegistryClient';
import { RegistryHosts } from '../registry/RegistryHosts';
import { RegistryError } from '../registry/errors';
import { DigestDescriptions } from './DigestDescriptions';
import { IndexSnapshot, buildSnapshot } from './IndexSnapshot';
import { CompletionPriorities } from './completionPriorities';
import { RepositoryListings } from './RepositoryListings';
import { resolveInBackground } from './resolveInBackground';
import { TagResolutions } from './TagResolutions';
import { TAG_INDEX_DEFAULTS, TagIndexOptions } from './tagIndexOptions';
import { TagListings } from '../tagListings/TagListings';
import {
  IndexedManifest,
  IndexedRepository,
  RepositoryKey,
  TagIndexStore,
} from './TagIndexStore';

export type { IndexedManifest, IndexSnapshot, TagIndexOptions };

const LEASE_MS = 5 * 60_000;

function keyOf(image: ImageReference): RepositoryKey {
  return { registry: image.registry, repository: image.repository };
}

/**
 * Keeps the tag index of each repository: lists tags (one request per page), resolves environment tags with
 * HEAD requests when they are older than a few seconds, describes each digest once (it never changes), and
 * resolves the remaining tags in the background under a database lease so that one replica does it. Concurrent
 * requests for the same listing, tag or digest share one registry round trip.
 *
 * @public
 */
export class TagIndex {
  readonly #store: TagIndexStore;
  readonly #registries: RegistryHosts;
  readonly #logger: LoggerService;
  readonly #options: Required<TagIndexOptions>;
  readonly #owner = randomUUID();
  readonly #inFlight = new Map<string, Promise<unknown>>();
  readonly #snapshots = new Map<string, IndexSnapshot>();
  readonly #descriptions: DigestDescriptions;
  readonly #listings: RepositoryListings;
  readonly #resolutions: TagResolutions;
  /** Tags and digests a page view showed undone: completion takes them first. */
  readonly #priority = new CompletionPriorities();
  #stopped = false;

  constructor(options: {
    store: TagIndexStore;
    registries: RegistryHosts;
    logger: LoggerService;
    /** Product APIs that list tags with digests and dates; without, the Distribution API lists. */
    listings?: TagListings;
    options?: TagIndexOptions;
  }) {
    this.#store = options.store;
    this.#registries = options.registries;
    this.#logger = options.logger;
    const given = Object.fromEntries(
      Object.entries(options.options ?? {}).filter(([, v]) => v !== undefined),
    );
    this.#options = { ...TAG_INDEX_DEFAULTS, ...given };
    this.#descriptions = new DigestDescriptions({
      store: this.#store,
      logger: this.#logger,
      concurrency: this.#options.describeConcurrency,
      // A digest the registry failed to give is asked again once a listing would be.
      retryAfterMs: this.#options.listMaxAgeMs,
    });
    this.#listings = new RepositoryListings({
      store: this.#store,
      logger: this.#logger,
      listings: options.listings,
      maxTags: this.#options.maxTags,
    });
    this.#resolutions = new TagResolutions({
      store: this.#store,
      logger: this.#logger,
    });
  }

  get store(): TagIndexStore {
    return this.#store;
  }

  /**
   * The repository's tags and described digests. Reused for a second; after that, reused again as long as the
   * database's fingerprint of the repository has not changed, so that the rows are read (and grouped by callers)
   * only when something changed.
   */
  async snapshot(image: ImageReference): Promise<IndexSnapshot> {
    const key = keyOf(image);
    const id = `${key.registry}/${key.repository}`;
    const cached = this.#snapshots.get(id);
    if (cached) {
      // Most recently used last: the first ones go when too many are kept.
      this.#snapshots.delete(id);
      this.#snapshots.set(id, cached);
    }
    if (
      cached &&
      Date.now() - cached.checkedAt <= this.#options.snapshotMaxAgeMs
    ) {
      return cached;
    }
    return this.#once(`snapshot ${id}`, async () => {
      const { fingerprint, listedAt, truncated, heldBack } =
        await this.#store.fingerprint(key);
      if (cached && cached.fingerprint === fingerprint) {
        cached.checkedAt = Date.now();
        return cached;
      }
      const [tags, manifests] = await Promise.all([
        this.#store.getTags(key),
        this.#store.getAllManifests(key),
      ]);
      const snapshot = buildSnapshot(tags, manifests, {
        listedAt,
        truncated,
        heldBack,
        fingerprint,
      });
      this.#snapshots.delete(id);
      this.#snapshots.set(id, snapshot);
      for (const oldest of this.#snapshots.keys()) {
        if (this.#snapshots.size <= this.#options.snapshotsKept) break;
        this.#snapshots.delete(oldest);
      }
      return snapshot;
    });
  }

  /** Records tags this replica just moved (a promotion), so that every replica's next view shows them. */
  async recordTags(
    image: ImageReference,
    tags: Array<{ tag: string; digest: string }>,
  ): Promise<void> {
    const key = keyOf(image);
    await this.#store.recordResolved(key, tags);
    this.#changed(key);
  }

  /** Forgets what this replica holds in memory of a repository (its tags just moved). */
  forget(image: ImageReference): void {
    this.#changed(keyOf(image));
  }

  #changed(key: RepositoryKey): void {
    this.#snapshots.delete(`${key.registry}/${key.repository}`);
  }

  /** The registry client of an image's host; refuses unconfigured hosts before any request. */
  clientFor(image: ImageReference): RegistryClient {
    return this.#registries.clientFor(image.registry);
  }

  /**
   * The repository's listing, refreshed from the registry when older than `maxAgeMs`. With `staleMs`, a listing
   * older than that but within `maxAgeMs + staleMs` is answered as it is and refreshed in the background.
   */
  async ensureListed(
    image: ImageReference,
    maxAgeMs = this.#options.listMaxAgeMs,
    options: { firstPage?: boolean; staleMs?: number } = {},
  ): Promise<IndexedRepository> {
    const key = keyOf(image);
    const snapshot = this.#snapshots.get(`${key.registry}/${key.repository}`);
    if (
      snapshot?.listedAt &&
      Date.now() - snapshot.checkedAt <= this.#options.snapshotMaxAgeMs &&
      Date.now() - snapshot.listedAt.getTime() <= maxAgeMs
    ) {
      return {
        ...key,
        listedAt: snapshot.listedAt,
        tagCount: snapshot.tags.length,
        truncated: snapshot.truncated,
      };
    }
    return this.#listings.ensure({
      key,
      maxAgeMs,
      firstPage: options.firstPage,
      staleMs: options.staleMs,
      client: () => this.clientFor(image),
      changed: () => this.#changed(key),
    });
  }

  /**
   * What these tags point at now: each is resolved with a HEAD unless it was resolved within `maxAgeMs`. A tag
   * the registry no longer has maps to undefined. With `staleMs`, a tag resolved longer ago than `maxAgeMs` but
   * within `maxAgeMs + staleMs` is answered as it was and resolved again in the background (a page view does not
   * wait for a lapsed window).
   */
  async resolveTags(
    image: ImageReference,
    tags: string[],
    maxAgeMs = this.#options.environmentMaxAgeMs,
    options: { staleMs?: number } = {},
  ): Promise<Map<string, string | undefined>> {
    const key = keyOf(image);
    return this.#resolutions.resolve({
      key,
      tags,
      maxAgeMs,
      staleMs: options.staleMs,
      snapshot: await this.snapshot(image),
      client: () => this.clientFor(image),
      current: () => this.#snapshots.get(`${key.registry}/${key.repository}`),
      changed: () => this.#changed(key),
    });
  }

  /**
   * Describes digests the index does not know yet; each digest is fetched once, ever. A digest that cannot be
   * described is in the answer with an `error` (what is wrong, naming it) instead of failing the others: stored when
   * its content is malformed (that never changes), retried after a while when the registry failed to give it. Fails
   * as a whole only for what concerns the registry as a whole (unreachable, rate limited, credentials refused).
   */
  async describe(
    image: ImageReference,
    digests: string[],
    options: { background?: boolean } = {},
  ): Promise<Map<string, IndexedManifest>> {
    const key = keyOf(image);
    const cached = this.#snapshots.get(`${key.registry}/${key.repository}`);
    return this.#descriptions.describe({
      key,
      digests,
      known: digest => cached?.manifests.get(digest),
      client: () => {
        const client = this.clientFor(image);
        return options.background ? client.inBackground() : client;
      },
      described: () => this.#changed(key),
    });
  }

  /**
   * Starts (without waiting) resolving every unresolved tag and describing every new digest of the repository.
   * One replica at a time does it, under a lease in the database.
   */
  startCompletion(image: ImageReference, snapshot?: IndexSnapshot): void {
    if (this.#stopped || snapshot?.complete) return;
    const key = keyOf(image);
    const job = `complete ${key.registry}/${key.repository}`;
    if (this.#inFlight.has(job)) return;
    this.complete(image).catch(error =>
      this.#logger.warn(
        `Could not complete the tag index of ${key.registry}/${key.repository}: ${error.message}`,
      ),
    );
  }

  /** Resolves every unresolved tag and describes every new digest of the repository, under the lease. */
  async complete(image: ImageReference): Promise<void> {
    const key = keyOf(image);
    const id = `${key.registry}/${key.repository}`;
    await this.#once(`complete ${id}`, async () => {
      if (!(await this.#store.tryLease(key, this.#owner, LEASE_MS))) return;
      try {
        const finished = await resolveInBackground({
          store: this.#store,
          key,
          client: this.clientFor(image).inBackground(),
          logger: this.#logger,
          stopped: () => this.#stopped,
          first: () => this.#priority.tags(id),
          afterBatch: async () => {
            this.#changed(key);
            await this.#store.tryLease(key, this.#owner, LEASE_MS);
          },
        });
        if (!finished) return;
        const digests = new Set(
          (await this.#store.getTags(key))
            .map(t => t.digest)
            .filter((d): d is string => Boolean(d)),
        );
        // The digests a page showed undone first; describe() keeps the order it is given.
        const first = this.#priority.takeDigests(id, digests);
        await this.describe(image, [...new Set([...first, ...digests])], {
          background: true,
        });
        await this.#store.recordHeldBack(key);
      } catch (error) {
        // A registry's rate limit holds background work back: the tab says why, and until when.
        if (error instanceof RegistryError && error.kind === 'rate-limited') {
          await this.#store.recordHeldBack(key, {
            message: error.message,
            until: error.retryAt,
          });
          this.#changed(key);
        }
        throw error;
      } finally {
        await this.#store.releaseLease(key, this.#owner);
      }
    });
  }

  /**
   * Marks what a page shows undone (tags not resolved, digests not described) to be completed before the rest, so
   * that a page's order settles first. Completion starts separately; this sends nothing.
   */
  prioritize(
    image: ImageReference,
    undone: { tags: string[]; digests: string[] },
  ): void {
    this.#priority.mark(`${image.registry}/${image.repository}`, undone);
  }

  /** Completes the index once the listing in progress (if any) is done: a page view saw only its first page. */
  completeAfterListing(image: ImageReference): void {
    (this.#listings.inProgress(keyOf(image)) ?? Promise.resolve())
      .then(() => this.startCompletion(image))
      .catch(() => undefined);
  }

  /** A fresh listing, the environment tags, then every tag and digest not resolved yet: the scheduled refresh. */
  async refresh(
    image: ImageReference,
    environmentTags: string[],
  ): Promise<void> {
    await this.ensureListed(image, 0);
    await this.resolveTags(image, environmentTags, 0);
    await this.complete(image);
  }

  /** Stops background work at the next batch (the backend is shutting down). */
  stop(): void {
    this.#stopped = true;
  }

  /** Runs `work` once for concurrent callers with the same key. */
  #once<T>(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.#inFlight.get(key);
    if (running) return running as Promise<T>;
    const promise = work().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, promise);
    return promise;
  }
}
