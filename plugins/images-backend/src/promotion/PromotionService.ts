import {
  AuditorService,
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  EnvironmentDefinition,
  environmentImage,
  formatImageReference,
  ImageReference,
  imagesApprovePermission,
  imagesForcePermission,
  imagesPromotePermission,
  imagesReadPermission,
  PromoteRequest,
  PromoteResponse,
  PromotionDecisionRequest,
  PromotionInfo,
  PromotionPlanInfo,
  RollbackRequest,
} from '@berth/plugin-images-common';
import { PromotionGate } from '@berth/plugin-images-node';
import { actorOf } from '../actor';
import { imagesConfigServiceRef } from '../config/ImagesConfig';
import {
  EntityImagesAccess,
  entityImagesAccessServiceRef,
} from '../entities/EntityImagesAccess';
import { TagIndex } from '../tagIndex/TagIndex';
import { tagIndexServiceRef } from '../tagIndex/tagIndexServiceRef';
import { GateRunner, readValidationConfig } from './gates';
import { Promoter } from './Promoter';
import { PromotionRequest } from './PromotionPlanner';
import { PromotionLocks } from './PromotionLocks';
import { PromotionRecord, PromotionStore } from './PromotionStore';
import { auditMeta, isRefusal, toInfo } from './promotionRecords';

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
 * reported to Backstage's auditor.
 */
export class PromotionService {
  readonly #access: EntityImagesAccess;
  readonly #index: TagIndex;
  readonly #promoter: Promoter;
  readonly #store: PromotionStore;
  readonly #gates?: GateRunner;
  readonly #auditor?: AuditorService;
  readonly #extraTags: string[];
  readonly #configured: EnvironmentDefinition[];
  readonly #userInfo: UserInfoService;

  constructor(options: {
    userInfo: UserInfoService;
    access: EntityImagesAccess;
    index: TagIndex;
    promoter: Promoter;
    store: PromotionStore;
    gates?: GateRunner;
    auditor?: AuditorService;
    /** Tag templates written with every promotion, such as `main-{sourceTag}`. */
    extraTags?: string[];
    /** The configured environments: their tags stay theirs, whatever an entity's annotation says. */
    environments?: EnvironmentDefinition[];
  }) {
    this.#access = options.access;
    this.#index = options.index;
    this.#promoter = options.promoter;
    this.#store = options.store;
    this.#gates = options.gates;
    this.#auditor = options.auditor;
    this.#extraTags = options.extraTags ?? [];
    this.#configured = options.environments ?? [];
    this.#userInfo = options.userInfo;
  }

  /** Adds gates from backend modules (`imagesGatesExtensionPoint`). */
  addGates(gates: PromotionGate[]): void {
    if (!this.#gates && gates.length > 0) {
      throw new Error('This promotion service runs no gates');
    }
    this.#gates?.addGates(gates);
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
    return (await this.#store.list(stringifyEntityRef(entity))).map(toInfo);
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
    return toInfo(await this.#recordOf(stringifyEntityRef(entity), id));
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

  async approve(
    entityRef: string,
    credentials: BackstageCredentials,
    id: string,
    body: PromotionDecisionRequest = {},
  ): Promise<PromotionInfo> {
    const { record, request, decidedBy } = await this.#pending(
      entityRef,
      credentials,
      id,
      'approve',
    );
    if (decidedBy === record.requestedBy) {
      throw new NotAllowedError(
        `You asked for this promotion: a second person with the approve permission must approve it`,
      );
    }
    if (record.approvers?.length) {
      const { ownershipEntityRefs } = await this.#userInfo.getUserInfo(
        credentials,
      );
      if (!ownershipEntityRefs.some(ref => record.approvers!.includes(ref))) {
        throw new NotAllowedError(
          `${
            record.image
          } is claimed by another entity first: only its owners (${record.approvers.join(
            ', ',
          )}) may approve this ${record.kind}`,
        );
      }
    }
    const comment = body.comment?.trim() || undefined;
    const audit = await this.#audit(
      'promotion-approve',
      decidedBy,
      auditMeta(record),
    );
    const target = environmentImage(request.image, request.environment);
    let finished: PromotionRecord;
    try {
      finished = await this.#promoter.approve(record, request, {
        decidedBy,
        comment,
      });
    } catch (error) {
      this.#index.forget(target);
      await audit?.fail({ error: error as Error });
      throw error;
    }
    await this.#recordMoved(target, finished);
    await audit?.success({ meta: { status: finished.status } });
    return toInfo(finished);
  }

  async reject(
    entityRef: string,
    credentials: BackstageCredentials,
    id: string,
    body: PromotionDecisionRequest = {},
  ): Promise<PromotionInfo> {
    const { record, decidedBy } = await this.#pending(
      entityRef,
      credentials,
      id,
      'reject',
    );
    // The requester may withdraw their own request; anyone else says why they reject it.
    const withdrawn = decidedBy === record.requestedBy;
    const comment =
      body.comment?.trim() || (withdrawn ? 'Withdrawn by the requester' : '');
    if (!comment) {
      throw new InputError(
        'Say why: a rejection needs a comment, which the requester and the history see',
      );
    }
    const audit = await this.#audit(
      'promotion-reject',
      decidedBy,
      auditMeta(record),
    );
    const rejected = await this.#promoter.reject(record, {
      decidedBy,
      comment,
    });
    await audit?.success();
    return toInfo(rejected);
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
    const environment = this.#environment(
      stringifyEntityRef(entity),
      environments,
      body.environment,
    );
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
        await this.#audit(
          body.kind === 'rollback' ? 'image-rollback' : 'image-promotion',
          request.requestedBy,
          { image: formatImageReference(image), environment: environment.name },
        ).then(audit => audit?.fail({ error: error as Error }));
      }
      throw error;
    }
    // On call, one person may put back an image the environment ran before: it was approved when it went there.
    if (
      plan.needsApproval &&
      body.kind === 'rollback' &&
      (await this.#store.hasRun(
        formatImageReference(image),
        environment.name,
        plan.sourceDigest,
      ))
    ) {
      plan.needsApproval = false;
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
    const audit = await this.#audit(
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
      this.#index.forget(target);
      await audit?.fail({ error: error as Error });
      throw error;
    }
    await this.#recordMoved(target, record);
    await audit?.success({ meta: { status: record.status, id: record.id } });
    return { dryRun: false, promotion: toInfo(record) };
  }

  #environment(
    entityRef: string,
    environments: EnvironmentDefinition[],
    name: string,
  ): EnvironmentDefinition {
    const environment = environments.find(env => env.name === name);
    if (!environment) {
      throw new InputError(
        `${entityRef} has no environment ${name} (it has ${environments
          .map(env => env.name)
          .join(', ')})`,
      );
    }
    return environment;
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
      (await this.#store.lastMoveTo(name, environment.name, current));
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

  async #recordOf(entityRef: string, id: string): Promise<PromotionRecord> {
    const record = await this.#store.get(id);
    if (!record || record.entityRef !== entityRef) {
      throw new NotFoundError(`${entityRef} has no promotion ${id}`);
    }
    return record;
  }

  /** A pending promotion of the entity and the request that runs it, for a user allowed to decide on it. */
  async #pending(
    entityRef: string,
    credentials: BackstageCredentials,
    id: string,
    decision: 'approve' | 'reject',
  ) {
    const decidedBy = actorOf(credentials);
    const access = await this.#access.authorize(
      entityRef,
      credentials,
      imagesReadPermission,
      'read the images of',
    );
    const { entity, environments } = access;
    const ref = stringifyEntityRef(entity);
    const record = await this.#recordOf(ref, id);
    if (record.status !== 'pending-approval') {
      throw new ConflictError(
        `The ${record.kind} ${id} is ${record.status}, not waiting for approval`,
      );
    }
    if (decision === 'reject' && decidedBy === record.requestedBy) {
      // Withdrawing one's own request takes no more than making it did.
      await this.#access.check(
        entity,
        credentials,
        imagesPromotePermission,
        'withdraw promotions of',
      );
    } else {
      await this.#access.check(
        entity,
        credentials,
        imagesApprovePermission,
        `${decision} promotions of`,
      );
    }
    const image = this.#access.pickImage(access, record.image);
    const environment = this.#environment(
      ref,
      environments,
      record.environment,
    );
    const request: PromotionRequest = {
      entityRef: ref,
      image,
      environment,
      source: record.source,
      sourceDigest: record.sourceDigest,
      reason: record.reason,
      requestedBy: record.requestedBy,
      extraTags: record.kind === 'promotion' ? this.#extraTags : [],
      kind: record.kind,
      forced: record.forced,
      gates: record.gates,
      environments: [...environments, ...this.#configured],
    };
    return { record, request, decidedBy };
  }

  /** Shows what moved (in the environment's repository) at once, without waiting for the next listing. */
  async #recordMoved(
    image: ImageReference,
    record: PromotionRecord,
  ): Promise<void> {
    if (record.status !== 'succeeded' || !record.sourceDigest) return;
    const moved = record.tags.map(tag => ({
      tag,
      digest: record.sourceDigest!,
    }));
    if (record.rollbackTag && record.previousDigest) {
      moved.push({ tag: record.rollbackTag, digest: record.previousDigest });
    }
    await this.#index.recordTags(image, moved);
  }

  /** Opens an auditor event for a move or a decision; `meta` names what, never a credential. */
  async #audit(eventId: string, actor: string, meta: JsonObject) {
    return this.#auditor?.createEvent({
      eventId,
      severityLevel: 'high',
      meta: { actor, ...meta },
    });
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
        config: coreServices.rootConfig,
        database: coreServices.database,
        auditor: coreServices.auditor,
        userInfo: coreServices.userInfo,
        access: entityImagesAccessServiceRef,
        index: tagIndexServiceRef,
        images: imagesConfigServiceRef,
      },
      async factory({
        config,
        database,
        auditor,
        userInfo,
        access,
        index,
        images,
      }) {
        const store = await PromotionStore.create(database);
        const gates = new GateRunner({
          registries: images.registries,
          validationFor: readValidationConfig(config),
        });
        return new PromotionService({
          userInfo,
          access,
          index,
          promoter: new Promoter({
            registries: images.registries,
            store,
            gates,
            locks: await PromotionLocks.create(database, {
              leaseMs: images.promotion.lockLeaseMs,
            }),
          }),
          store,
          gates,
          auditor,
          environments: images.environments,
          extraTags: images.promotion.extraTags,
        });
      },
    }),
});
