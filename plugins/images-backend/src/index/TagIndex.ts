import { randomUUID } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ImageReference } from '@berth/plugin-images-common';
import pLimit from 'p-limit';
import { RegistryClient } from '../registry/RegistryClient';
import { RegistryHosts } from '../registry/RegistryHosts';
import { inspectPlatforms } from '../registry/inspectImage';
import { ImageManifest, isIndexMediaType } from '../registry/mediaTypes';
import {
  IndexedManifest,
  IndexedRepository,
  IndexedTag,
  RepositoryKey,
  TagIndexStore,
} from './TagIndexStore';

/**
 * A repository's tags and described digests as read from the database at one moment. Snapshots are reused for a
 * second (or until this replica changes the repository), so that page views on a large repository do not each read
 * every row.
 */
export interface IndexSnapshot {
  tags: IndexedTag[];
  manifests: Map<string, IndexedManifest>;
  /** Every tag resolved and every digest described. */
  complete: boolean;
  /** Tags by the digest they point at. */
  tagsByDigest: Map<string, string[]>;
  tagNames: Set<string>;
  byTag: Map<string, IndexedTag>;
  listedAt?: Date;
  truncated: boolean;
  fingerprint: string;
  checkedAt: number;
}

/** How fresh the index must be, and how big it may grow. */
export interface TagIndexOptions {
  /** A listing older than this is refreshed when a tab opens (default 60 s). */
  listMaxAgeMs?: number;
  /** An environment tag resolved longer ago than this is resolved again (default 30 s). */
  environmentMaxAgeMs?: number;
  /** Tags indexed per repository at most; more are reported as truncated (default 50,000). */
  maxTags?: number;
  /** How long a snapshot is reused before the database is asked whether it changed (default 1 s). */
  snapshotMaxAgeMs?: number;
  /** Digests described at once by a background completion (default 4). */
  describeConcurrency?: number;
}

const LEASE_MS = 5 * 60_000;

function keyOf(image: ImageReference): RepositoryKey {
  return { registry: image.registry, repository: image.repository };
}

/**
 * Keeps the tag index of each repository: lists tags (one request per page), resolves environment tags with
 * HEAD requests when they are older than a few seconds, describes each digest once (it never changes), and
 * resolves the remaining tags in the background under a database lease so that one replica does it. Concurrent
 * requests for the same listing, tag or digest share one registry round trip.
 */
export class TagIndex {
  readonly #store: TagIndexStore;
  readonly #registries: RegistryHosts;
  readonly #logger: LoggerService;
  readonly #options: Required<TagIndexOptions>;
  readonly #owner = randomUUID();
  readonly #inFlight = new Map<string, Promise<unknown>>();
  readonly #snapshots = new Map<string, IndexSnapshot>();
  readonly #listings = new Map<
    string,
    { done: Promise<IndexedRepository>; firstPage: Promise<IndexedRepository> }
  >();
  #stopped = false;

  constructor(options: {
    store: TagIndexStore;
    registries: RegistryHosts;
    logger: LoggerService;
    options?: TagIndexOptions;
  }) {
    this.#store = options.store;
    this.#registries = options.registries;
    this.#logger = options.logger;
    const given = Object.fromEntries(
      Object.entries(options.options ?? {}).filter(([, v]) => v !== undefined),
    );
    this.#options = {
      listMaxAgeMs: 60_000,
      environmentMaxAgeMs: 30_000,
      maxTags: 50_000,
      snapshotMaxAgeMs: 1000,
      describeConcurrency: 4,
      ...given,
    };
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
    if (
      cached &&
      Date.now() - cached.checkedAt <= this.#options.snapshotMaxAgeMs
    ) {
      return cached;
    }
    return this.#once(`snapshot ${id}`, async () => {
      const { fingerprint, listedAt, truncated } =
        await this.#store.fingerprint(key);
      if (cached && cached.fingerprint === fingerprint) {
        cached.checkedAt = Date.now();
        return cached;
      }
      const [tags, manifests] = await Promise.all([
        this.#store.getTags(key),
        this.#store.getAllManifests(key),
      ]);
      const complete = tags.every(t => t.digest && manifests.has(t.digest));
      const tagsByDigest = new Map<string, string[]>();
      for (const { tag, digest } of tags) {
        if (!digest) continue;
        const names = tagsByDigest.get(digest);
        if (names) names.push(tag);
        else tagsByDigest.set(digest, [tag]);
      }
      const snapshot = {
        tags,
        manifests,
        complete,
        tagsByDigest,
        tagNames: new Set(tags.map(t => t.tag)),
        byTag: new Map(tags.map(t => [t.tag, t])),
        listedAt,
        truncated,
        fingerprint,
        checkedAt: Date.now(),
      };
      this.#snapshots.set(id, snapshot);
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

  /** The repository's listing, refreshed from the registry when older than `maxAgeMs`. */
  async ensureListed(
    image: ImageReference,
    maxAgeMs = this.#options.listMaxAgeMs,
    options: { firstPage?: boolean } = {},
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
    const known = await this.#store.getRepository(key);
    if (known?.listedAt && Date.now() - known.listedAt.getTime() <= maxAgeMs) {
      return known;
    }
    const job = this.#listing(image);
    // A repository never listed before: a page view need not wait for every page of a large listing.
    if (options.firstPage && !known?.listedAt) {
      return Promise.race([job.done, job.firstPage]);
    }
    return job.done;
  }

  /** One listing per repository at a time; it says when its first page is stored, and indexes on when done. */
  #listing(image: ImageReference): {
    done: Promise<IndexedRepository>;
    firstPage: Promise<IndexedRepository>;
  } {
    const key = keyOf(image);
    const id = `${key.registry}/${key.repository}`;
    const running = this.#listings.get(id);
    if (running) return running;
    let firstPageStored: (repository: IndexedRepository) => void = () => {};
    const firstPage = new Promise<IndexedRepository>(resolve => {
      firstPageStored = resolve;
    });
    let first = true;
    const done = (async () => {
      const listing = await this.clientFor(image).listTags(key.repository, {
        limit: this.#options.maxTags,
        onPage: async page => {
          if (!first) return;
          first = false;
          await this.#store.addTags(key, page);
          this.#changed(key);
          firstPageStored({
            ...key,
            tagCount: page.length,
            truncated: false,
            partial: true,
          });
        },
      });
      await this.#store.replaceTags(key, listing.tags, listing.truncated);
      this.#changed(key);
      return (await this.#store.getRepository(key))!;
    })().finally(() => this.#listings.delete(id));
    // Whoever waits gets the failure; nobody waiting is no unhandled rejection.
    done.catch(() => undefined);
    const firstPageOrDone = Promise.race([firstPage, done]);
    firstPageOrDone.catch(() => undefined);
    const job = { done, firstPage: firstPageOrDone };
    this.#listings.set(id, job);
    return job;
  }

  /**
   * What these tags point at now: each is resolved with a HEAD unless it was resolved within `maxAgeMs`. A tag
   * the registry no longer has maps to undefined.
   */
  async resolveTags(
    image: ImageReference,
    tags: string[],
    maxAgeMs = this.#options.environmentMaxAgeMs,
  ): Promise<Map<string, string | undefined>> {
    const key = keyOf(image);
    const snapshot = await this.snapshot(image);
    const known = snapshot.byTag;
    // A listing as fresh as we need says which tags do not exist: no request for those.
    const listingFresh =
      snapshot.listedAt &&
      !snapshot.truncated &&
      Date.now() - snapshot.listedAt.getTime() <= maxAgeMs;
    const result = new Map<string, string | undefined>();
    const stale: string[] = [];
    for (const tag of tags) {
      const entry = known.get(tag);
      if (!entry && listingFresh) {
        result.set(tag, undefined);
      } else if (
        entry?.digest &&
        entry.resolvedAt &&
        Date.now() - entry.resolvedAt.getTime() <= maxAgeMs
      ) {
        result.set(tag, entry.digest);
      } else {
        stale.push(tag);
      }
    }
    if (stale.length > 0) {
      const client = this.clientFor(image);
      const fresh = await Promise.all(
        stale.map(tag =>
          this.#once(`head ${key.registry}/${key.repository}:${tag}`, () =>
            client.resolveDigest(key.repository, tag),
          ).then(digest => ({ tag, digest: digest as string | undefined })),
        ),
      );
      const resolvedAt = new Date();
      await this.#store.recordResolved(key, fresh, resolvedAt);
      const unchanged = fresh.every(
        ({ tag, digest }) => digest && known.get(tag)?.digest === digest,
      );
      const current = this.#snapshots.get(`${key.registry}/${key.repository}`);
      if (unchanged && current === snapshot) {
        // The tags still point where they did: keep the rows read earlier, note the new resolution time.
        for (const { tag } of fresh) known.get(tag)!.resolvedAt = resolvedAt;
        snapshot.fingerprint = (await this.#store.fingerprint(key)).fingerprint;
      } else {
        this.#changed(key);
      }
      for (const { tag, digest } of fresh) result.set(tag, digest);
    }
    return result;
  }

  /** Describes digests the index does not know yet; each digest is fetched once, ever. */
  async describe(
    image: ImageReference,
    digests: string[],
    options: { background?: boolean } = {},
  ): Promise<Map<string, IndexedManifest>> {
    const key = keyOf(image);
    const cached = this.#snapshots.get(`${key.registry}/${key.repository}`);
    const known = new Map<string, IndexedManifest>();
    for (const digest of digests) {
      const manifest = cached?.manifests.get(digest);
      if (manifest) known.set(digest, manifest);
    }
    const unknown = [...new Set(digests)].filter(d => !known.has(d));
    if (unknown.length > 0) {
      const stored = await this.#store.getManifests(key, unknown);
      for (const [digest, manifest] of stored) known.set(digest, manifest);
    }
    const missing = unknown.filter(d => !known.has(d));
    const limit = pLimit(this.#options.describeConcurrency);
    await Promise.all(
      missing.map(digest =>
        limit(() =>
          this.#once(
            `describe ${key.registry}/${key.repository}@${digest}`,
            () => this.#describeOne(image, digest, options.background ?? false),
          ).then(manifest => {
            known.set(digest, manifest as IndexedManifest);
          }),
        ),
      ),
    );
    return known;
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
    await this.#once(`complete ${key.registry}/${key.repository}`, async () => {
      if (!(await this.#store.tryLease(key, this.#owner, LEASE_MS))) return;
      try {
        const client = this.clientFor(image).inBackground();
        const limit = pLimit(8);
        // Tags a listing still in progress adds meanwhile are picked up by the next pass.
        for (let pass = 0; pass < 5; pass++) {
          const unresolved = (await this.#store.getTags(key))
            .filter(t => !t.digest)
            .map(t => t.tag);
          if (unresolved.length === 0) break;
          // Batches keep the database current while a large repository resolves, so pages fill in as it goes.
          for (let i = 0; i < unresolved.length; i += 100) {
            if (this.#stopped) return;
            const batch = unresolved.slice(i, i + 100);
            const resolved = await Promise.all(
              batch.map(tag =>
                limit(async () => ({
                  tag,
                  digest: await client.resolveDigest(key.repository, tag),
                })),
              ),
            );
            await this.#store.recordResolved(key, resolved);
            this.#changed(key);
            await this.#store.tryLease(key, this.#owner, LEASE_MS);
          }
        }
        const digests = new Set(
          (await this.#store.getTags(key))
            .map(t => t.digest)
            .filter((d): d is string => Boolean(d)),
        );
        await this.describe(image, [...digests], { background: true });
      } finally {
        await this.#store.releaseLease(key, this.#owner);
      }
    });
  }

  /** Completes the index once the listing in progress (if any) is done: a page view saw only its first page. */
  completeAfterListing(image: ImageReference): void {
    const key = keyOf(image);
    const running = this.#listings.get(`${key.registry}/${key.repository}`);
    (running?.done ?? Promise.resolve())
      .then(() => this.startCompletion(image))
      .catch(() => undefined);
  }

  /** Stops background work at the next batch (the backend is shutting down). */
  stop(): void {
    this.#stopped = true;
  }

  async #describeOne(
    image: ImageReference,
    digest: string,
    background: boolean,
  ): Promise<IndexedManifest> {
    const key = keyOf(image);
    const foreground = this.clientFor(image);
    const client = background ? foreground.inBackground() : foreground;
    const top = await client.getManifest(key.repository, digest);
    // One config is enough to say when and from what the image was built; sizes come from the manifests.
    const platforms = await inspectPlatforms(client, key.repository, top, {
      configs: 'first',
    });
    const config = platforms[0]?.config;
    const annotations = isIndexMediaType(top.mediaType)
      ? undefined
      : (top.manifest as ImageManifest).annotations;
    const manifest: IndexedManifest = {
      digest,
      mediaType: top.mediaType,
      created: config?.created,
      size: platforms.length
        ? Math.max(...platforms.map(p => p.size))
        : undefined,
      platforms: platforms.map(p => p.platform).filter(Boolean),
      labels: config?.labels ?? annotations ?? {},
    };
    await this.#store.putManifest(key, manifest);
    this.#changed(key);
    return manifest;
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
