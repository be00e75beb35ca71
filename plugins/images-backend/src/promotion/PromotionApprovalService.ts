import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  EnvironmentDefinition,
  environmentImage,
  imagesApprovePermission,
  imagesPromotePermission,
  imagesReadPermission,
  PromotionDecisionRequest,
  PromotionInfo,
} from '@berth/plugin-images-common';
import { actorOf } from '../actor';
import { imagesConfigServiceRef } from '../config/ImagesConfig';
import {
  EntityImagesAccess,
  entityImagesAccessServiceRef,
} from '../entities/EntityImagesAccess';
import {
  OnboardedEntities,
  onboardedEntitiesServiceRef,
} from '../entities/OnboardedEntities';
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
import { auditMeta, toInfo } from './promotionRecords';

/**
 * Decisions on promotions that wait for a second person (a protected environment, a contested repository, an
 * environment's `approvals` policy): an approval runs the promotion as planned when it was requested, or, when it
 * needs several, counts until the last one needed runs it; a rejection, or the requester's withdrawal, closes it.
 * The decider needs the approve permission and, for a contested repository, to be among its first claimant's
 * owners, for an approval group, among its members; nobody approves their own request.
 *
 * @public
 */
export class PromotionApprovalService {
  readonly #access: EntityImagesAccess;
  readonly #onboarded: OnboardedEntities;
  readonly #promoter: Promoter;
  readonly #trail: PromotionTrail;
  readonly #notifier: PromotionNotifier;
  readonly #userInfo: UserInfoService;
  readonly #extraTags: string[];
  readonly #configured: EnvironmentDefinition[];

  constructor(options: {
    access: EntityImagesAccess;
    /** Which entities the inbox's caller may approve for, all at once. */
    onboarded: OnboardedEntities;
    promoter: Promoter;
    trail: PromotionTrail;
    notifier: PromotionNotifier;
    userInfo: UserInfoService;
    /** Tag templates written with every promotion, such as `main-{sourceTag}`. */
    extraTags?: string[];
    /** The configured environments: their tags stay theirs, whatever an entity's annotation says. */
    environments?: EnvironmentDefinition[];
  }) {
    this.#access = options.access;
    this.#onboarded = options.onboarded;
    this.#promoter = options.promoter;
    this.#trail = options.trail;
    this.#notifier = options.notifier;
    this.#userInfo = options.userInfo;
    this.#extraTags = options.extraTags ?? [];
    this.#configured = options.environments ?? [];
  }

  async approve(
    entityRef: string,
    credentials: BackstageCredentials,
    id: string,
    body: PromotionDecisionRequest = {},
  ): Promise<PromotionInfo> {
    const { record, request, decidedBy, entity } = await this.#pending(
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
    const ownership =
      record.approvers?.length || record.approvalGroup
        ? (await this.#userInfo.getUserInfo(credentials)).ownershipEntityRefs
        : [];
    if (record.approvalGroup && !ownership.includes(record.approvalGroup)) {
      throw new NotAllowedError(
        `Only members of ${record.approvalGroup} may approve promotions to ${record.environment}`,
      );
    }
    if (record.approvers?.length) {
      if (!ownership.some(ref => record.approvers!.includes(ref))) {
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
    const audit = await this.#trail.audit(
      'promotion-approve',
      decidedBy,
      auditMeta(record),
    );
    // Several approvals: each person's is kept; the last one needed runs the promotion.
    const needed = record.approvalsNeeded ?? 1;
    if (needed > 1) {
      const { added, approvals } = await this.#trail.store.addApproval(
        record.id,
        { by: decidedBy, comment, at: new Date() },
      );
      if (!added) {
        const error = new ConflictError(
          `You approved this ${record.kind} already: it waits for ${
            needed - approvals.length
          } more approval(s) from other people`,
        );
        await audit?.fail({ error });
        throw error;
      }
      if (approvals.length < needed) {
        const waiting = (await this.#trail.store.get(record.id))!;
        await audit?.success({
          meta: { approvals: approvals.length, approvalsNeeded: needed },
        });
        return toInfo(waiting);
      }
    }
    const target = environmentImage(request.image, request.environment);
    let finished: PromotionRecord;
    try {
      finished = await this.#promoter.approve(record, request, {
        decidedBy,
        comment,
      });
    } catch (error) {
      // Two last approvals at once: the other one runs it, and this one counted.
      const now = await this.#trail.store.get(record.id);
      if (
        needed > 1 &&
        error instanceof ConflictError &&
        now &&
        ['running', 'succeeded'].includes(now.status)
      ) {
        await audit?.success({ meta: { status: now.status } });
        return toInfo(now);
      }
      this.#trail.failed(target);
      await audit?.fail({ error: error as Error });
      const failed = await this.#trail.store.get(record.id);
      if (failed?.status === 'failed') await this.#notifier.decided(failed);
      throw error;
    }
    await this.#trail.moved(target, finished);
    await this.#notifier.decided(finished);
    await this.#notifier.moved(finished, entity);
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
    const audit = await this.#trail.audit(
      'promotion-reject',
      decidedBy,
      auditMeta(record),
    );
    const rejected = await this.#promoter.reject(record, {
      decidedBy,
      comment,
    });
    await audit?.success();
    await this.#notifier.decided(rejected);
    return toInfo(rejected);
  }

  /**
   * The approval inbox: every promotion, across entities, waiting for an approval the caller may give (the approve
   * permission on its entity, not their own request, not approved by them already, and among its approvers or its
   * approval group's members where it names them).
   */
  async inbox(
    credentials: BackstageCredentials,
  ): Promise<Array<{ entityRef: string; promotion: PromotionInfo }>> {
    const me = actorOf(credentials);
    const pending = (await this.#trail.store.listPending()).filter(
      record =>
        record.requestedBy !== me &&
        !record.approvals?.some(approval => approval.by === me),
    );
    if (pending.length === 0) return [];
    const [allowed, ownership] = await Promise.all([
      this.#onboarded.allowedRefs(
        pending.map(record => record.entityRef),
        credentials,
        imagesApprovePermission,
      ),
      pending.some(r => r.approvers?.length || r.approvalGroup)
        ? this.#userInfo
            .getUserInfo(credentials)
            .then(info => new Set(info.ownershipEntityRefs))
        : new Set<string>(),
    ]);
    return pending
      .filter(
        record =>
          allowed.has(record.entityRef) &&
          (!record.approvalGroup || ownership.has(record.approvalGroup)) &&
          (!record.approvers?.length ||
            record.approvers.some(ref => ownership.has(ref))),
      )
      .map(record => ({
        entityRef: record.entityRef,
        promotion: toInfo(record),
      }));
  }

  /** A pending promotion of the entity and the request that runs it, for a user allowed to decide on it. */
  async #pending(
    entityRef: string,
    credentials: BackstageCredentials,
    id: string,
    decision: 'approve' | 'reject',
  ) {
    const decidedBy = actorOf(credentials);
    // Afresh: a decision acts on the entity as the catalog has it now.
    const access = await this.#access.authorize(
      entityRef,
      credentials,
      imagesReadPermission,
      'read the images of',
      { fresh: true },
    );
    const { entity, environments } = access;
    const ref = stringifyEntityRef(entity);
    const record = await this.#trail.recordOf(ref, id);
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
    const environment = this.#access.environment(access, record.environment);
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
    return { record, request, decidedBy, entity };
  }
}

/**
 * Service ref for approvals and rejections of pending promotions.
 *
 * @public
 */
export const promotionApprovalServiceRef =
  createServiceRef<PromotionApprovalService>({
    id: 'images.promotion-approval',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          userInfo: coreServices.userInfo,
          access: entityImagesAccessServiceRef,
          onboarded: onboardedEntitiesServiceRef,
          promoter: promoterServiceRef,
          trail: promotionTrailServiceRef,
          notifier: promotionNotifierServiceRef,
          images: imagesConfigServiceRef,
        },
        async factory({ images, ...deps }) {
          return new PromotionApprovalService({
            ...deps,
            extraTags: images.promotion.extraTags,
            environments: images.environments,
          });
        },
      }),
  });
