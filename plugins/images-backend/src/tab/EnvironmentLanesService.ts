import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityImagesOverview,
  EnvironmentDefinition,
  environmentImage,
  EnvironmentLane,
  formatImageReference,
  ImageOverview,
  ImageReference,
  imagesReadPermission,
} from '@berth/plugin-images-common';
import {
  EntityImagesAccess,
  entityImagesAccessServiceRef,
} from '../entities/EntityImagesAccess';
import { TagIndex } from '../tagIndex/TagIndex';
import { tagIndexServiceRef } from '../tagIndex/tagIndexServiceRef';
import { describeError } from '../describeError';
import { imageSummary, tagPrefix } from './imageSummary';

/** The tag cosign gives an image's signature. */
const signatureTag = (digest: string) => `${tagPrefix(digest)}.sig`;

/**
 * The environment lanes of the Images tab (and of `images:get-environments`): for each of the entity's images,
 * the digest each environment's tag points at, what that image is, and how it compares with the environment
 * before it. Only the environment tags are resolved on the way; the rest of the index completes in the background.
 *
 * @public
 */
export class EnvironmentLanesService {
  readonly #access: EntityImagesAccess;
  readonly #index: TagIndex;
  readonly #logger: LoggerService;

  constructor(options: {
    access: EntityImagesAccess;
    index: TagIndex;
    logger: LoggerService;
  }) {
    this.#access = options.access;
    this.#index = options.index;
    this.#logger = options.logger;
  }

  async overview(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityImagesOverview> {
    const { entity, images, refused, environments } =
      await this.#access.authorize(
        entityRef,
        credentials,
        imagesReadPermission,
        'read the images of',
      );
    const claims = await this.#access.claims(entity, images, { fresh: false });
    const shown = await Promise.all(
      images.map(async image => {
        const overview = await this.#lanesOf(image, environments);
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

  async #lanesOf(
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
            `Could not list the tags of ${name}: ${
              describeError(error).message
            }`,
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
            const [resolved, snapshot] = await Promise.all([
              this.#index.resolveTags(place.image, [...place.tags]),
              this.#index.snapshot(place.image),
            ]);
            const digests = [
              ...new Set(
                [...resolved.values()].filter((d): d is string => !!d),
              ),
            ];
            // Before the first full listing the snapshot cannot say which images are signed: ask for their tags.
            const unlisted = !snapshot.listedAt || snapshot.truncated;
            const [manifests, signatures] = await Promise.all([
              this.#index.describe(place.image, digests),
              unlisted
                ? this.#index.resolveTags(
                    place.image,
                    digests.map(signatureTag),
                  )
                : new Map<string, string | undefined>(),
            ]);
            const signed = (digest: string) =>
              snapshot.tagNames.has(signatureTag(digest)) ||
              Boolean(signatures.get(signatureTag(digest)));
            return [key, { resolved, manifests, snapshot, signed }] as const;
          }),
        ),
      );
      const lanes: EnvironmentLane[] = [];
      let previous:
        | { name: string; digest: string; created?: string }
        | undefined;
      for (const env of environments) {
        const place = placeOf(env);
        const { resolved, manifests, snapshot, signed } = seen.get(place)!;
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
        lane.image = imageSummary(
          digest,
          manifest,
          [...new Set([...(snapshot.tagsByDigest.get(digest) ?? []), env.tag])],
          signed(digest),
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
      const info = describeError(error);
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

/**
 * Service ref for the environment lanes.
 *
 * @public
 */
export const environmentLanesServiceRef =
  createServiceRef<EnvironmentLanesService>({
    id: 'images.environment-lanes',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          access: entityImagesAccessServiceRef,
          index: tagIndexServiceRef,
          logger: coreServices.logger,
        },
        async factory(deps) {
          return new EnvironmentLanesService(deps);
        },
      }),
  });
