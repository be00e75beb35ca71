import { DatabaseService } from '@backstage/backend-plugin-api';
import { isValidTag } from '@berth/plugin-images-common';
import type { ListedTag } from '@berth/plugin-images-node';
import { Knex } from 'knex';
import { migrateStore } from '../database/migrateStore';
import { addTags, putListedTags, replaceTags } from './tagWrites';
import {
  IndexedManifest,
  IndexedRepository,
  IndexedTag,
  RepositoryKey,
  CHUNK,
  fromManifestRow,
  rowsPerInsert,
  storableDigest,
  toDate,
} from './indexRows';

export type { IndexedManifest, IndexedRepository, IndexedTag, RepositoryKey };

/**
 * The tag index in Backstage's database (SQLite or PostgreSQL), shared by every backend replica.
 */
export class TagIndexStore {
  readonly #db: Knex;

  static async create(database: DatabaseService): Promise<TagIndexStore> {
    return new TagIndexStore(await migrateStore(database, 'tag-index'));
  }

  constructor(db: Knex) {
    this.#db = db;
  }

  async getRepository(
    key: RepositoryKey,
  ): Promise<IndexedRepository | undefined> {
    const row = await this.#db('images_repositories').where(key).first();
    if (!row) return undefined;
    return {
      registry: row.registry,
      repository: row.repository,
      listedAt: toDate(row.listed_at),
      tagCount: Number(row.tag_count),
      truncated: Boolean(row.truncated),
      listError: row.list_error ?? undefined,
      fullListedAt: toDate(row.full_listed_at),
      ...(row.held_back &&
        (!row.held_until || toDate(row.held_until)! > new Date()) && {
          heldBack: row.held_back as string,
        }),
    };
  }

  /**
   * Replaces the repository's tag set with a fresh listing: new tags are added unresolved, tags gone from the
   * registry are removed, and known tags keep their digest.
   */
  replaceTags(
    key: RepositoryKey,
    listing: string[],
    truncated: boolean,
    listedAt = new Date(),
  ): Promise<void> {
    return replaceTags(this.#db, key, listing, truncated, listedAt);
  }

  /** Adds tags (unresolved) without removing any: the first page of a repository's first listing. */
  addTags(key: RepositoryKey, page: string[]): Promise<void> {
    return addTags(this.#db, key, page);
  }

  /** Writes tags as a product's API listed them (see {@link putListedTags}). */
  putListedTags(
    key: RepositoryKey,
    listed: ListedTag[],
    options: Parameters<typeof putListedTags>[3],
  ): Promise<void> {
    return putListedTags(this.#db, key, listed, options);
  }

  /** Says why background indexing of the repository waits (a registry's rate limit), until when; none clears it. */
  async recordHeldBack(
    key: RepositoryKey,
    heldBack?: { message: string; until?: Date },
  ): Promise<void> {
    await this.#db('images_repositories')
      .where(key)
      .update({
        held_back: heldBack?.message ?? null,
        held_until: heldBack?.until ?? null,
      });
  }

  async recordListError(key: RepositoryKey, message: string): Promise<void> {
    await this.#db('images_repositories')
      .insert({ ...key, list_error: message, tag_count: 0, truncated: false })
      .onConflict(['registry', 'repository'])
      .merge(['list_error']);
  }

  /**
   * A cheap summary that changes whenever the repository's rows do (a listing, a resolution, a new digest), so that
   * a replica can tell whether the rows it read earlier are still current without reading them again.
   */
  async fingerprint(key: RepositoryKey): Promise<{
    fingerprint: string;
    listedAt?: Date;
    truncated: boolean;
    heldBack?: string;
  }> {
    const [tags, manifests, repository] = await Promise.all([
      this.#db('images_tags')
        .where(key)
        .count({ total: '*' })
        .count({ resolved: 'digest' })
        .max({ last: 'resolved_at' })
        .first(),
      this.#db('images_manifests').where(key).count({ total: '*' }).first(),
      this.#db('images_repositories')
        .where(key)
        .select('listed_at', 'truncated', 'held_back', 'held_until')
        .first(),
    ]);
    const last = toDate(tags?.last)?.getTime() ?? 0;
    const listedAt = toDate(repository?.listed_at);
    const heldUntil = toDate(repository?.held_until);
    const heldBack =
      repository?.held_back && (!heldUntil || heldUntil > new Date())
        ? (repository.held_back as string)
        : undefined;
    return {
      fingerprint: [
        listedAt?.getTime() ?? 0,
        tags?.total,
        tags?.resolved,
        last,
        manifests?.total,
        heldBack ?? '',
      ].join('|'),
      listedAt,
      truncated: Boolean(repository?.truncated),
      heldBack,
    };
  }

  async getTags(key: RepositoryKey): Promise<IndexedTag[]> {
    const rows = await this.#db('images_tags')
      .where(key)
      .select('tag', 'digest', 'resolved_at', 'pushed_at');
    return rows.map(
      (row: {
        tag: string;
        digest: string | null;
        resolved_at: unknown;
        pushed_at: unknown;
      }) => ({
        tag: row.tag,
        digest: row.digest ?? undefined,
        resolvedAt: toDate(row.resolved_at),
        pushedAt: toDate(row.pushed_at),
      }),
    );
  }

  /**
   * What these tags of many repositories point at, with when each digest was built: one query per few hundred tags.
   * Keyed `registry/repository:tag`; tags the index does not know are absent.
   */
  async getFleetTags(
    keys: Array<RepositoryKey & { tag: string }>,
  ): Promise<Map<string, { digest?: string; created?: string }>> {
    const result = new Map<string, { digest?: string; created?: string }>();
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK);
      const rows = await this.#db('images_tags as t')
        .leftJoin('images_manifests as m', join =>
          join
            .on('m.registry', 't.registry')
            .andOn('m.repository', 't.repository')
            .andOn('m.digest', 't.digest'),
        )
        .whereIn(
          ['t.registry', 't.repository', 't.tag'],
          chunk.map(k => [k.registry, k.repository, k.tag]),
        )
        .select('t.registry', 't.repository', 't.tag', 't.digest', 'm.created');
      for (const row of rows) {
        result.set(`${row.registry}/${row.repository}:${row.tag}`, {
          digest: row.digest ?? undefined,
          created: row.created ?? undefined,
        });
      }
    }
    return result;
  }

  /** Which of these repositories have been listed: `registry/repository` of each. */
  async getListed(keys: RepositoryKey[]): Promise<Set<string>> {
    const listed = new Set<string>();
    for (let i = 0; i < keys.length; i += CHUNK) {
      const rows = await this.#db('images_repositories')
        .whereIn(
          ['registry', 'repository'],
          keys.slice(i, i + CHUNK).map(k => [k.registry, k.repository]),
        )
        .whereNotNull('listed_at')
        .select('registry', 'repository');
      for (const row of rows) listed.add(`${row.registry}/${row.repository}`);
    }
    return listed;
  }

  async getTagsByName(
    key: RepositoryKey,
    tags: string[],
  ): Promise<Map<string, IndexedTag>> {
    const result = new Map<string, IndexedTag>();
    for (let i = 0; i < tags.length; i += CHUNK) {
      const rows = await this.#db('images_tags')
        .where(key)
        .whereIn('tag', tags.slice(i, i + CHUNK))
        .select('tag', 'digest', 'resolved_at');
      for (const row of rows) {
        result.set(row.tag, {
          tag: row.tag,
          digest: row.digest ?? undefined,
          resolvedAt: toDate(row.resolved_at),
        });
      }
    }
    return result;
  }

  /** Tags on any of these digests, by digest. */
  async getTagsOnDigests(
    key: RepositoryKey,
    digests: string[],
  ): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    if (digests.length === 0) return result;
    const rows = await this.#db('images_tags')
      .where(key)
      .whereIn('digest', digests)
      .select('tag', 'digest');
    for (const row of rows) {
      const list = result.get(row.digest) ?? [];
      list.push(row.tag);
      result.set(row.digest, list);
    }
    return result;
  }

  /** Records what tags point at now; a tag that no longer exists (undefined digest) is removed. */
  async recordResolved(
    key: RepositoryKey,
    resolved: Array<{ tag: string; digest: string | undefined }>,
    resolvedAt = new Date(),
  ): Promise<void> {
    // One row per tag (PostgreSQL refuses to update a row twice in one statement), the last word winning; only what
    // the columns can hold.
    const byTag = new Map<string, string | undefined>();
    for (const { tag, digest } of resolved) {
      if (!isValidTag(tag)) continue;
      byTag.set(tag, storableDigest(digest));
    }
    if (byTag.size === 0) return;
    const unique = [...byTag].map(([tag, digest]) => ({ tag, digest }));
    await this.#db.transaction(async tx => {
      const present = unique.filter(r => r.digest);
      const rows = rowsPerInsert(5);
      for (let i = 0; i < present.length; i += rows) {
        await tx('images_tags')
          .insert(
            present.slice(i, i + rows).map(r => ({
              ...key,
              tag: r.tag,
              digest: r.digest,
              resolved_at: resolvedAt,
            })),
          )
          .onConflict(['registry', 'repository', 'tag'])
          .merge(['digest', 'resolved_at']);
      }
      const missing = unique.filter(r => !r.digest).map(r => r.tag);
      for (let i = 0; i < missing.length; i += CHUNK) {
        await tx('images_tags')
          .where(key)
          .whereIn('tag', missing.slice(i, i + CHUNK))
          .delete();
      }
    });
  }

  async getManifests(
    key: RepositoryKey,
    digests: string[],
  ): Promise<Map<string, IndexedManifest>> {
    const result = new Map<string, IndexedManifest>();
    const unique = [...new Set(digests)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = await this.#db('images_manifests')
        .where(key)
        .whereIn('digest', unique.slice(i, i + CHUNK));
      for (const row of rows) result.set(row.digest, fromManifestRow(row));
    }
    return result;
  }

  async getAllManifests(
    key: RepositoryKey,
  ): Promise<Map<string, IndexedManifest>> {
    const rows = await this.#db('images_manifests').where(key);
    return new Map(
      rows.map((row: Record<string, unknown>) => [
        row.digest as string,
        fromManifestRow(row),
      ]),
    );
  }

  async putManifest(
    key: RepositoryKey,
    manifest: IndexedManifest,
  ): Promise<void> {
    await this.putManifests(key, [manifest]);
  }

  /** Stores descriptions of digests not described yet (a digest's description never changes). */
  async putManifests(
    key: RepositoryKey,
    manifests: IndexedManifest[],
  ): Promise<void> {
    const describedAt = new Date();
    const rows = manifests.map(manifest => ({
      ...key,
      digest: manifest.digest,
      media_type: manifest.mediaType,
      created: manifest.created ?? null,
      size: manifest.size ?? null,
      platforms: JSON.stringify(manifest.platforms),
      labels: JSON.stringify(manifest.labels),
      error_kind: manifest.error?.kind.slice(0, 32) ?? null,
      error: manifest.error?.message ?? null,
      described_at: describedAt,
    }));
    const perInsert = rowsPerInsert(12);
    for (let i = 0; i < rows.length; i += perInsert) {
      await this.#db('images_manifests')
        .insert(rows.slice(i, i + perInsert))
        .onConflict(['registry', 'repository', 'digest'])
        .ignore();
    }
  }

  /**
   * Takes the repository's resolution lease for `ms` unless another replica holds it; true when taken. A lease
   * expires by itself, so a replica that dies does not block the others for long.
   */
  async tryLease(
    key: RepositoryKey,
    owner: string,
    ms: number,
  ): Promise<boolean> {
    const now = new Date();
    const updated = await this.#db('images_repositories')
      .where(key)
      .andWhere(builder =>
        builder
          .whereNull('lease_until')
          .orWhere('lease_until', '<', now)
          .orWhere('lease_owner', owner),
      )
      .update({
        lease_owner: owner,
        lease_until: new Date(now.getTime() + ms),
      });
    return updated > 0;
  }

  async releaseLease(key: RepositoryKey, owner: string): Promise<void> {
    await this.#db('images_repositories')
      .where({ ...key, lease_owner: owner })
      .update({ lease_owner: null, lease_until: null });
  }
}
