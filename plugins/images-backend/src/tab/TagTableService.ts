import {
  BackstageCredentials,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import {
  classifyTag,
  EnvironmentDefinition,
  formatImageReference,
  imagesReadPermission,
  sortByTagVersion,
  TagPage,
  TagRow,
  TagSort,
} from '@berth/plugin-images-common';
import {
  EntityImagesAccess,
  entityImagesAccessServiceRef,
} from '../entities/EntityImagesAccess';
import { IndexSnapshot, TagIndex } from '../tagIndex/TagIndex';
import { tagIndexServiceRef } from '../tagIndex/tagIndexServiceRef';
import { displayOrder, tagPrefix } from './imageSummary';

/** How long past its window a listing is still shown while it is refreshed. */
const LISTING_STALE_MS = 120_000;

/**
 * What the tags endpoint takes.
 *
 * @public
 */
export interface TagQuery {
  image?: string;
  page?: number;
  pageSize?: number;
  sort?: TagSort;
  search?: string;
  artifacts?: boolean;
}

const SIGNATURE_SUFFIXES = ['.sig'];

/** A snapshot's rows, sorted, with how far the index is. */
interface TableRows {
  rows: TagRow[];
  resolved: number;
  complete: boolean;
  /** Every row has a date to sort newest first by (a push time or a build time). */
  dated: boolean;
  /** The rows without those holding only artifacts (signatures), filtered once per snapshot. */
  withoutArtifacts?: TagRow[];
}

/** The rows a page is cut from when no search narrows them: built once, as page views only slice them. */
function withoutArtifacts(built: TableRows, artifacts?: boolean): TagRow[] {
  if (artifacts) return built.rows;
  built.withoutArtifacts ??= built.rows.filter(
    row => !row.tags.every(t => t.kind === 'artifact'),
  );
  return built.withoutArtifacts;
}
const BY_NAME = new Intl.Collator('en', { numeric: true });

/**
 * The tag table of the Images tab: one row per digest with its tags, read from the index. The first page of a
 * repository not listed yet is listed on the way; the rest of the index completes in the background.
 *
 * @public
 */
export class TagTableService {
  readonly #access: EntityImagesAccess;
  readonly #index: TagIndex;
  readonly #rowsMemo = new WeakMap<IndexSnapshot, Map<string, TableRows>>();

  constructor(options: { access: EntityImagesAccess; index: TagIndex }) {
    this.#access = options.access;
    this.#index = options.index;
  }

  async tags(
    entityRef: string,
    credentials: BackstageCredentials,
    query: TagQuery,
  ): Promise<TagPage> {
    const access = await this.#access.authorize(
      entityRef,
      credentials,
      imagesReadPermission,
      'read the images of',
    );
    const { environments } = access;
    const image = this.#access.pickImage(access, query.image);
    const page = Math.max(0, Math.floor(query.page ?? 0));
    const pageSize = Math.min(
      100,
      Math.max(1, Math.floor(query.pageSize ?? 20)),
    );
    const sort: TagSort = query.sort ?? 'created';

    // A lapsed listing is refreshed behind the page: the page answers from the index meanwhile.
    const listing = await this.#index.ensureListed(image, undefined, {
      firstPage: true,
      staleMs: LISTING_STALE_MS,
    });
    const snapshot = await this.#index.snapshot(image);
    const built = this.#rows(snapshot, environments, sort);
    const { resolved, complete, dated } = built;

    const search = query.search?.trim().toLowerCase();
    const visible = search
      ? withoutArtifacts(built, query.artifacts).filter(
          row =>
            row.tags.some(t => t.name.toLowerCase().includes(search)) ||
            Boolean(row.digest?.toLowerCase().includes(search)),
        )
      : withoutArtifacts(built, query.artifacts);
    const shown = visible.slice(page * pageSize, (page + 1) * pageSize);
    if (!complete) {
      // The rows on this page are resolved and described before the rest, so that their order settles first.
      this.#index.prioritize(image, {
        tags: shown.filter(row => !row.digest).map(row => row.tags[0].name),
        digests: shown
          .filter(row => row.digest && !row.created && !row.error)
          .map(row => row.digest!),
      });
    }
    if (listing.partial) this.#index.completeAfterListing(image);
    else if (!complete) this.#index.startCompletion(image);
    return {
      image: formatImageReference(image),
      rows: shown,
      totalRows: visible.length,
      page,
      pageSize,
      sort,
      index: {
        totalTags: snapshot.tags.length,
        resolvedTags: resolved,
        complete,
        listedAt: listing.listedAt?.toISOString(),
        truncated: listing.truncated,
        ...(listing.partial && { listing: true }),
        order: dated ? 'complete' : 'partial',
        ...(snapshot.heldBack && { heldBack: snapshot.heldBack }),
      },
    };
  }

  /**
   * The table's rows for one snapshot of the index, sorted: built once per snapshot, environments and sort order,
   * so that a page view on a large repository only filters and slices.
   */
  #rows(
    snapshot: IndexSnapshot,
    environments: EnvironmentDefinition[],
    sort: TagSort,
  ): TableRows {
    const memoKey = `${sort} ${environments
      .map(e => `${e.name}=${e.tag}`)
      .join(',')}`;
    let memo = this.#rowsMemo.get(snapshot);
    if (!memo) {
      memo = new Map();
      this.#rowsMemo.set(snapshot, memo);
    }
    let built = memo.get(memoKey);
    if (!built) {
      built = buildTagRows(snapshot, environments);
      built.rows = sortRows(built.rows, sort);
      memo.set(memoKey, built);
    }
    return built;
  }
}

/** Groups a snapshot's tags into rows, one per digest; unresolved tags get a row each. */
function buildTagRows(
  snapshot: IndexSnapshot,
  environments: EnvironmentDefinition[],
): TableRows {
  const environmentsByTag = new Map<string, string[]>();
  for (const env of environments) {
    const list = environmentsByTag.get(env.tag) ?? [];
    list.push(env.name);
    environmentsByTag.set(env.tag, list);
  }
  const envTags = [...environmentsByTag.keys()];
  const tagNames = new Set(snapshot.tags.map(t => t.tag));
  const byDigest = new Map<string, string[]>();
  const pushed = new Map<string, string>();
  const rows: TagRow[] = [];
  let resolved = 0;
  for (const entry of snapshot.tags) {
    const pushedAt = entry.pushedAt?.toISOString();
    if (entry.digest) {
      resolved++;
      const names = byDigest.get(entry.digest);
      if (names) names.push(entry.tag);
      else byDigest.set(entry.digest, [entry.tag]);
      // A digest's row is as new as its newest tag.
      if (pushedAt && pushedAt > (pushed.get(entry.digest) ?? '')) {
        pushed.set(entry.digest, pushedAt);
      }
    } else {
      rows.push({
        tags: [{ name: entry.tag, kind: classifyTag(entry.tag, envTags) }],
        ...(pushedAt && { pushedAt }),
        environments: environmentsByTag.get(entry.tag) ?? [],
      });
    }
  }
  let described = true;
  for (const [digest, names] of byDigest) {
    const manifest = snapshot.manifests.get(digest);
    if (!manifest) described = false;
    rows.push({
      digest,
      ...(manifest?.error && { error: manifest.error.message }),
      tags: displayOrder(
        names.map(name => ({ name, kind: classifyTag(name, envTags) })),
      ),
      created: manifest?.created,
      ...(pushed.has(digest) && { pushedAt: pushed.get(digest) }),
      size: manifest?.size,
      platforms: manifest?.platforms,
      signed: SIGNATURE_SUFFIXES.some(suffix =>
        tagNames.has(`${tagPrefix(digest)}${suffix}`),
      ),
      environments: names.flatMap(name => environmentsByTag.get(name) ?? []),
    });
  }
  return {
    rows,
    resolved,
    complete: resolved === snapshot.tags.length && described,
    dated: rows.every(row => dateOf(row)),
  };
}

/** What newest first sorts a row by: when it was pushed, where the listing says, else when it was built. */
function dateOf(row: TagRow): string | undefined {
  return row.pushedAt ?? row.created;
}

/** Sorts the table's rows, reading each row's leading tag once (tens of thousands of rows stay fast). */
function sortRows(rows: TagRow[], sort: TagSort): TagRow[] {
  const lead = (row: TagRow) => row.tags[0]?.name ?? '';
  switch (sort) {
    case 'name':
      return [...rows].sort((a, b) => BY_NAME.compare(lead(a), lead(b)));
    case 'version':
      return sortByTagVersion(rows, lead);
    default: {
      // Newest first; rows not dated yet follow, ordered as well as their names allow.
      const dated = rows.filter(row => dateOf(row));
      const undated = rows.filter(row => !dateOf(row));
      const byVersion = sortByTagVersion(dated, lead);
      const rank = new Map(byVersion.map((row, i) => [row, i]));
      dated.sort(
        (a, b) =>
          dateOf(b)!.localeCompare(dateOf(a)!) || rank.get(a)! - rank.get(b)!,
      );
      return [...dated, ...sortByTagVersion(undated, lead)];
    }
  }
}

/**
 * Service ref for the tag table.
 *
 * @public
 */
export const tagTableServiceRef = createServiceRef<TagTableService>({
  id: 'images.tag-table',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { access: entityImagesAccessServiceRef, index: tagIndexServiceRef },
      async factory(deps) {
        return new TagTableService(deps);
      },
    }),
});
