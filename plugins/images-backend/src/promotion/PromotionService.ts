import {
  BackstageCredentials,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import {
  EnvironmentDefinition,
  environmentImage,
  formatImageReference,
  ImageReference,
  imagesForcePermission,
  imagesPromotePermission,
  imagesReadPermission,
  PromoteRequest,
  PromoteResponse,
  PromotionInfo,
  PromotionPlanInfo,
  RollbackRequest,
} from '@berth/plugin-images-common';
import { actorOf } from '../actor';
import { imagesConfigServiceRef } from '../config/ImagesConfig';
import {
  EntityImagesAccess,
  entityImagesAccessServiceRef,
} from '../entities/EntityImagesAccess';
import { TagIndex } from '../tagIndex/TagIndex';
import { tagIndexServiceRef } from '../tagIndex/tagIndexServiceRef';
import { Promoter } from './Promoter';
import {
  promoterServiceRef,
  promotionNotifierServiceRef,
  promotionTrailServiceRef,
} from './promoterServiceRef';
import { PromotionRequest } from './PromotionPlanner';
import { PromotionRecord } from './PromotionStore';
import { PromotionNotifier } from './PromotionNotifier';
import { PromotionTrail } from './PromotionTrail';
import { isRefusal, toInfo } from './promotionRecords';
import { HOLD_GATE } from './releasePolicies';

/** What starts a promotion or a rollback, once the entity's image and environment are known. */
interface MoveRequest {
  kind: 'promotion' | 'rollback';
  image?: string;
  environment: string;
  reason?: string;
  expectedCurrentDigest?: string;
  force?: boolean;
  dryRun?: boolean;
  source: (
    image: ImageReference,
    environment: EnvironmentDefinition,
  ) => string | Promise<string>;
}

const ROLLBACK_TAG_PREFIX = 'rollback-';

/**
 * Promotions and rollbacks of an entity's images, for the API (and, through it, the tab and the scaffolder
 * actions): the entity is read and the permissions checked before anything is asked of a registry; gates run on
 * the digest; a protected environment waits for a second person; every attempt is kept in the audit trail and
 * reported to Backstage's auditor. Decisions on waiting promotions are {@link PromotionApprovalService}'s.
 *
 * @public
 */
export class PromotionService {
  readonly #access: EntityImagesAccess;
  readonly #index: TagIndex;
  readonly #promoter: Promoter;
  readonly #trail: PromotionTrail;
  readonly #notifier: PromotionNotifier;
  readonly #extraTags: string[];
  readonly #configured: EnvironmentDefinition[];

  constructor(options: {
    access: EntityImagesAccess;
    index: TagIndex;
    promoter: Promoter;
    trail: PromotionTrail;
    notifier: PromotionNotifier;
    /** Tag templates written with every promotion, such as `main-{sourceTag}`. */
    extraTags?: string[];
    /** The configured environments: their tags stay theirs, whatever an entity's annotation says. */
    environments?: EnvironmentDefinition[];
  }) {
    this.#access = options.access;
    this.#index = options.index;
    this.#promoter = options.promoter;
    this.#trail = options.trail;
    this.#notifier = options.notifier;
    this.#extraTags = options.extraTags ?? [];
    this.#configured = options.environments ?? [];
  }

  async history(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<PromotionInfo[]> {
    const { entity } = await this.#access.authorize(
      entityRef,
      credentials,
      imagesReadPermission,
      'read the images of',
    );
    return (await this.#trail.store.list(stringifyEntityRef(entity))).map(
      toInfo,
    );
  }

  async get(
    entityRef: string,
    credentials: BackstageCredentials,
    id: string,
  ): Promise<PromotionInfo> {
    const { entity } = await this.#access.authorize(
      entityRef,
      credentials,
      imagesReadPermission,
      'read the images of',
    );
    return toInfo(await this.#trail.recordOf(stringifyEntityRef(entity), id));
  }

  async promote(
    entityRef: string,
    credentials: BackstageCredentials,
    body: PromoteRequest,
  ): Promise<PromoteResponse> {
    return this.#move(entityRef, credentials, {
      ...body,
      kind: 'promotion',
      source: () => body.source,
    });
  }

  /**
   * Moves an environment back: to `target` (a rollback tag or digest), or to the digest it ran before its last move
   * through Berth, or else to its newest rollback tag on another digest.
   */
  async rollback(
    entityRef: string,
    credentials: BackstageCredentials,
    body: RollbackRequest,
  ): Promise<PromoteResponse> {
    return this.#move(entityRef, credentials, {
      ...body,
      kind: 'rollback',
      source: (image, environment) =>
        body.target ?? this.#previousOf(image, environment),
    });
  }

  async #move(
    entityRef: string,
    credentials: BackstageCredentials,
    body: MoveRequest,
  ): Promise<PromoteResponse> {
    const access = await this.#access.authorize(
      entityRef,
      credentials,
      imagesPromotePermission,
      body.kind === 'rollback'
        ? 'roll back the images of'
        : 'promote the images of',
    );
    const { entity, environments } = access;
    const image = this.#access.pickImage(access, body.image);
    const environment = this.#access.environment(access, body.environment);
    if (!body.reason?.trim()) {
      throw new InputError(
        `Say why: a ${body.kind} needs a reason, which the history keeps`,
      );
    }
    if (body.force) {
      await this.#access.check(
        entity,
        credentials,
        imagesForcePermission,
        'force promotions past failed gates of',
      );
    }
    const request: PromotionRequest = {
      entityRef: stringifyEntityRef(entity),
      image,
      environment,
      source: await body.source(image, environment),
      reason: body.reason.trim(),
      requestedBy: actorOf(credentials),
      expectedCurrentDigest: body.expectedCurrentDigest,
      extraTags: body.kind === 'promotion' ? this.#extraTags : [],
      kind: body.kind,
      environments: [...environments, ...this.#configured],
    };
    let plan: PromotionPlanInfo;
    try {
      plan = await this.#promoter.plan(request);
    } catch (error) {
      // A stale or refused attempt is an attempt too: the history keeps it (a dry run only asks).
      if (!body.dryRun && isRefusal(error)) {
        await this.#promoter.recordRefused(request, undefined, error as Error);
        await this.#trail
          .audit(
            body.kind === 'rollback' ? 'image-rollback' : 'image-promotion',
            request.requestedBy,
            {
              image: formatImageReference(image),
              environment: environment.name,
            },
          )
          .then(audit => audit?.fail({ error: error as Error }));
      }
      throw error;
    }
    // On call, one person may put back an image the environment ran before: it was approved when it went there.
    if (
      plan.needsApproval &&
      body.kind === 'rollback' &&
      (await this.#trail.store.hasRun(
        formatImageReference(image),
        environment.name,
        plan.sourceDigest,
      ))
    ) {
      plan.needsApproval = false;
      delete plan.approvalsNeeded;
      delete plan.approvalGroup;
    }
    // A repository other entities named first is theirs to move: their owners approve.
    const claim = (
      await this.#access.claims(entity, [image], { fresh: true })
    ).get(formatImageReference(image));
    if (claim && claim.firstClaimant !== request.entityRef) {
      plan.needsApproval = true;
      plan.approvers = claim.firstClaimantOwners;
    }
    if (body.dryRun) return { dryRun: true, plan };

    const failed = plan.gates.filter(gate => !gate.passed);
    const pinned: PromotionRequest = {
      ...request,
      sourceDigest: plan.sourceDigest,
      gates: plan.gates,
      forced: failed.length > 0 && Boolean(body.force),
    };
    const audit = await this.#trail.audit(
      body.kind === 'rollback' ? 'image-rollback' : 'image-promotion',
      request.requestedBy,
      {
        image: plan.image,
        environment: environment.name,
        source: request.source,
        sourceDigest: plan.sourceDigest,
        currentDigest: plan.currentDigest ?? null,
        forced: pinned.forced ?? false,
      },
    );
    const hold = failed.find(gate => gate.id === HOLD_GATE);
    if (hold) {
      // A hold is released, not forced.
      const error = new ConflictError(hold.message);
      await this.#promoter.recordRefused(pinned, plan, error);
      await audit?.fail({ error });
      throw error;
    }
    if (failed.length > 0 && !body.force) {
      const error = new InputError(
        `${plan.image}@${plan.sourceDigest} did not pass ${failed.length} of ${
          plan.gates.length
        } gates for ${environment.name}: ${failed
          .map(gate => `${gate.id}: ${gate.message}`)
          .join('; ')}. Fix the image, or force the ${
          body.kind
        } with a reason (needs the force permission)`,
      );
      await this.#promoter.recordRefused(pinned, plan, error);
      await audit?.fail({ error });
      throw error;
    }
    if (plan.needsApproval) {
      const pending = await this.#promoter.requestApproval(pinned, plan);
      await this.#notifier.waiting(pending, entity);
      await audit?.success({
        meta: { status: pending.status, id: pending.id },
      });
      return { dryRun: false, promotion: toInfo(pending) };
    }
    const target = environmentImage(image, environment);
    let record: PromotionRecord;
    try {
      record = await this.#promoter.promote(pinned);
    } catch (error) {
      this.#trail.failed(target);
      await audit?.fail({ error: error as Error });
      throw error;
    }
    await this.#trail.moved(target, record);
    await this.#notifier.moved(record, entity);
    await audit?.success({ meta: { status: record.status, id: record.id } });
    return { dryRun: false, promotion: toInfo(record) };
  }

  /** The digest to roll back to, when the caller names none. */
  async #previousOf(
    entityImage: ImageReference,
    environment: EnvironmentDefinition,
  ): Promise<string> {
    const name = formatImageReference(entityImage);
    const image = environmentImage(entityImage, environment);
    const index = this.#index;
    const current = (await index.resolveTags(image, [environment.tag], 0)).get(
      environment.tag,
    );
    const last =
      current &&
      (await this.#trail.store.lastMoveTo(name, environment.name, current));
    if (last && last.previousDigest) return last.previousDigest;
    // Moved outside Berth (or before it): the newest rollback tag that names another image.
    await index.ensureListed(image);
    const candidates = [...(await index.snapshot(image)).tagNames]
      .filter(tag => tag.startsWith(ROLLBACK_TAG_PREFIX))
      .sort()
      .reverse()
      .slice(0, 20);
    const resolved = await index.resolveTags(image, candidates);
    const tag = candidates.find(
      candidate =>
        resolved.get(candidate) && resolved.get(candidate) !== current,
    );
    if (!tag) {
      throw new InputError(
        `Berth does not know what ${environment.name} of ${name} ran before ${
          current ?? 'now'
        }, and no rollback tag names another image: give a rollback tag or digest as the target`,
      );
    }
    return tag;
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
        access: entityImagesAccessServiceRef,
        index: tagIndexServiceRef,
        promoter: promoterServiceRef,
        trail: promotionTrailServiceRef,
        notifier: promotionNotifierServiceRef,
        images: imagesConfigServiceRef,
      },
      async factory({ images, ...deps }) {
        return new PromotionService({
          ...deps,
          environments: images.environments,
          extraTags: images.promotion.extraTags,
        });
      },
    }),
});
