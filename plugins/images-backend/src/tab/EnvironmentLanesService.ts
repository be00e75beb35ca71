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
import {
  EnvironmentHolds,
  environmentHoldsServiceRef,
} from '../holds/EnvironmentHolds';
import {
  EnvironmentStays,
  environmentStaysServiceRef,
} from '../stays/EnvironmentStays';
import { imagesConfigServiceRef } from '../config/ImagesConfig';
import { IndexSnapshot } from '../tagIndex/IndexSnapshot';
import { TagIndex } from '../tagIndex/TagIndex';
import { tagIndexServiceRef } from '../tagIndex/tagIndexServiceRef';
import {
  DeploymentsService,
  deploymentsServiceRef,
  SourcedDeploymentReport,
} from '../deployments/DeploymentsService';
import { describeError } from '../describeError';
import { imagesOfRepository } from './laneDeployment';
import { assembleLane, ShownLane } from './laneAssembly';
import { lookAtRepository, Place } from './repositoryLook';
import { lanePolicies } from './lanePolicies';
import {
  previewEnvironments,
  previewMatcher,
  PreviewSettings,
} from './previewEnvironments';

/**
 * The environment lanes of the Images tab (and of `images:get-environments`): for each of the entity's images,
 * the digest each environment's tag points at, what that image is, and how it compares with the environment
 * before it, what its deployment runs, who holds it and its release policies. Only the environment tags (and the
 * tags deployments name) are resolved on the way; the rest of the index completes in the background. Each lane is
 * assembled in laneAssembly.ts, each repository read in repositoryLook.ts.
 *
 * @public
 */
export class EnvironmentLanesService {
  readonly #access: EntityImagesAccess;
  readonly #index: TagIndex;
  readonly #deployments: DeploymentsService;
  readonly #logger: LoggerService;
  readonly #stays?: EnvironmentStays;
  readonly #holds?: EnvironmentHolds;
  readonly #previews?: {
    matches: (tag: string) => boolean;
    maxAgeMs: number;
  };

  constructor(options: {
    access: EntityImagesAccess;
    index: TagIndex;
    deployments: DeploymentsService;
    logger: LoggerService;
    /** Where what each environment runs is remembered (release policies read it). */
    stays?: EnvironmentStays;
    /** Environments held: the lane says who holds it and why. */
    holds?: EnvironmentHolds;
    /** Which tags are preview environments. */
    previews?: PreviewSettings;
  }) {
    this.#access = options.access;
    this.#index = options.index;
    this.#deployments = options.deployments;
    this.#logger = options.logger;
    this.#stays = options.stays;
    this.#holds = options.holds;
    const previews = options.previews;
    if (previews && previews.tags.length > 0) {
      this.#previews = {
        matches: previewMatcher(previews.tags),
        maxAgeMs: previews.maxAgeMs,
      };
    }
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
    const [claims, deployed] = await Promise.all([
      this.#access.claims(entity, images, { fresh: false }),
      this.#deployments.forEntity({ entity, environments, credentials }),
    ]);
    const shown = await Promise.all(
      images.map(async image => {
        const overview = await this.#lanesOf(image, environments, deployed);
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
    deployed: Map<string, SourcedDeploymentReport>,
  ): Promise<ImageOverview> {
    const name = formatImageReference(image);
    const base = {
      image: name,
      registry: image.registry,
      repository: image.repository,
    };
    const now = new Date();
    const policiesOf = (env: EnvironmentDefinition) =>
      lanePolicies(env, environments, now);
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
      // Deployments may name images by tag too: those tags are resolved in the same requests.
      const places = new Map<string, Place>();
      const placeFor = (reference: ImageReference) => {
        const key = formatImageReference({
          registry: reference.registry,
          repository: reference.repository,
        });
        const place = places.get(key) ?? {
          image: {
            registry: reference.registry,
            repository: reference.repository,
          },
          tags: new Set<string>(),
          digests: new Set<string>(),
        };
        places.set(key, place);
        return place;
      };
      const placeOf = (env: EnvironmentDefinition) =>
        formatImageReference(environmentImage(image, env));
      const repositoriesOf = (env: EnvironmentDefinition) => [
        environmentImage(image, env),
        image,
      ];
      for (const env of environments) {
        placeFor(environmentImage(image, env)).tags.add(env.tag);
        const sourced = deployed.get(env.name);
        if (!sourced) continue;
        for (const running of imagesOfRepository(
          sourced.report,
          repositoriesOf(env),
        )) {
          const place = placeFor(running.parsed);
          const digest = running.digest ?? running.parsed.digest;
          if (digest) place.digests.add(digest);
          else place.tags.add(running.parsed.tag ?? 'latest');
        }
      }
      const [seen, holds] = await Promise.all([
        Promise.all(
          [...places].map(
            async ([key, place]) =>
              [key, await lookAtRepository(this.#index, place)] as const,
          ),
        ).then(looked => new Map(looked)),
        this.#holds?.getMany(
          environments.map(env => ({
            image: placeOf(env),
            environment: env.name,
          })),
        ),
      ]);
      const digestOf = (reference: ImageReference) =>
        seen
          .get(
            formatImageReference({
              registry: reference.registry,
              repository: reference.repository,
            }),
          )
          ?.resolved.get(reference.tag ?? 'latest');
      const lanes: EnvironmentLane[] = [];
      // What each environment runs now, remembered for release policies (a write only when it changed).
      const observed = environments.map(env =>
        this.#stays
          ?.observe(
            { image: placeOf(env), environment: env.name },
            seen.get(placeOf(env))!.resolved.get(env.tag),
          )
          .catch(error =>
            this.#logger.warn(
              `Could not record what ${env.name} of ${name} runs: ${
                describeError(error).message
              }`,
            ),
          ),
      );
      let previous: ShownLane | undefined;
      for (const env of environments) {
        const place = placeOf(env);
        const { lane, shown } = assembleLane({
          environment: env,
          image: name,
          place,
          look: seen.get(place)!,
          sourced: deployed.get(env.name),
          repositories: repositoriesOf(env),
          digestOf,
          environmentTags: envTags,
          hold: holds?.get(`${place} ${env.name}`),
          policies: policiesOf(env),
          previous,
        });
        lanes.push(lane);
        previous = shown ?? previous;
      }
      await Promise.all(observed);
      const previews = this.#previews && (await this.#previewsOf(image, seen));
      return {
        ...base,
        environments: lanes,
        ...(previews?.length && { previews }),
      };
    } catch (error) {
      const info = describeError(error);
      this.#logger.warn(`Images tab: ${name}: ${info.message}`);
      return {
        ...base,
        error: info,
        environments: environments.map(env => {
          const policies = policiesOf(env);
          return {
            name: env.name,
            tag: env.tag,
            protected: Boolean(env.protected),
            status: 'GREY' as const,
            message: info.message,
            // A freeze holds whether or not the registry answers.
            ...(policies && { policies }),
          };
        }),
      };
    }
  }

  /** The image's preview environments, from the snapshot already read where its own repository was looked at. */
  async #previewsOf(
    image: ImageReference,
    seen: Map<string, { snapshot: IndexSnapshot }>,
  ) {
    const own = seen.get(formatImageReference(image))?.snapshot;
    const snapshot = own ?? (await this.#index.snapshot(image));
    return previewEnvironments(
      snapshot,
      this.#previews!.matches,
      this.#previews!.maxAgeMs,
    );
  }
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
          deployments: deploymentsServiceRef,
          logger: coreServices.logger,
          stays: environmentStaysServiceRef,
          holds: environmentHoldsServiceRef,
          images: imagesConfigServiceRef,
        },
        async factory({ images, ...deps }) {
          return new EnvironmentLanesService({
            ...deps,
            previews: images.previews,
          });
        },
      }),
  });
