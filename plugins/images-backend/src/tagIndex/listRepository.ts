import { LoggerService } from '@backstage/backend-plugin-api';
import type { ListedTag } from '@berth/plugin-images-node';
import { RegistryClient } from '../registry/RegistryClient';
import { TagListings } from '../tagListings/TagListings';
import { storableDigest } from './indexRows';
import {
  IndexedManifest,
  IndexedRepository,
  IndexedTag,
  RepositoryKey,
  TagIndexStore,
} from './TagIndexStore';

/** What a listing may say a media type and a platform are (the columns hold what passes). */
const MEDIA_TYPE = /^[\w.+-]{1,100}\/[\w.+-]{1,150}$/;
const PLATFORM = /^[\w.-]{1,32}(\/[\w.-]{1,32}){1,2}$/;

/** A newest-first listing may stop at a page it knows; once this long, a listing goes through every tag again. */
const FULL_LISTING_MS = 60 * 60_000;

interface ListingOptions {
  client: RegistryClient;
  store: TagIndexStore;
  key: RepositoryKey;
  maxTags: number;
  logger: LoggerService;
  /** Product APIs that list with digests and dates; the Distribution API lists when none serves the registry. */
  listings?: TagListings;
  /** Called whenever the stored rows changed. */
  changed: () => void;
}

/**
 * Lists a repository's tags into the store: its first page as soon as it arrives (a first view of a large, paged
 * repository need not wait for every page), then the whole listing, up to `maxTags`. Through the registry product's
 * own API where Berth has a provider (a page of tags with digests and push dates per request), else through the
 * Distribution API (names only). `firstPage` settles with the first page or the end, whichever is first.
 */
export function listRepository(options: ListingOptions): {
  done: Promise<IndexedRepository>;
  firstPage: Promise<IndexedRepository>;
} {
  let firstPageStored: (repository: IndexedRepository) => void = () => {};
  const firstPage = new Promise<IndexedRepository>(resolve => {
    firstPageStored = resolve;
  });
  const stored = (tagCount: number) =>
    firstPageStored({
      ...options.key,
      tagCount,
      truncated: false,
      partial: true,
    });
  const done = (async () => {
    const vendor = options.listings?.forRegistry(options.client);
    let listed = false;
    if (vendor) {
      try {
        await listThroughApi(options, vendor, stored);
        listed = true;
      } catch (error) {
        if (!options.listings!.fallBack(options.client, vendor.provider, error))
          throw error;
      }
    }
    if (!listed) await listThroughDistribution(options, stored);
    options.changed();
    return (await options.store.getRepository(options.key))!;
  })();
  // Whoever waits gets the failure; nobody waiting is no unhandled rejection.
  done.catch(() => undefined);
  const firstPageOrDone = Promise.race([firstPage, done]);
  firstPageOrDone.catch(() => undefined);
  return { done, firstPage: firstPageOrDone };
}

async function listThroughDistribution(
  options: ListingOptions,
  stored: (tagCount: number) => void,
): Promise<void> {
  const { client, store, key } = options;
  let first = true;
  const listing = await client.listTags(key.repository, {
    limit: options.maxTags,
    onPage: async page => {
      if (!first) return;
      first = false;
      await store.addTags(key, page);
      options.changed();
      stored(page.length);
    },
  });
  if (listing.invalid) {
    // Once per listing, however many there are (an ECR repository may hold thousands of over-long tags).
    options.logger.warn(
      `${key.registry}/${key.repository}: ${listing.invalid.count} name(s) in the tag listing are no valid tag (such as "${listing.invalid.example}") and were left out of the index`,
    );
  }
  await store.replaceTags(key, listing.tags, listing.truncated);
}

/**
 * Lists through the product's API. A newest-first listing of a repository listed in full within the hour stops at
 * the first page whose tags all point where they did: re-indexing costs in proportion to what changed.
 */
async function listThroughApi(
  options: ListingOptions,
  vendor: NonNullable<ReturnType<TagListings['forRegistry']>>,
  stored: (tagCount: number) => void,
): Promise<void> {
  const { store, key } = options;
  const repository = await store.getRepository(key);
  const incremental =
    vendor.provider.newestFirst &&
    repository?.fullListedAt !== undefined &&
    Date.now() - repository.fullListedAt.getTime() < FULL_LISTING_MS;
  const known = incremental
    ? new Map((await store.getTags(key)).map(t => [t.tag, t]))
    : undefined;
  const listedAt = new Date();
  const tags: ListedTag[] = [];
  let first = true;
  const result = await vendor.provider.listTags(vendor.api, {
    repository: key.repository,
    limit: options.maxTags,
    onPage: async page => {
      tags.push(...page);
      if (first) {
        first = false;
        await store.putListedTags(key, page, {
          listedAt,
          complete: false,
          truncated: false,
          partial: true,
        });
        options.changed();
        stored(page.length);
      }
      return !(known && page.length > 0 && page.every(t => isKnown(t, known)));
    },
  });
  await store.putListedTags(key, tags, {
    listedAt,
    complete: !result.stoppedEarly,
    truncated: result.truncated,
  });
  const described = tags.flatMap(describedByListing);
  if (described.length > 0) await store.putManifests(key, described);
}

/** The listing says the tag points where the index has it, pushed when the index says. */
function isKnown(listed: ListedTag, known: Map<string, IndexedTag>): boolean {
  const entry = known.get(listed.tag);
  if (!entry || !listed.digest || entry.digest !== listed.digest) return false;
  const pushed = listed.pushedAt ? Date.parse(listed.pushedAt) : undefined;
  return pushed === entry.pushedAt?.getTime();
}

/** A digest the listing describes in full (media type and platforms: Docker Hub, Harbor), so it is never fetched. */
function describedByListing(listed: ListedTag): IndexedManifest[] {
  const image = listed.image;
  const digest = storableDigest(listed.digest);
  const platforms = image?.platforms;
  if (
    !digest ||
    !image?.mediaType ||
    !MEDIA_TYPE.test(image.mediaType) ||
    !Array.isArray(platforms) ||
    platforms.length > 64 ||
    !platforms.every(p => typeof p === 'string' && PLATFORM.test(p))
  ) {
    return [];
  }
  return [
    {
      digest,
      mediaType: image.mediaType,
      size: image.size,
      platforms,
      labels: {},
    },
  ];
}
