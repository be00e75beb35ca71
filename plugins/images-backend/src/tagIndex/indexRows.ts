import { isValidDigest, isValidTag } from '@berth/plugin-images-common';

/** The rows of the tag index, as the store reads and writes them. */

/**
 * A repository as the index knows it.
 *
 * @public
 */
export interface IndexedRepository {
  registry: string;
  repository: string;
  listedAt?: Date;
  tagCount: number;
  truncated: boolean;
  listError?: string;
  /** When a listing last went through every tag (a newest-first listing may stop at tags it knows). */
  fullListedAt?: Date;
  /** Why background indexing waits now: a registry's rate limit, in words safe to show. */
  heldBack?: string;
  /** Only the first page of a first listing is stored yet: the rest is being listed. */
  partial?: boolean;
}

/**
 * A tag and the digest it was last resolved to.
 *
 * @public
 */
export interface IndexedTag {
  tag: string;
  digest?: string;
  resolvedAt?: Date;
  /** When the tag was pushed, where the registry's listing says. */
  pushedAt?: Date;
}

/**
 * What a digest is. Never changes once written.
 *
 * @public
 */
export interface IndexedManifest {
  digest: string;
  /** Empty when `error` says the digest could not be described. */
  mediaType: string;
  created?: string;
  size?: number;
  platforms: string[];
  labels: Record<string, string>;
  /**
   * Why this digest could not be described, in one sentence naming it: its content is malformed (kept, as content
   * never changes), or the registry failed to give it this time (only in what `TagIndex.describe` returns, never
   * stored). `kind` is the RegistryError kind.
   */
  error?: { kind: string; message: string };
}

/**
 * A repository of a registry, as the index keys it.
 *
 * @public
 */
export interface RepositoryKey {
  registry: string;
  repository: string;
}

// Values per statement: under SQLite's limits (knex writes a multi-row insert as a compound SELECT, at most 500
// terms) and PostgreSQL's limit on bound parameters.
export const CHUNK = 400;
// Bound parameters per statement: old SQLite builds allow 999 (newer ones 32766, PostgreSQL 65535).
const MAX_PARAMETERS = 999;

/** Rows of `columns` values each that one multi-row insert may carry. */
export function rowsPerInsert(columns: number): number {
  return Math.min(CHUNK, Math.floor(MAX_PARAMETERS / columns));
}

/** A digest the digest columns can hold (Berth computes sha256 digests), or undefined. */
export function storableDigest(digest: string | undefined): string | undefined {
  return digest && isValidDigest(digest) && digest.length <= 100
    ? digest
    : undefined;
}

/** Valid tags, once each: anything else would break an insert (PostgreSQL checks the column's length). */
export function storableTags(tags: string[]): string[] {
  return [...new Set(tags)].filter(isValidTag);
}

export function toDate(value: unknown): Date | undefined {
  if (value === null || value === undefined) return undefined;
  return value instanceof Date ? value : new Date(value as string | number);
}

export function fromManifestRow(row: Record<string, unknown>): IndexedManifest {
  return {
    digest: row.digest as string,
    mediaType: row.media_type as string,
    created: (row.created as string | null) ?? undefined,
    size:
      row.size === null || row.size === undefined
        ? undefined
        : Number(row.size),
    platforms: JSON.parse((row.platforms as string) || '[]'),
    labels: JSON.parse((row.labels as string) || '{}'),
    ...(typeof row.error === 'string' && {
      error: {
        kind: (row.error_kind as string | null) ?? 'invalid-manifest',
        message: row.error,
      },
    }),
  };
}
