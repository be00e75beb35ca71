/**
 * How fresh the index must be, and how big it may grow.
 *
 * @public
 */
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
  /** Repositories whose snapshot this replica keeps in memory, the least recently used dropped first (default 200). */
  snapshotsKept?: number;
}

/** What the index does when its options leave something out. */
export const TAG_INDEX_DEFAULTS: Required<TagIndexOptions> = {
  listMaxAgeMs: 60_000,
  environmentMaxAgeMs: 30_000,
  maxTags: 50_000,
  snapshotMaxAgeMs: 1000,
  describeConcurrency: 4,
  snapshotsKept: 200,
};
