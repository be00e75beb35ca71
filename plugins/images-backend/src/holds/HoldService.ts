import {
  BackstageCredentials,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  environmentImage,
  formatImageReference,
  HoldInfo,
  HoldRequest,
  imagesPromotePermission,
} from '@berth/plugin-images-common';
import { actorOf } from '../actor';
import {
  EntityImagesAccess,
  entityImagesAccessServiceRef,
} from '../entities/EntityImagesAccess';
import { promotionTrailServiceRef } from '../promotion/promoterServiceRef';
import { PromotionTrail } from '../promotion/PromotionTrail';
import {
  EnvironmentHolds,
  environmentHoldsServiceRef,
} from './EnvironmentHolds';

/**
 * Holding and releasing an entity's environments through the API: whoever may promote the entity's images may hold
 * an environment (no promotion enters until released) and release it; both are audited.
 */
export class HoldService {
  readonly #access: EntityImagesAccess;
  readonly #holds: EnvironmentHolds;
  readonly #trail: PromotionTrail;

  constructor(options: {
    access: EntityImagesAccess;
    holds: EnvironmentHolds;
    trail: PromotionTrail;
  }) {
    this.#access = options.access;
    this.#holds = options.holds;
    this.#trail = options.trail;
  }

  async hold(
    entityRef: string,
    credentials: BackstageCredentials,
    body: HoldRequest,
  ): Promise<HoldInfo> {
    const reason = body.reason?.trim();
    if (!reason) {
      throw new InputError(
        'Say why: a hold needs a reason, which the lane shows to everyone',
      );
    }
    const { key, by } = await this.#keyOf(
      entityRef,
      credentials,
      body.environment,
      body.image,
      'hold the environments of',
    );
    const audit = await this.#trail.audit('environment-hold', by, { ...key });
    try {
      const hold = await this.#holds.hold(key, { by, reason, at: new Date() });
      await audit?.success();
      return hold;
    } catch (error) {
      await audit?.fail({ error: error as Error });
      throw error;
    }
  }

  async release(
    entityRef: string,
    credentials: BackstageCredentials,
    environment: string,
    image?: string,
  ): Promise<HoldInfo> {
    const { key, by } = await this.#keyOf(
      entityRef,
      credentials,
      environment,
      image,
      'release the environments of',
    );
    const held = await this.#holds.get(key);
    if (!held || !(await this.#holds.release(key))) {
      throw new NotFoundError(`${key.environment} of ${key.image} is not held`);
    }
    await (
      await this.#trail.audit('environment-release', by, {
        ...key,
        heldBy: held.heldBy,
      })
    )?.success();
    return held;
  }

  async #keyOf(
    entityRef: string,
    credentials: BackstageCredentials,
    environmentName: string,
    requestedImage: string | undefined,
    action: string,
  ) {
    const access = await this.#access.authorize(
      entityRef,
      credentials,
      imagesPromotePermission,
      action,
      { fresh: true },
    );
    const image = this.#access.pickImage(access, requestedImage);
    const environment = this.#access.environment(access, environmentName);
    return {
      key: {
        image: formatImageReference(environmentImage(image, environment)),
        environment: environment.name,
      },
      by: actorOf(credentials),
      entity: stringifyEntityRef(access.entity),
    };
  }
}

/** Service ref for holding and releasing environments. */
export const holdServiceRef = createServiceRef<HoldService>({
  id: 'images.holds',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        access: entityImagesAccessServiceRef,
        holds: environmentHoldsServiceRef,
        trail: promotionTrailServiceRef,
      },
      async factory(deps) {
        return new HoldService(deps);
      },
    }),
});
