import {
  BackstageCredentials,
  CacheService,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  compareTagVersions,
  formatImageReference,
  ImageDetails,
  imagesReadPermission,
  isValidDigest,
  PlatformDetails,
} from '@berth/plugin-images-common';
import {
  EntityImagesAccess,
  entityImagesAccessServiceRef,
} from '../entities/EntityImagesAccess';
import {
  ImageIndex,
  ImageManifest,
  inspectPlatforms,
  isIndexMediaType,
} from '../registry';
import { stringMap } from '../registry/manifestShape';
import { TagIndex } from '../tagIndex/TagIndex';
import { tagIndexServiceRef } from '../tagIndex/tagIndexServiceRef';

/** Addressed by digest, so it never changes: kept as long as the cache will. */
const DETAILS_TTL_MS = 30 * 24 * 3600_000;

/**
 * The details drawer of the Images tab: one digest's platforms, layers, configuration, attachments and manifest.
 * What a digest is comes from the cache after the first view; its tags and attachments are read each time.
 *
 * @public
 */
export class ImageDetailsService {
  readonly #access: EntityImagesAccess;
  readonly #index: TagIndex;
  readonly #cache: CacheService;

  constructor(options: {
    access: EntityImagesAccess;
    index: TagIndex;
    cache: CacheService;
  }) {
    this.#access = options.access;
    this.#index = options.index;
    this.#cache = options.cache;
  }

  async details(
    entityRef: string,
    credentials: BackstageCredentials,
    query: { image?: string; digest?: string },
  ): Promise<ImageDetails> {
    const access = await this.#access.authorize(
      entityRef,
      credentials,
      imagesReadPermission,
      'read the images of',
    );
    const image = this.#access.pickImage(access, query.image);
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
}

/**
 * Service ref for image details.
 *
 * @public
 */
export const imageDetailsServiceRef = createServiceRef<ImageDetailsService>({
  id: 'images.image-details',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        access: entityImagesAccessServiceRef,
        index: tagIndexServiceRef,
        cache: coreServices.cache,
      },
      async factory(deps) {
        return new ImageDetailsService(deps);
      },
    }),
});
