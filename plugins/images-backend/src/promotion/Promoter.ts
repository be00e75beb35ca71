import { PromotionGate } from '@berth/plugin-images-node';
import { randomUUID } from 'node:crypto';
import { ConflictError } from '@backstage/errors';
import {
  environmentImage,
  formatImageReference,
} from '@berth/plugin-images-common';
import { RegistryHosts } from '../registry/RegistryHosts';
import { EnvironmentHolds } from '../holds/EnvironmentHolds';
import { EnvironmentStays } from '../stays/EnvironmentStays';
import { GateRunner } from './gates';
import { heldError, ReleasePolicyGates } from './releasePolicies';
import {
  PromotionPlan,
  PromotionPlanner,
  PromotionRequest,
} from './PromotionPlanner';
import { PromotionLease, PromotionLocks } from './PromotionLocks';
import { PromotionRecord, PromotionStore } from './PromotionStore';
import { writePromotion } from './promotionWrites';

/**
 * Moves an environment to an image: resolves the source to a digest and works on the digest; takes a lock per image
 * and environment in the database (so two replicas cannot interleave); refuses a stale promotion (the environment
 * moved since the caller looked); keeps a rollback tag for the current digest; writes the environment tag, its
 * alsoTags and the extra tags with the source's exact manifest bytes; verifies every tag; records each attempt and
 * its progress, so that a retry after a failure finishes the job without a second rollback tag.
 */
export class Promoter {
  readonly #planner: PromotionPlanner;
  readonly #store: PromotionStore;
  readonly #locks: PromotionLocks;
  readonly #now: () => Date;
  readonly #gates?: GateRunner;
  readonly #stays?: EnvironmentStays;
  readonly #holds?: EnvironmentHolds;

  constructor(options: {
    /** When an attempt starts (its record, its rollback tag's name); the wall clock unless a test fixes it. */
    now?: () => Date;
    registries: RegistryHosts;
    store: PromotionStore;
    locks: PromotionLocks;
    gates?: GateRunner;
    /** Release policies (upstream first, soak time), gates in the plan. */
    policies?: ReleasePolicyGates;
    /** Where each promotion's digest is remembered as what the environment runs from now on. */
    stays?: EnvironmentStays;
    /** Environments held: no promotion enters them. */
    holds?: EnvironmentHolds;
  }) {
    this.#planner = new PromotionPlanner(options);
    this.#stays = options.stays;
    this.#holds = options.holds;
    this.#now = options.now ?? (() => new Date());
    this.#store = options.store;
    this.#locks = options.locks;
    this.#gates = options.gates;
  }

  /** The audit trail this promoter records every attempt in. */
  get store(): PromotionStore {
    return this.#store;
  }

  /** Adds gates from backend modules (`imagesGatesExtensionPoint`). */
  addGates(gates: PromotionGate[]): void {
    if (!this.#gates && gates.length > 0) {
      throw new Error('This promoter runs no gates');
    }
    this.#gates?.addGates(gates);
  }

  /** What the promotion would do, gates included, with no write anywhere. */
  async plan(
    request: PromotionRequest,
    options: { createdAt?: Date; gates?: boolean } = {},
  ): Promise<PromotionPlan> {
    return this.#planner.plan(request, options);
  }

  /**
   * Starts and runs a promotion as a new attempt, recording it; a failure is recorded, then thrown. A retry of an
   * attempt that stopped part way (same source digest, the environment still where that attempt left it) finishes
   * that attempt's work, so no second rollback tag is written; both attempts stay in the history.
   */
  async promote(request: PromotionRequest): Promise<PromotionRecord> {
    const record = this.#newRecord(request, 'running');
    await this.#store.insert(record);
    return this.#run(record, request);
  }

  /**
   * Records an attempt that stops before any write (failed gates, a stale or refused request): the audit trail keeps
   * every attempt.
   */
  async recordRefused(
    request: PromotionRequest,
    plan: PromotionPlan | undefined,
    error: Error,
  ): Promise<PromotionRecord> {
    const record: PromotionRecord = {
      ...this.#newRecord(request, 'failed'),
      sourceDigest: plan?.sourceDigest ?? request.sourceDigest,
      previousDigest: plan?.currentDigest,
      tags: plan?.tags ?? [],
      gates: plan?.gates ?? request.gates ?? [],
      error: error.message,
      finishedAt: new Date(),
    };
    await this.#store.insert(record);
    return record;
  }

  /**
   * Records a promotion to a protected environment that waits for a second person. It pins the digest the source
   * has now, so that what is approved is what runs.
   */
  async requestApproval(
    request: PromotionRequest,
    plan: PromotionPlan,
  ): Promise<PromotionRecord> {
    const record: PromotionRecord = {
      ...this.#newRecord(request, 'pending-approval'),
      sourceDigest: plan.sourceDigest,
      previousDigest: plan.currentDigest,
      tags: plan.tags,
      gates: plan.gates,
      approvers: plan.approvers,
      approvalsNeeded: plan.approvalsNeeded,
      approvalGroup: plan.approvalGroup,
      ...(plan.approvalsNeeded && { approvals: [] }),
    };
    await this.#store.insert(record);
    return record;
  }

  /**
   * Runs a pending promotion that a second person approved. Refused when it is no longer pending (another approver
   * or a rejection came first) or when the environment moved since it was asked for.
   */
  async approve(
    record: PromotionRecord,
    request: PromotionRequest,
    decision: { decidedBy: string; comment?: string },
  ): Promise<PromotionRecord> {
    if (
      !(await this.#store.decide(record.id, { status: 'running', ...decision }))
    ) {
      throw new ConflictError(
        `The promotion ${record.id} is not waiting for approval any more: look at the history`,
      );
    }
    return this.#run(
      { ...record, status: 'running' },
      {
        ...request,
        sourceDigest: record.sourceDigest,
        expectedCurrentDigest: record.previousDigest ?? '',
      },
    );
  }

  /** Rejects a pending promotion; nothing is written to the registry. */
  async reject(
    record: PromotionRecord,
    decision: { decidedBy: string; comment?: string },
  ): Promise<PromotionRecord> {
    if (
      !(await this.#store.decide(record.id, {
        status: 'rejected',
        ...decision,
      }))
    ) {
      throw new ConflictError(
        `The promotion ${record.id} is not waiting for approval any more: look at the history`,
      );
    }
    return (await this.#store.get(record.id))!;
  }

  /**
   * Under the lock: the attempt that stopped part way on this environment which this one finishes, if any (same
   * source digest, the environment still on what that attempt found or already on the source). Its rollback tag
   * and progress carry over; it stays in the history, marked as finished by this attempt.
   */
  async #adoptUnfinished(
    record: PromotionRecord,
    request: PromotionRequest,
  ): Promise<PromotionRecord | undefined> {
    const candidates = await this.#store.listUnfinished(
      record.image,
      record.environment,
      record.id,
    );
    if (candidates.length === 0) return undefined;
    const { from, to } = this.#planner.repositories(request);
    const [sourceDigest, currentDigest] = await Promise.all([
      request.sourceDigest ??
        from.client.resolveDigest(from.repository, request.source),
      to.client.resolveDigest(to.repository, request.environment.tag),
    ]);
    for (const candidate of candidates) {
      // Only while nothing else moved the environment since: otherwise its rollback tag would name the wrong image.
      const resumable =
        candidate.sourceDigest === sourceDigest &&
        (currentDigest === candidate.previousDigest ||
          currentDigest === sourceDigest);
      if (
        resumable &&
        (await this.#store.supersede(
          candidate.id,
          record.id,
          `Stopped part way (its backend stopped or lost its lock); attempt ${record.id} finished it`,
        ))
      ) {
        return candidate;
      }
    }
    return undefined;
  }

  #newRecord(
    request: PromotionRequest,
    status: PromotionRecord['status'],
  ): PromotionRecord {
    return {
      id: randomUUID(),
      entityRef: request.entityRef,
      image: formatImageReference(request.image),
      environment: request.environment.name,
      kind: request.kind ?? 'promotion',
      status,
      requestedBy: request.requestedBy,
      reason: request.reason,
      source: request.source,
      sourceDigest: request.sourceDigest,
      tags: [],
      progress: {},
      gates: request.gates ?? [],
      forced: Boolean(request.forced),
      createdAt: this.#now(),
    };
  }

  async #run(
    record: PromotionRecord,
    request: PromotionRequest,
  ): Promise<PromotionRecord> {
    const target = environmentImage(request.image, request.environment);
    // The lock is on where the tags are written, so that two entities claiming one repository exclude each other.
    const lease = await this.#locks.acquire(
      `${formatImageReference(target)}:${request.environment.tag}`,
      () => this.#store.heartbeat(record.id),
    );
    if (!lease) {
      const error = new ConflictError(
        `Another promotion of ${record.image} to ${record.environment} is running: wait for it, then look again`,
      );
      await this.#fail(record, error);
      throw error;
    }
    try {
      await this.#store.markInterrupted(
        new Date(Date.now() - 2 * this.#locks.leaseMs),
      );
      // Under the lock, a hold placed since the request (or its approval) stops a promotion; a rollback goes on.
      if (request.kind !== 'rollback') {
        const held = await this.#holds?.get({
          image: formatImageReference(target),
          environment: request.environment.name,
        });
        if (held) throw heldError(request.environment.name, held);
      }
      return await this.#runLocked(record, request, lease);
    } catch (error) {
      await this.#fail(record, error as Error);
      throw error;
    } finally {
      await lease.release();
    }
  }

  async #runLocked(
    record: PromotionRecord,
    request: PromotionRequest,
    lease: PromotionLease,
  ): Promise<PromotionRecord> {
    const adopted = await this.#adoptUnfinished(record, request);
    // Under the lock, look again: a promotion that finished meanwhile makes this one stale, unless it finishes one.
    // The tags are resolved in the same batch, so the writes need not ask them again.
    const { plan, tagDigests } = await this.#planner.resolve(
      adopted ? { ...request, expectedCurrentDigest: undefined } : request,
      { createdAt: record.createdAt, gates: false, forWrite: true },
    );
    // Once a rollback tag is written, the environment has started to move: keep what was recorded then.
    const previousDigest = adopted
      ? adopted.previousDigest
      : plan.currentDigest;
    const rollbackTag = adopted
      ? adopted.rollbackTag
      : plan.rollbackTag && (await this.#uniqueRollbackTag(plan.rollbackTag));
    const progress = { ...adopted?.progress };
    await this.#store.update(record.id, {
      previousDigest,
      rollbackTag,
      sourceDigest: plan.sourceDigest,
      resumedFrom: adopted?.id,
      progress,
    });
    const { from, to } = this.#planner.repositories(request, {
      forWrite: true,
    });
    // The rollback tag goes where the environment's tags are, next to the image it keeps; tags already on the
    // source digest (a finished part of an attempt, an alsoTag already there) are not written again.
    await writePromotion({
      from,
      to,
      sourceDigest: plan.sourceDigest,
      tags: plan.tags.filter(tag => tagDigests.get(tag) !== plan.sourceDigest),
      rollback:
        rollbackTag && previousDigest && !progress.rollbackTagWritten
          ? { tag: rollbackTag, digest: previousDigest }
          : undefined,
      beforeWrite: () => lease.ensureHeld(),
      rollbackWritten: async () => {
        progress.rollbackTagWritten = true;
        await this.#store.update(record.id, { progress });
      },
      tagsWritten: async () => {
        progress.tagsWritten = [
          ...new Set([...(progress.tagsWritten ?? []), ...plan.tags]),
        ];
        await this.#store.update(record.id, { progress });
      },
    });
    const finishedAt = new Date();
    await this.#store.update(record.id, {
      status: 'succeeded',
      progress,
      finishedAt,
    });
    // The environment runs the digest from now on (release policies of the environments after it ask).
    await this.#stays?.promoted(
      {
        image: formatImageReference(to.image),
        environment: request.environment.name,
      },
      plan.sourceDigest,
      finishedAt,
    );
    // The record written first has no digest or tags: keep what the promotion did.
    await this.#recordOutcome(record.id, plan);
    return (await this.#store.get(record.id))!;
  }

  /** The planned rollback tag, or with `-2`, `-3`… when Berth already wrote one of that name (the same second). */
  async #uniqueRollbackTag(planned: string): Promise<string> {
    let candidate = planned;
    for (let n = 2; await this.#store.hasRollbackTag(candidate); n++) {
      candidate = `${planned.slice(0, 120)}-${n}`;
    }
    return candidate;
  }

  async #recordOutcome(id: string, plan: PromotionPlan): Promise<void> {
    await this.#store.setOutcome(id, {
      sourceDigest: plan.sourceDigest,
      tags: plan.tags,
    });
  }

  async #fail(record: PromotionRecord, error: Error): Promise<void> {
    await this.#store.update(record.id, {
      status: 'failed',
      error: error.message,
      finishedAt: new Date(),
    });
  }
}
