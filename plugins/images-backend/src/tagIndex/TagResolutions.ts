import { LoggerService } from '@backstage/backend-plugin-api';
import { RegistryClient } from '../registry/RegistryClient';
import { IndexSnapshot } from './IndexSnapshot';
import { RepositoryKey, TagIndexStore } from './TagIndexStore';

/**
 * Says what tags point at now, resolving with a HEAD each tag resolved longer ago than a caller accepts. Within a
 * further stale window a tag is answered as it was and resolved again behind the view, once per window whatever
 * the views. Concurrent callers for the same tag share one HEAD.
 */
export class TagResolutions {
  readonly #store: TagIndexStore;
  readonly #logger: LoggerService;
  readonly #inFlight = new Map<string, Promise<string | undefined>>();
  /** When each tag (`registry/repository:tag`) was last resolved again behind a view. */
  readonly #revalidated = new Map<string, number>();

  constructor(options: { store: TagIndexStore; logger: LoggerService }) {
    this.#store = options.store;
    this.#logger = options.logger;
  }

  /**
   * What `tags` point at, read from `snapshot` when resolved within `maxAgeMs` (or within `maxAgeMs + staleMs`,
   * then resolved again in the background). A tag the registry no longer has maps to undefined.
   */
  async resolve(options: {
    key: RepositoryKey;
    tags: string[];
    maxAgeMs: number;
    staleMs?: number;
    snapshot: IndexSnapshot;
    client: () => RegistryClient;
    /** The snapshot held now: `snapshot` is patched in place only while it is still the one held. */
    current: () => IndexSnapshot | undefined;
    /** Told when the stored rows changed. */
    changed: () => void;
  }): Promise<Map<string, string | undefined>> {
    const { key, tags, maxAgeMs, snapshot } = options;
    const known = snapshot.byTag;
    // A listing as fresh as we need says which tags do not exist: no request for those.
    const listingFresh =
      snapshot.listedAt &&
      !snapshot.truncated &&
      Date.now() - snapshot.listedAt.getTime() <= maxAgeMs;
    const result = new Map<string, string | undefined>();
    const stale: string[] = [];
    const later: string[] = [];
    for (const tag of tags) {
      const entry = known.get(tag);
      const age = entry?.resolvedAt
        ? Date.now() - entry.resolvedAt.getTime()
        : Infinity;
      if (!entry && listingFresh) {
        result.set(tag, undefined);
      } else if (entry?.digest && age <= maxAgeMs) {
        result.set(tag, entry.digest);
      } else if (entry?.digest && age <= maxAgeMs + (options.staleMs ?? 0)) {
        result.set(tag, entry.digest);
        later.push(tag);
      } else {
        stale.push(tag);
      }
    }
    // A view that read its snapshot just before another view's revalidation landed does not ask again.
    const id = `${key.registry}/${key.repository}`;
    const again = later.filter(
      tag =>
        !(
          Date.now() - (this.#revalidated.get(`${id}:${tag}`) ?? 0) <=
          maxAgeMs
        ),
    );
    if (again.length > 0) {
      for (const tag of again)
        this.#revalidated.set(`${id}:${tag}`, Date.now());
      this.#resolveAgain(again, options).catch(error =>
        this.#logger.warn(
          `Could not resolve the tags of ${id} again: ${
            (error as Error).message
          }`,
        ),
      );
    }
    if (stale.length > 0) {
      for (const [tag, digest] of await this.#resolveAgain(stale, options)) {
        result.set(tag, digest);
      }
    }
    return result;
  }

  /** HEADs these tags (one request per tag for concurrent callers) and records what they point at. */
  async #resolveAgain(
    tags: string[],
    options: {
      key: RepositoryKey;
      snapshot: IndexSnapshot;
      client: () => RegistryClient;
      current: () => IndexSnapshot | undefined;
      changed: () => void;
    },
  ): Promise<Map<string, string | undefined>> {
    const { key, snapshot } = options;
    const known = snapshot.byTag;
    const client = options.client();
    const fresh = await Promise.all(
      tags.map(tag =>
        this.#head(client, key, tag).then(digest => ({ tag, digest })),
      ),
    );
    const resolvedAt = new Date();
    await this.#store.recordResolved(key, fresh, resolvedAt);
    const unchanged = fresh.every(
      ({ tag, digest }) => digest && known.get(tag)?.digest === digest,
    );
    if (unchanged && options.current() === snapshot) {
      // The tags still point where they did: keep the rows read earlier, note the new resolution time.
      for (const { tag } of fresh) known.get(tag)!.resolvedAt = resolvedAt;
      snapshot.fingerprint = (await this.#store.fingerprint(key)).fingerprint;
    } else {
      options.changed();
    }
    return new Map(fresh.map(({ tag, digest }) => [tag, digest]));
  }

  /** One HEAD per tag for concurrent callers. */
  #head(
    client: RegistryClient,
    key: RepositoryKey,
    tag: string,
  ): Promise<string | undefined> {
    const id = `${key.registry}/${key.repository}:${tag}`;
    const running = this.#inFlight.get(id);
    if (running) return running;
    const promise = client
      .resolveDigest(key.repository, tag)
      .finally(() => this.#inFlight.delete(id));
    this.#inFlight.set(id, promise);
    return promise;
  }
}
