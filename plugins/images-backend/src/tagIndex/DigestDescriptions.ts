import { LoggerService } from '@backstage/backend-plugin-api';
import pLimit from 'p-limit';
import { RegistryClient } from '../registry/RegistryClient';
import { describeDigest, failedDescription } from './describeDigest';
import { IndexedManifest, RepositoryKey, TagIndexStore } from './TagIndexStore';

/**
 * Describes each digest of a repository once, ever (what a digest addresses never changes), a bounded number at a
 * time, sharing one fetch between concurrent callers. A digest the registry failed to give for a passing reason is
 * not asked again for a while; one whose content is malformed is stored with its error for good.
 */
export class DigestDescriptions {
  readonly #store: TagIndexStore;
  readonly #logger: LoggerService;
  readonly #concurrency: number;
  readonly #retryAfterMs: number;
  readonly #inFlight = new Map<string, Promise<IndexedManifest>>();
  readonly #failures = new Map<
    string,
    { at: number; manifest: IndexedManifest }
  >();

  constructor(options: {
    store: TagIndexStore;
    logger: LoggerService;
    /** Digests described at once. */
    concurrency: number;
    /** How long a passing failure is answered without asking the registry again. */
    retryAfterMs: number;
  }) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#concurrency = options.concurrency;
    this.#retryAfterMs = options.retryAfterMs;
  }

  /**
   * The descriptions of `digests`: from `known` (the snapshot in memory), else the database, else the registry
   * through `client`. `described` is told of each description stored.
   */
  async describe(options: {
    key: RepositoryKey;
    digests: string[];
    client: () => RegistryClient;
    known?: (digest: string) => IndexedManifest | undefined;
    described: () => void;
  }): Promise<Map<string, IndexedManifest>> {
    const { key, digests } = options;
    const found = new Map<string, IndexedManifest>();
    for (const digest of digests) {
      const manifest = options.known?.(digest);
      if (manifest) found.set(digest, manifest);
    }
    const unknown = [...new Set(digests)].filter(d => !found.has(d));
    if (unknown.length > 0) {
      const stored = await this.#store.getManifests(key, unknown);
      for (const [digest, manifest] of stored) found.set(digest, manifest);
    }
    const missing = unknown.filter(d => !found.has(d));
    const limit = pLimit(this.#concurrency);
    await Promise.all(
      missing.map(digest =>
        limit(async () => {
          const id = `${key.registry}/${key.repository}@${digest}`;
          let running = this.#inFlight.get(id);
          if (!running) {
            running = this.#describeOne(key, digest, options).finally(() =>
              this.#inFlight.delete(id),
            );
            this.#inFlight.set(id, running);
          }
          found.set(digest, await running);
        }),
      ),
    );
    return found;
  }

  async #describeOne(
    key: RepositoryKey,
    digest: string,
    options: { client: () => RegistryClient; described: () => void },
  ): Promise<IndexedManifest> {
    const id = `${key.registry}/${key.repository}@${digest}`;
    const failed = this.#failures.get(id);
    if (failed && Date.now() - failed.at <= this.#retryAfterMs) {
      return failed.manifest;
    }
    let manifest: IndexedManifest;
    try {
      manifest = await describeDigest(options.client(), key.repository, digest);
      this.#failures.delete(id);
    } catch (error) {
      const failure = failedDescription(digest, error);
      if (!failure) throw error;
      manifest = failure.manifest;
      if (!failure.permanent) {
        this.#failures.set(id, { at: Date.now(), manifest });
        return manifest;
      }
      this.#logger.warn(`Tag index: ${manifest.error!.message}`);
    }
    await this.#store.putManifest(key, manifest);
    options.described();
    return manifest;
  }
}
