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
    for (let i = 0; i < unresolved.length; i += BATCH) {
      if (options.stopped()) return false;
      const outcomes = await Promise.all(
        unresolved.slice(i, i + BATCH).map(tag =>
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
