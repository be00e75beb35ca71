import { LoggerService } from '@backstage/backend-plugin-api';
import { RegistryClient } from '../registry/RegistryClient';
import {
  IndexedRepository,
  RepositoryKey,
  TagIndexStore,
} from './TagIndexStore';

/**
 * Lists a repository's tags into the store: its first page as soon as it arrives (a first view of a large, paged
 * repository need not wait for every page), then the whole listing, up to `maxTags`. Names that are no valid tag
 * are left out and logged once per listing. `firstPage` settles with the first page or the end, whichever is first.
 */
export function listRepository(options: {
  client: RegistryClient;
  store: TagIndexStore;
  key: RepositoryKey;
  maxTags: number;
  logger: LoggerService;
  /** Called whenever the stored rows changed. */
  changed: () => void;
}): {
  done: Promise<IndexedRepository>;
  firstPage: Promise<IndexedRepository>;
} {
  const { client, store, key } = options;
  let firstPageStored: (repository: IndexedRepository) => void = () => {};
  const firstPage = new Promise<IndexedRepository>(resolve => {
    firstPageStored = resolve;
  });
  let first = true;
  const done = (async () => {
    const listing = await client.listTags(key.repository, {
      limit: options.maxTags,
      onPage: async page => {
        if (!first) return;
        first = false;
        await store.addTags(key, page);
        options.changed();
        firstPageStored({
          ...key,
          tagCount: page.length,
          truncated: false,
          partial: true,
        });
      },
    });
    if (listing.invalid) {
      // Once per listing, however many there are (an ECR repository may hold thousands of over-long tags).
      options.logger.warn(
        `${key.registry}/${key.repository}: ${listing.invalid.count} name(s) in the tag listing are no valid tag (such as "${listing.invalid.example}") and were left out of the index`,
      );
    }
    await store.replaceTags(key, listing.tags, listing.truncated);
    options.changed();
    return (await store.getRepository(key))!;
  })();
  // Whoever waits gets the failure; nobody waiting is no unhandled rejection.
  done.catch(() => undefined);
  const firstPageOrDone = Promise.race([firstPage, done]);
  firstPageOrDone.catch(() => undefined);
  return { done, firstPage: firstPageOrDone };
}
