import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  formatImageReference,
  imagesPromotePermission,
  imagesReadPermission,
  PromoteRequest,
  PromoteResponse,
  PromotionInfo,
} from '@berth/plugin-images-common';
import { Promoter } from '../promotion/Promoter';
import { PromotionRecord, PromotionStore } from '../promotion/PromotionStore';
import {
  EntityImagesService,
  entityImagesServiceRef,
} from './EntityImagesService';
import { imagesServiceRef } from './ImagesService';

function toInfo(record: PromotionRecord): PromotionInfo {
  return {
    id: record.id,
    image: record.image,
    environment: record.environment,
    kind: record.kind,
    status: record.status,
    requestedBy: record.requestedBy,
    reason: record.reason,
    source: record.source,
    sourceDigest: record.sourceDigest,
    previousDigest: record.previousDigest,
    rollbackTag: record.rollbackTag,
    tags: record.tags,
    forced: record.forced,
    error: record.error,
    createdAt: record.createdAt.toISOString(),
    finishedAt: record.finishedAt?.toISOString(),
  };
}

/** Who asked, as the audit trail names them. */
function requesterOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef)
    return principal.userEntityRef;
  if (principal.type === 'service' && principal.subject)
    return principal.subject;
  return principal.type;
}

/**
 * Promotions of an entity's images, for the API (and, through it, the tab and the scaffolder actions): the
 * entity is read and the promote permission checked before anything is asked of a registry.
 */
export class PromotionService {
  readonly #entityImages: EntityImagesService;
  readonly #promoter: Promoter;
  readonly #store: PromotionStore;

  constructor(options: {
    entityImages: EntityImagesService;
    promoter: Promoter;
    store: PromotionStore;
  }) {
    this.#entityImages = options.entityImages;
    this.#promoter = options.promoter;
    this.#store = options.store;
  }

  async history(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<PromotionInfo[]> {
    const { entity } = await this.#entityImages.authorize(
      entityRef,
      credentials,
      imagesReadPermission,
      'read the images of',
    );
    return (await this.#store.list(stringifyEntityRef(entity))).map(toInfo);
  }

  async promote(
    entityRef: string,
    credentials: BackstageCredentials,
    body: PromoteRequest,
  ): Promise<PromoteResponse> {
    const { entity, images, environments } = await this.#entityImages.authorize(
      entityRef,
      credentials,
      imagesPromotePermission,
      'promote the images of',
    );
    const image = body.image
      ? images.find(candidate => formatImageReference(candidate) === body.image)
      : images[0];
    if (!image) {
      throw new InputError(
        `${body.image} is not one of this entity's images (${images
          .map(formatImageReference)
          .join(', ')})`,
      );
    }
    const environment = environments.find(env => env.name === body.environment);
    if (!environment) {
      throw new InputError(
        `${stringifyEntityRef(entity)} has no environment ${
          body.environment
        } (it has ${environments.map(env => env.name).join(', ')})`,
      );
    }
    if (!body.reason?.trim()) {
      throw new InputError(
        'Say why: a promotion needs a reason, which the history keeps',
      );
    }
    const request = {
      entityRef: stringifyEntityRef(entity),
      image,
      environment,
      source: body.source,
      reason: body.reason.trim(),
      requestedBy: requesterOf(credentials),
      expectedCurrentDigest: body.expectedCurrentDigest,
    };
    if (body.dryRun) {
      return { dryRun: true, plan: await this.#promoter.plan(request) };
    }
    if (environment.protected) {
      // Approval by a second person comes with the approvals workflow; until then a protected environment is not
      // promoted through Berth at all rather than without the approval it requires.
      throw new NotAllowedError(
        `${environment.name} is protected: a promotion to it needs a second person's approval, which this version of Berth cannot collect yet`,
      );
    }
    const index = this.#entityImages.index;
    let record: PromotionRecord;
    try {
      record = await this.#promoter.promote(request);
    } catch (error) {
      index.forget(image);
      throw error;
    }
    const moved = record.tags.map(tag => ({
      tag,
      digest: record.sourceDigest!,
    }));
    if (record.rollbackTag && record.previousDigest) {
      moved.push({ tag: record.rollbackTag, digest: record.previousDigest });
    }
    await index.recordTags(image, moved);
    return { dryRun: false, promotion: toInfo(record) };
  }
}

/**
 * Service ref for the promotion service.
 *
 * @public
 */
export const promotionServiceRef = createServiceRef<PromotionService>({
  id: 'images.promotion',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        database: coreServices.database,
        entityImages: entityImagesServiceRef,
        images: imagesServiceRef,
      },
      async factory({ database, entityImages, images }) {
        // The tag index's migrations (run by the entity images service) create the promotion tables too.
        const store = new PromotionStore(await database.getClient());
        return new PromotionService({
          entityImages,
          promoter: new Promoter({ registries: images.registries, store }),
          store,
        });
      },
    }),
});
