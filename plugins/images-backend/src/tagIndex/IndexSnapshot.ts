import { IndexedManifest, IndexedTag } from './TagIndexStore';

/**
 * A repository's tags and described digests as read from the database at one moment. Snapshots are reused for a
 * second (or until this replica changes the repository), so that page views on a large repository do not each read
 * every row.
 *
 * @public
 */
export interface IndexSnapshot {
  tags: IndexedTag[];
  /** Described digests; one that could not be described has an `error` saying why, and nothing else. */
  manifests: Map<string, IndexedManifest>;
  /** Every tag resolved and every digest described (or known to be malformed). */
  complete: boolean;
  /** Tags by the digest they point at. */
  tagsByDigest: Map<string, string[]>;
  tagNames: Set<string>;
  byTag: Map<string, IndexedTag>;
  listedAt?: Date;
  truncated: boolean;
  /** Why background indexing waits now (a registry's rate limit), in words to show. */
  heldBack?: string;
  fingerprint: string;
  checkedAt: number;
}

/** A snapshot of the rows read, with the lookups callers need. */
export function buildSnapshot(
  tags: IndexedTag[],
  manifests: Map<string, IndexedManifest>,
  state: {
    listedAt?: Date;
    truncated: boolean;
    heldBack?: string;
    fingerprint: string;
  },
): IndexSnapshot {
  const tagsByDigest = new Map<string, string[]>();
  for (const { tag, digest } of tags) {
    if (!digest) continue;
    const names = tagsByDigest.get(digest);
    if (names) names.push(tag);
    else tagsByDigest.set(digest, [tag]);
  }
  return {
    tags,
    manifests,
    complete: tags.every(t => t.digest && manifests.has(t.digest)),
    tagsByDigest,
    tagNames: new Set(tags.map(t => t.tag)),
    byTag: new Map(tags.map(t => [t.tag, t])),
    listedAt: state.listedAt,
    truncated: state.truncated,
    heldBack: state.heldBack,
    fingerprint: state.fingerprint,
    checkedAt: Date.now(),
  };
}
