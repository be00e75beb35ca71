import { isValidTag } from '@berth/plugin-images-common';
import type { ListedTag } from '@berth/plugin-images-node';
import { Knex } from 'knex';
import {
  CHUNK,
  RepositoryKey,
  rowsPerInsert,
  storableDigest,
  storableTags,
} from './indexRows';

// How listings are written into the tag index: names only (the Distribution API), or with digests and push times
// (a product's own API).

/**
 * Replaces the repository's tag set with a fresh listing: new tags are added unresolved, tags gone from the
 * registry are removed, and known tags keep their digest.
 */
export async function replaceTags(
  db: Knex,
  key: RepositoryKey,
  listing: string[],
  truncated: boolean,
  listedAt = new Date(),
): Promise<void> {
  const tags = storableTags(listing);
  await db.transaction(async tx => {
    await tx('images_repositories')
      .insert({
        ...key,
        listed_at: listedAt,
        tag_count: tags.length,
        truncated,
        list_error: null,
      })
      .onConflict(['registry', 'repository'])
      .merge(['listed_at', 'tag_count', 'truncated', 'list_error']);
    const existing = new Set<string>(
      (await tx('images_tags').where(key).select('tag')).map(
        (row: { tag: string }) => row.tag,
      ),
    );
    const listed = new Set(tags);
    const gone = [...existing].filter(tag => !listed.has(tag));
    for (let i = 0; i < gone.length; i += CHUNK) {
      await tx('images_tags')
        .where(key)
        .whereIn('tag', gone.slice(i, i + CHUNK))
        .delete();
    }
    const added = tags.filter(tag => !existing.has(tag));
    const rows = rowsPerInsert(4);
    for (let i = 0; i < added.length; i += rows) {
      await tx('images_tags')
        .insert(
          added.slice(i, i + rows).map(tag => ({ ...key, tag, digest: null })),
        )
        .onConflict(['registry', 'repository', 'tag'])
        .ignore();
    }
  });
}

/** Adds tags (unresolved) without removing any: the first page of a repository's first listing. */
export async function addTags(
  db: Knex,
  key: RepositoryKey,
  page: string[],
): Promise<void> {
  const tags = storableTags(page);
  const rows = rowsPerInsert(4);
  for (let i = 0; i < tags.length; i += rows) {
    await db('images_tags')
      .insert(
        tags.slice(i, i + rows).map(tag => ({ ...key, tag, digest: null })),
      )
      .onConflict(['registry', 'repository', 'tag'])
      .ignore();
  }
}

/**
 * Writes tags as a product's API listed them, each with its digest (resolved as of `listedAt`) and push date. A
 * `complete` listing also removes the tags it did not list; a newest-first listing that stopped at tags it already
 * knew (`complete: false`) only adds and moves. A first page (`partial`) leaves the repository's listing time alone.
 */
export async function putListedTags(
  db: Knex,
  key: RepositoryKey,
  listed: ListedTag[],
  options: {
    listedAt: Date;
    complete: boolean;
    truncated: boolean;
    partial?: boolean;
  },
): Promise<void> {
  const byTag = new Map<string, ListedTag>();
  for (const entry of listed) {
    if (isValidTag(entry.tag)) byTag.set(entry.tag, entry);
  }
  const rows = [...byTag.values()].map(entry => {
    const digest = storableDigest(entry.digest);
    const pushedAt = entry.pushedAt ? new Date(entry.pushedAt) : undefined;
    return {
      ...key,
      tag: entry.tag,
      digest: digest ?? null,
      resolved_at: digest ? options.listedAt : null,
      pushed_at:
        pushedAt && !Number.isNaN(pushedAt.getTime()) ? pushedAt : null,
    };
  });
  await db.transaction(async tx => {
    const perInsert = rowsPerInsert(6);
    for (let i = 0; i < rows.length; i += perInsert) {
      await tx('images_tags')
        .insert(rows.slice(i, i + perInsert))
        .onConflict(['registry', 'repository', 'tag'])
        .merge(['digest', 'resolved_at', 'pushed_at']);
    }
    if (options.partial) return;
    if (options.complete) {
      const gone = (await tx('images_tags').where(key).select('tag'))
        .map((row: { tag: string }) => row.tag)
        .filter((tag: string) => !byTag.has(tag));
      for (let i = 0; i < gone.length; i += CHUNK) {
        await tx('images_tags')
          .where(key)
          .whereIn('tag', gone.slice(i, i + CHUNK))
          .delete();
      }
    }
    const count = await tx('images_tags')
      .where(key)
      .count({ total: '*' })
      .first();
    await tx('images_repositories')
      .insert({
        ...key,
        listed_at: options.listedAt,
        tag_count: Number(count?.total ?? 0),
        truncated: options.truncated,
        list_error: null,
        ...(options.complete && { full_listed_at: options.listedAt }),
      })
      .onConflict(['registry', 'repository'])
      .merge([
        'listed_at',
        'tag_count',
        'truncated',
        'list_error',
        ...(options.complete ? ['full_listed_at'] : []),
      ]);
  });
}
