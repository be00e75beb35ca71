import { LoggerService } from '@backstage/backend-plugin-api';
import pLimit from 'p-limit';
import { RegistryClient } from '../registry/RegistryClient';
import { failsTheBatch } from './describeDigest';
import { RepositoryKey, TagIndexStore } from './TagIndexStore';

const BATCH = 100;
const PASSES = 5;

/**
 * Resolves every unresolved tag of a repository, in batches that keep the database current while a large repository
 * resolves (pages fill in as it goes). A tag the registry fails to resolve for a reason of its own (a 500 for that
 * tag, a digest header it cannot hash) stays unresolved and does not stop the others; a failure of the registry as a
 * whole does. False when stopped before the end.
 */
export async function resolveInBackground(options: {
  store: TagIndexStore;
  key: RepositoryKey;
  client: RegistryClient;
  logger: LoggerService;
  stopped: () => boolean;
  /** Tags to resolve before the others (those a page view showed); asked again before each batch. */
  first?: () => Set<string>;
  afterBatch: () => Promise<void>;
}): Promise<boolean> {
  const { store, key, client } = options;
  const limit = pLimit(8);
  const failed = new Map<string, string>();
  // Tags a listing still in progress adds meanwhile are picked up by the next pass.
  for (let pass = 0; pass < PASSES; pass++) {
    const unresolved = (await store.getTags(key))
      .filter(t => !t.digest && !failed.has(t.tag))
      .map(t => t.tag);
    if (unresolved.length === 0) break;
    const remaining = new Set(unresolved);
    while (remaining.size > 0) {
      if (options.stopped()) return false;
      const batch = nextBatch(remaining, options.first?.() ?? new Set());
      const outcomes = await Promise.all(
        batch.map(tag =>
          limit(async () => {
            try {
              return {
                tag,
                digest: await client.resolveDigest(key.repository, tag),
              };
            } catch (error) {
              if (failsTheBatch(error)) throw error;
              failed.set(tag, (error as Error).message);
              return undefined;
            }
          }),
        ),
      );
      await store.recordResolved(
        key,
        outcomes.filter(
          (o): o is { tag: string; digest: string | undefined } => !!o,
        ),
      );
      await options.afterBatch();
    }
  }
  if (failed.size > 0) {
    const [tag, message] = failed.entries().next().value!;
    // Once per completion, however many tags failed.
    options.logger.warn(
      `${key.registry}/${key.repository}: ${failed.size} tag(s) could not be resolved and stay unresolved, such as ${tag}: ${message}`,
    );
  }
  return true;
}

/** The next batch: tags asked for first that are still to do, then the others in listing order. */
function nextBatch(remaining: Set<string>, first: Set<string>): string[] {
  const batch: string[] = [];
  for (const tag of first) {
    if (batch.length === BATCH) break;
    if (remaining.has(tag)) batch.push(tag);
  }
  for (const tag of remaining) {
    if (batch.length === BATCH) break;
    if (!first.has(tag)) batch.push(tag);
  }
  for (const tag of batch) remaining.delete(tag);
  return batch;
}
