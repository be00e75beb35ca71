import {
  BackstageCredentials,
  CacheService,
  coreServices,
  createServiceFactory,
  createServiceRef,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  ANNOTATION_IMAGES,
  classifyTag,
  compareTagVersions,
  sortByTagVersion,
  EntityImagesOverview,
  EnvironmentDefinition,
  environmentImage,
  EnvironmentLane,
  formatImageReference,
  ImageClaimInfo,
  ImageDetails,
  ImageOverview,
  ImageReference,
  ImageReferenceError,
  ImageSource,
  imagesReadPermission,
  isValidDigest,
  PlatformDetails,
  readEntityImagesSpec,
  resolveEnvironments,
  TagInfo,
  TagKind,
  TagPage,
  TagRow,
  TagSort,
} from '@berth/plugin-images-common';
import { IndexSnapshot, TagIndex } from '../index/TagIndex';
import { IndexedManifest, TagIndexStore } from '../index/TagIndexStore';
import { imagesServiceRef } from './ImagesService';
import { RepositoryClaims } from './RepositoryClaims';
import { RegistryError } from '../registry/errors';
import { inspectPlatforms } from '../registry/inspectImage';
import { stringMap } from '../registry/manifestShape';
import {
  ImageIndex,
  ImageManifest,
  isIndexMediaType,
} from '../registry/mediaTypes';

/** An image an entity names but may not claim, and why. */
export interface RefusedImage {
  image: ImageReference;
  message: string;
}

/** What the tags endpoint takes. */
export interface TagQuery {
  image?: string;
  page?: number;
  pageSize?: number;
  sort?: TagSort;
  search?: string;
  artifacts?: boolean;
}

const SIGNATURE_SUFFIXES = ['.sig'];
const MAX_LANE_TAGS = 50;

const KIND_ORDER: TagKind[] = [
  'release',
  'commit',
  'environment',
  'rollback',
  'pull-request',
  'other',
  'artifact',
];

/** Tags of one digest as the tab lists them: releases, then commit builds, then environment pointers. */
function displayOrder(tags: TagInfo[]): TagInfo[] {
  const byKind = new Map<TagKind, TagInfo[]>();
  for (const tag of tags) {
    const list = byKind.get(tag.kind);
    if (list) list.push(tag);
    else byKind.set(tag.kind, [tag]);
  }
  return KIND_ORDER.flatMap(kind =>
    sortByTagVersion(byKind.get(kind) ?? [], tag => tag.name),
  );
}

/** How long a page view may show who claims a repository as this process last read it. */
const CLAIMS_MAX_AGE_MS = 10_000;
const BY_NAME = new Intl.Collator('en', { numeric: true });
const DETAILS_TTL_MS = 30 * 24 * 3600_000;

/** `sha256:abc…` → `sha256-abc…`, the prefix of cosign's and the referrers fallback's tags. */
function tagPrefix(digest: string): string {
  return digest.replace(':', '-');
}

function sourceOf(labels: Record<string, string>): ImageSource {
  const repository =
    labels['org.opencontainers.image.source'] ??
    labels['org.label-schema.vcs-url'];
  const revision =
    labels['org.opencontainers.image.revision'] ??
    labels['org.label-schema.vcs-ref'];
  let commitUrl: string | undefined;
  if (repository && revision && /^https:\/\//.test(repository)) {
    const base = repository.replace(/\.git$/, '').replace(/\/+$/, '');
    if (/^https:\/\/(www\.)?(github\.com|gitlab\.com)\//.test(base)) {
      commitUrl = `${base}/commit/${revision}`;
    } else if (/^https:\/\/bitbucket\.org\//.test(base)) {
      commitUrl = `${base}/commits/${revision}`;
    }
  }
  return { repository, revision, commitUrl };
}

function errorInfo(error: unknown): { kind: string; message: string } {
  if (error instanceof RegistryError)
    return { kind: error.kind, message: error.message };
  if (error instanceof InputError)
    return { kind: 'InputError', message: error.message };
  return {
    kind: 'failed',
    message: (error as Error)?.message ?? String(error),
  };
}

/**
 * The Images tab's data for one entity: the entity is read from the catalog with the caller's credentials and the
 * read permission is checked before any registry request; the registries are read through the tag index.
 */
export class EntityImagesService {
  readonly #catalog: CatalogService;
  readonly #permissions: PermissionsService;
  readonly #index: TagIndex;
  readonly #environments: () => EnvironmentDefinition[];
  readonly #cache: CacheService;
  readonly #logger: LoggerService;
  readonly #claims: RepositoryClaims;
  readonly #rowsMemo = new WeakMap<
    IndexSnapshot,
    Map<string, { rows: TagRow[]; resolved: number; complete: boolean }>
  >();

  constructor(options: {
    catalog: CatalogService;
    permissions: PermissionsService;
    index: TagIndex;
    environments: () => EnvironmentDefinition[];
    cache: CacheService;
    logger: LoggerService;
    claims: RepositoryClaims;
  }) {
    this.#claims = options.claims;
    this.#catalog = options.catalog;
    this.#permissions = options.permissions;
    this.#index = options.index;
    this.#environments = options.environments;
    this.#cache = options.cache;
    this.#logger = options.logger;
  }

  async overview(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityImagesOverview> {
    const { entity, images, refused, environments } = await this.#authorized(
      entityRef,
      credentials,
    );
    const claims = await this.#claims.claims(entity, images, {
      maxAgeMs: CLAIMS_MAX_AGE_MS,
    });
    const shown = await Promise.all(
      images.map(async image => {
        const overview = await this.#imageOverview(image, environments);
        const claim = claims.get(overview.image);
        return claim ? { ...overview, claim } : overview;
      }),
    );
    // Named by the entity but not its to claim: said once, nothing asked of the registry.
    const withheld = refused.map(({ image, message }) => ({
      image: formatImageReference(image),
      registry: image.registry,
      repository: image.repository,
      error: { kind: 'claim-refused', message },
      environments: [],
    }));
    return {
      entityRef: stringifyEntityRef(entity),
      images: [...shown, ...withheld],
    };
  }

  async tags(
    entityRef: string,
    credentials: BackstageCredentials,
    query: TagQuery,
  ): Promise<TagPage> {
    const { images, refused, environments } = await this.#authorized(
      entityRef,
      credentials,
    );
    const image = this.pickImage(images, refused, query.image);
    const page = Math.max(0, Math.floor(query.page ?? 0));
    const pageSize = Math.min(
      100,
      Math.max(1, Math.floor(query.pageSize ?? 20)),
    );
    const sort: TagSort = query.sort ?? 'created';

    const listing = await this.#index.ensureListed(image, undefined, {
      firstPage: true,
    });
    const snapshot = await this.#index.snapshot(image);
    const { rows, resolved, complete } = this.#rows(
      snapshot,
      environments,
      sort,
    );
    if (listing.partial) this.#index.completeAfterListing(image);
    else if (!complete) this.#index.startCompletion(image);

    const search = query.search?.trim().toLowerCase();
    const visible = rows.filter(row => {
      if (!query.artifacts && row.tags.every(t => t.kind === 'artifact'))
        return false;
      if (!search) return true;
      return (
        row.tags.some(t => t.name.toLowerCase().includes(search)) ||
        Boolean(row.digest?.toLowerCase().includes(search))
      );
    });
    return {
      image: formatImageReference(image),
      rows: visible.slice(page * pageSize, (page + 1) * pageSize),
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
      },
    };
  }

  async details(
    entityRef: string,
    credentials: BackstageCredentials,
    query: { image?: string; digest?: string },
  ): Promise<ImageDetails> {
    const { images, refused } = await this.#authorized(entityRef, credentials);
    const image = this.pickImage(images, refused, query.image);
    const digest = query.digest ?? '';
    if (!isValidDigest(digest)) {
      throw new InputError(
        `"${digest}" is not a digest: expected sha256: and 64 hex digits`,
      );
    }
    const key = { registry: image.registry, repository: image.repository };
    const client = this.#index.clientFor(image);
    const cacheKey = `details:${image.registry}/${image.repository}@${digest}`;
    let described = (await this.#cache.get(cacheKey)) as
      | {
          mediaType: string;
          manifest: string;
          platforms: PlatformDetails[];
          index?: ImageIndex;
        }
      | undefined;
    if (!described) {
      const top = await client.getManifest(image.repository, digest);
      const inspected = await inspectPlatforms(client, image.repository, top, {
        configs: 'all',
      });
      const platforms = inspected.map(
        ({ platform, manifest: fetched, config, size }) => {
          const manifest = fetched.manifest as ImageManifest;
          return {
            platform: platform || 'unknown',
            digest: fetched.digest,
            mediaType: fetched.mediaType,
            created: config?.created,
            cmd: config?.cmd,
            entrypoint: config?.entrypoint,
            user: config?.user,
            healthcheck: config?.healthcheck,
            exposedPorts: config?.exposedPorts ?? [],
            labels: config?.labels ?? stringMap(manifest.annotations),
            layers: manifest.layers.map(layer => ({
              digest: layer.digest,
              mediaType: layer.mediaType,
              size: layer.size,
            })),
            size,
          } satisfies PlatformDetails;
        },
      );
      described = {
        mediaType: top.mediaType,
        manifest: JSON.stringify(
          JSON.parse(top.bytes.toString('utf8')),
          null,
          2,
        ),
        platforms,
        index: isIndexMediaType(top.mediaType)
          ? (top.manifest as ImageIndex)
          : undefined,
      };
      // Addressed by digest, so it never changes: keep it as long as the cache will.
      await this.#cache.set(cacheKey, described as any, {
        ttl: DETAILS_TTL_MS,
      });
    }
    const tags = (await this.#index.store.getTags(key)).map(t => t.tag);
    const onDigest =
      (await this.#index.store.getTagsOnDigests(key, [digest])).get(digest) ??
      [];
    const attachments = await client.findAttachments(image.repository, digest, {
      tags,
      index: described.index,
    });
    return {
      image: formatImageReference(image),
      digest,
      mediaType: described.mediaType,
      tags: onDigest.sort(compareTagVersions),
      pullCommand: `docker pull ${formatImageReference({ ...image, digest })}`,
      platforms: described.platforms,
      attachments,
      manifest: described.manifest,
    };
  }

  /**
   * Refreshes the index of every onboarded entity's images: a fresh listing, the environment tags, and every tag
   * and digest not resolved yet. Run by the scheduler on one replica at a time.
   */
  async refreshAll(credentials: BackstageCredentials): Promise<void> {
    const { items } = await this.#catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ANNOTATION_IMAGES}`]: CATALOG_FILTER_EXISTS,
        },
        fields: ['kind', 'metadata', 'spec.type', 'spec.owner', 'relations'],
      },
      { credentials },
    );
    const seen = new Set<string>();
    const claims: Array<{ entity: Entity; images: ImageReference[] }> = [];
    const specs: Array<ReturnType<EntityImagesService['spec']>> = [];
    for (const entity of items) {
      try {
        const spec = this.spec(entity);
        claims.push({ entity, images: spec.images });
        specs.push({
          ...spec,
          images: spec.images.filter(
            image => this.#claims.decide(entity, image).allowed,
          ),
        });
      } catch (error) {
        this.#logger.warn(
          `Skipping ${stringifyEntityRef(entity)}: ${(error as Error).message}`,
        );
      }
    }
    await this.#claims.replaceAll(claims);
    for (const spec of specs) {
      for (const image of spec.images) {
        const name = formatImageReference(image);
        if (seen.has(name)) continue;
        seen.add(name);
        try {
          await this.#index.ensureListed(image, 0);
          await this.#index.resolveTags(
            image,
            spec.environments.map(env => env.tag),
            0,
          );
          await this.#index.complete(image);
        } catch (error) {
          this.#logger.warn(
            `Could not refresh the tag index of ${name}: ${
              errorInfo(error).message
            }`,
          );
        }
      }
    }
  }

  /**
   * The table's rows for one snapshot of the index, sorted: built once per snapshot, environments and sort order,
   * so that a page view on a large repository only filters and slices.
   */
  #rows(
    snapshot: IndexSnapshot,
    environments: EnvironmentDefinition[],
    sort: TagSort,
  ): { rows: TagRow[]; resolved: number; complete: boolean } {
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

  async #imageOverview(
    image: ImageReference,
    environments: EnvironmentDefinition[],
  ): Promise<ImageOverview> {
    const name = formatImageReference(image);
    const base = {
      image: name,
      registry: image.registry,
      repository: image.repository,
    };
    try {
      const envTags = [...new Set(environments.map(env => env.tag))];
      // The lanes need only the environment tags: the listing (many round trips on a large, paged repository)
      // refreshes alongside, and the index completes after it, in the background.
      this.#index
        .ensureListed(image)
        .then(() => this.#index.snapshot(image))
        .then(snapshot => this.#index.startCompletion(image, snapshot))
        .catch(error =>
          this.#logger.warn(
            `Could not list the tags of ${name}: ${errorInfo(error).message}`,
          ),
        );
      // Most environments keep their tags in the image's own repository; some in another repository or registry.
      const places = new Map<
        string,
        { image: ImageReference; tags: Set<string> }
      >();
      const placeOf = (env: EnvironmentDefinition) =>
        formatImageReference(environmentImage(image, env));
      for (const env of environments) {
        const key = placeOf(env);
        const place = places.get(key) ?? {
          image: environmentImage(image, env),
          tags: new Set<string>(),
        };
        place.tags.add(env.tag);
        places.set(key, place);
      }
      const seen = new Map(
        await Promise.all(
          [...places].map(async ([key, place]) => {
            const resolved = await this.#index.resolveTags(place.image, [
              ...place.tags,
            ]);
            const digests = [
              ...new Set(
                [...resolved.values()].filter((d): d is string => !!d),
              ),
            ];
            const [manifests, snapshot] = await Promise.all([
              this.#index.describe(place.image, digests),
              this.#index.snapshot(place.image),
            ]);
            return [key, { resolved, manifests, snapshot }] as const;
          }),
        ),
      );
      const lanes: EnvironmentLane[] = [];
      let previous:
        | { name: string; digest: string; created?: string }
        | undefined;
      for (const env of environments) {
        const place = placeOf(env);
        const { resolved, manifests, snapshot } = seen.get(place)!;
        const digest = resolved.get(env.tag);
        const lane: EnvironmentLane = {
          name: env.name,
          tag: env.tag,
          protected: Boolean(env.protected),
          status: digest ? 'GREEN' : 'RED',
          ...(place !== name && { repository: place }),
        };
        if (!digest) {
          lane.message = `${place} has no tag ${env.tag}`;
          lanes.push(lane);
          continue;
        }
        const indexed = manifests.get(digest);
        // The tag exists; what it points at may be unreadable (malformed content): say so on this lane only.
        if (indexed?.error) lane.message = indexed.error.message;
        const manifest = indexed?.error ? undefined : indexed;
        lane.digest = digest;
        lane.image = this.#summary(
          digest,
          manifest,
          [...new Set([...(snapshot.tagsByDigest.get(digest) ?? []), env.tag])],
          snapshot.tagNames.has(`${tagPrefix(digest)}.sig`),
          envTags,
        );
        if (previous) {
          lane.drift = driftOf(digest, manifest?.created, previous);
        }
        previous = { name: env.name, digest, created: manifest?.created };
        lanes.push(lane);
      }
      return { ...base, environments: lanes };
    } catch (error) {
      const info = errorInfo(error);
      this.#logger.warn(`Images tab: ${name}: ${info.message}`);
      return {
        ...base,
        error: info,
        environments: environments.map(env => ({
          name: env.name,
          tag: env.tag,
          protected: Boolean(env.protected),
          status: 'GREY' as const,
          message: info.message,
        })),
      };
    }
  }

  #summary(
    digest: string,
    manifest: IndexedManifest | undefined,
    tags: string[],
    signed: boolean,
    envTags: string[],
  ) {
    return {
      digest,
      mediaType: manifest?.mediaType ?? '',
      created: manifest?.created,
      size: manifest?.size,
      platforms: manifest?.platforms ?? [],
      labels: manifest?.labels ?? {},
      source: sourceOf(manifest?.labels ?? {}),
      signed,
      // A digest can carry thousands of tags (a build tagged per commit): the lane shows the first few.
      tags: displayOrder(
        tags.map(name => ({ name, kind: classifyTag(name, envTags) })),
      )
        .slice(0, MAX_LANE_TAGS)
        .map(tag => tag.name),
    };
  }

  /**
   * One of the entity's images by name (the first it may claim when no name is given); 403 for one it names but may
   * not claim, 400 for one it does not name.
   */
  pickImage(
    images: ImageReference[],
    refused: RefusedImage[],
    requested: string | undefined,
  ): ImageReference {
    const match = requested
      ? images.find(image => formatImageReference(image) === requested)
      : images[0];
    if (match) return match;
    const withheld = requested
      ? refused.find(r => formatImageReference(r.image) === requested)
      : refused[0];
    if (withheld) throw new NotAllowedError(withheld.message);
    throw new InputError(
      `${requested} is not one of this entity's images (${images
        .map(formatImageReference)
        .join(', ')})`,
    );
  }

  async #authorized(entityRef: string, credentials: BackstageCredentials) {
    return this.authorize(
      entityRef,
      credentials,
      imagesReadPermission,
      'read the images of',
    );
  }

  /**
   * Reads the entity from the catalog with the caller's credentials (404 when they may not see it), checks a
   * permission on it (403), and returns its images and environments. Nothing is asked of a registry before this.
   */
  async authorize(
    entityRef: string,
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    action: string,
  ): Promise<{
    entity: Entity;
    /** The images the entity names and may claim. */
    images: ImageReference[];
    /** The images it names but may not claim (`images.repositoryOwners`), with why. */
    refused: RefusedImage[];
    environments: EnvironmentDefinition[];
  }> {
    const entity = await this.#catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef}, or you may not see it`);
    }
    const [decision] = await this.#permissions.authorize(
      [{ permission, resourceRef: stringifyEntityRef(entity) }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not ${action} ${stringifyEntityRef(entity)}`,
      );
    }
    const spec = this.spec(entity);
    const images: ImageReference[] = [];
    const refused: RefusedImage[] = [];
    for (const image of spec.images) {
      const claim = this.#claims.decide(entity, image);
      if (claim.allowed) images.push(image);
      else refused.push({ image, message: claim.message });
    }
    return { entity, images, refused, environments: spec.environments };
  }

  /** Other entities naming the image's repository, when it is contested (no configured owners decide). */
  async claimOf(
    entity: Entity,
    image: ImageReference,
  ): Promise<ImageClaimInfo | undefined> {
    return (await this.#claims.claims(entity, [image])).get(
      formatImageReference(image),
    );
  }

  /** The tag index, shared with the promotion service so that a promotion shows at once. */
  get index(): TagIndex {
    return this.#index;
  }

  /** The entity's images and environments, from its annotations (400 when they are malformed). */
  spec(entity: Entity) {
    let spec;
    try {
      spec = readEntityImagesSpec(entity);
    } catch (error) {
      if (error instanceof ImageReferenceError)
        throw new InputError(error.message);
      throw error;
    }
    if (!spec) {
      throw new InputError(
        `${stringifyEntityRef(
          entity,
        )} has no berth.dev/images annotation: add one, such as berth.dev/images: ghcr.io/owner/app`,
      );
    }
    return {
      images: spec.images,
      environments: resolveEnvironments(
        this.#environments(),
        spec.environmentOverrides,
      ),
    };
  }
}

function driftOf(
  digest: string,
  created: string | undefined,
  previous: { digest: string; created?: string },
): EnvironmentLane['drift'] {
  if (digest === previous.digest) return 'same';
  if (created && previous.created) {
    if (created < previous.created) return 'behind';
    if (created > previous.created) return 'ahead';
  }
  return 'different';
}

/** Groups a snapshot's tags into rows, one per digest; unresolved tags get a row each. */
function buildTagRows(
  snapshot: IndexSnapshot,
  environments: EnvironmentDefinition[],
): { rows: TagRow[]; resolved: number; complete: boolean } {
  const environmentsByTag = new Map<string, string[]>();
  for (const env of environments) {
    const list = environmentsByTag.get(env.tag) ?? [];
    list.push(env.name);
    environmentsByTag.set(env.tag, list);
  }
  const envTags = [...environmentsByTag.keys()];
  const tagNames = new Set(snapshot.tags.map(t => t.tag));
  const byDigest = new Map<string, string[]>();
  const rows: TagRow[] = [];
  let resolved = 0;
  for (const entry of snapshot.tags) {
    if (entry.digest) {
      resolved++;
      const names = byDigest.get(entry.digest);
      if (names) names.push(entry.tag);
      else byDigest.set(entry.digest, [entry.tag]);
    } else {
      rows.push({
        tags: [{ name: entry.tag, kind: classifyTag(entry.tag, envTags) }],
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
  };
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
      // Newest first; rows not described yet follow, ordered as well as their names allow.
      const dated = rows.filter(row => row.created);
      const undated = rows.filter(row => !row.created);
      const byVersion = sortByTagVersion(dated, lead);
      const rank = new Map(byVersion.map((row, i) => [row, i]));
      dated.sort(
        (a, b) =>
          b.created!.localeCompare(a.created!) || rank.get(a)! - rank.get(b)!,
      );
      return [...dated, ...sortByTagVersion(undated, lead)];
    }
  }
}

/**
 * Service ref for the Images tab's data service.
 *
 * @public
 */
export const entityImagesServiceRef = createServiceRef<EntityImagesService>({
  id: 'images.entity-images',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        cache: coreServices.cache,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        permissions: coreServices.permissions,
        catalog: catalogServiceRef,
        images: imagesServiceRef,
      },
      async factory({
        lifecycle,
        config,
        database,
        cache,
        logger,
        permissions,
        catalog,
        images,
      }) {
        const seconds = (key: string) => {
          const value = config.getOptionalNumber(`images.index.${key}`);
          return value === undefined ? undefined : value * 1000;
        };
        // The tag index's store runs the plugin's migrations, so it comes first.
        const store = await TagIndexStore.create(database);
        const index = new TagIndex({
          store,
          registries: images.registries,
          logger,
          options: {
            listMaxAgeMs: seconds('listMaxAgeSeconds'),
            environmentMaxAgeMs: seconds('environmentMaxAgeSeconds'),
            maxTags: config.getOptionalNumber('images.index.maxTags'),
          },
        });
        lifecycle.addShutdownHook(() => index.stop());
        return new EntityImagesService({
          catalog,
          permissions,
          index,
          environments: () => images.environments,
          cache,
          logger,
          claims: RepositoryClaims.fromConfig(
            config,
            await database.getClient(),
          ),
        });
      },
    }),
});
