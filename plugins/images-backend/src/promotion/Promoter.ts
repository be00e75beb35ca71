import { randomUUID } from 'node:crypto';
import { ConflictError, InputError } from '@backstage/errors';
import {
  EnvironmentDefinition,
  environmentImage,
  formatImageReference,
  GateResultInfo,
  ImageReference,
  isValidDigest,
  isValidTag,
  PromotionPlanInfo,
} from '@berth/plugin-images-common';
import { copyImage } from '../registry/copyImage';
import { RegistryError } from '../registry/errors';
import { RegistryHosts } from '../registry/RegistryHosts';
import { GateRunner } from './gates';
import { PromotionLease, PromotionLocks } from './PromotionLocks';
import { PromotionRecord, PromotionStore } from './PromotionStore';
import { checkTagsToWrite } from './tagClaims';

/** What to promote where. */
export interface PromotionRequest {
  entityRef: string;
  image: ImageReference;
  environment: EnvironmentDefinition;
  /** A tag or a digest of the image, as asked for. */
  source: string;
  /** The digest the source resolved to when it was checked: the promotion moves this digest, even if the tag moved. */
  sourceDigest?: string;
  reason: string;
  requestedBy: string;
  /** The digest the caller saw in the environment: if it moved since, the promotion fails with a conflict. */
  expectedCurrentDigest?: string;
  /** Tag templates written too, such as `main-{sourceTag}`. */
  extraTags?: string[];
  kind?: 'promotion' | 'rollback';
  forced?: boolean;
  /** The gates' verdicts, kept in the audit trail. */
  gates?: GateResultInfo[];
  /**
   * Every environment whose tags the promotion must not write: the entity's and the configured ones. Only the
   * environment promoted to is checked when omitted.
   */
  environments?: EnvironmentDefinition[];
}

/** What a promotion will do (a dry run) or did: the API's plan. */
export type PromotionPlan = PromotionPlanInfo;

/**
 * `rollback-20261122-143005-production-checkout-5xx`: when, where from and why in a few words, within a tag's 128
 * characters. The environment keeps two environments' rollback tags of the same second apart.
 */
export function rollbackTagName(
  createdAt: Date,
  environment: string,
  reason: string,
): string {
  const stamp = createdAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace('T', '-')
    .slice(0, 15);
  const slug = `${environment} ${reason}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug ? `rollback-${stamp}-${slug}` : `rollback-${stamp}`;
}

function expandTemplate(
  template: string,
  sourceTag: string | undefined,
  digest: string,
): string {
  return template
    .replace(/\{sourceTag\}/g, sourceTag ?? digest.slice(7, 19))
    .replace(/\{shortDigest\}/g, digest.slice(7, 19));
}

/**
 * Moves an environment to an image: resolves the source to a digest and works on the digest; takes a lock per image
 * and environment in the database (so two replicas cannot interleave); refuses a stale promotion (the environment
 * moved since the caller looked); keeps a rollback tag for the current digest; writes the environment tag, its
 * alsoTags and the extra tags with the source's exact manifest bytes; verifies every tag; records each attempt and
 * its progress, so that a retry after a failure finishes the job without a second rollback tag.
 */
export class Promoter {
  readonly #registries: RegistryHosts;
  readonly #store: PromotionStore;
  readonly #gates?: GateRunner;
  readonly #locks: PromotionLocks;

  constructor(options: {
    registries: RegistryHosts;
    store: PromotionStore;
    locks: PromotionLocks;
    gates?: GateRunner;
  }) {
    this.#registries = options.registries;
    this.#store = options.store;
    this.#locks = options.locks;
    this.#gates = options.gates;
  }

  /** What the promotion would do, gates included, with no write anywhere. */
  async plan(
    request: PromotionRequest,
    options: { createdAt?: Date; gates?: boolean } = {},
  ): Promise<PromotionPlan> {
    const createdAt = options.createdAt ?? new Date();
    const { environment } = request;
    const { from, to } = this.#repositories(request);
    const name = formatImageReference(request.image);
    if (!isValidTag(request.source) && !isValidDigest(request.source)) {
      throw new InputError(
        `"${request.source}" is neither a tag nor a digest of ${name}`,
      );
    }
    const [sourceDigest, currentDigest] = await Promise.all([
      from.client.resolveDigest(
        from.repository,
        request.sourceDigest ?? request.source,
      ),
      to.client.resolveDigest(to.repository, environment.tag),
    ]);
    if (!sourceDigest) {
      throw new InputError(
        `${name} has no ${request.source}: nothing to promote`,
      );
    }
    if (
      request.expectedCurrentDigest !== undefined &&
      request.expectedCurrentDigest !== (currentDigest ?? '')
    ) {
      throw new ConflictError(
        `${environment.name} of ${name} moved to ${
          currentDigest ?? 'nothing'
        } since ${
          request.expectedCurrentDigest || 'an empty environment'
        } was seen: look again and retry`,
      );
    }
    const sourceTag = isValidTag(request.source) ? request.source : undefined;
    const tags = [
      ...new Set([
        environment.tag,
        ...(environment.alsoTag ?? []),
        ...(request.extraTags ?? []).map(t =>
          expandTemplate(t, sourceTag, sourceDigest),
        ),
      ]),
    ];
    for (const tag of tags) {
      if (!isValidTag(tag)) {
        throw new InputError(
          `"${tag}" is not a valid tag (from the extra tags of ${environment.name})`,
        );
      }
    }
    checkTagsToWrite({
      image: request.image,
      environment,
      tags,
      environments: request.environments ?? [environment],
    });
    const moves = currentDigest !== sourceDigest;
    // The environment already runs the image: only tags not on it yet (an alsoTag, an extra tag) would change.
    const unchanged =
      !moves &&
      (
        await Promise.all(
          tags
            .filter(tag => tag !== environment.tag)
            .map(tag => to.client.resolveDigest(to.repository, tag)),
        )
      ).every(digest => digest === sourceDigest);
    const gates =
      options.gates !== false && this.#gates
        ? await this.#gates.evaluate(from.image, sourceDigest, environment.name)
        : [];
    return {
      image: name,
      environment: environment.name,
      sourceDigest,
      currentDigest,
      rollbackTag:
        moves && currentDigest
          ? rollbackTagName(createdAt, environment.name, request.reason)
          : undefined,
      tags,
      noChange: unchanged,
      gates,
      // Nothing to approve when nothing changes.
      needsApproval: Boolean(environment.protected) && !unchanged,
    };
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
    const { from, to } = this.#repositories(request);
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
      createdAt: new Date(),
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
    const plan = await this.plan(
      adopted ? { ...request, expectedCurrentDigest: undefined } : request,
      { createdAt: record.createdAt, gates: false },
    );
    // Once a rollback tag is written, the environment has started to move: keep what was recorded then.
    const previousDigest = adopted ? adopted.previousDigest : plan.currentDigest;
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
    const { from, to } = this.#repositories(request);

    // The rollback tag goes where the environment's tags are, next to the image it keeps.
    if (rollbackTag && previousDigest && !progress.rollbackTagWritten) {
      lease.ensureHeld();
      await copyImage({
        source: { ...to, digest: previousDigest },
        target: { ...to, tag: rollbackTag },
      });
      progress.rollbackTagWritten = true;
      await this.#store.update(record.id, { progress });
    }
    // One copy for all the tags: the image moves once, then each further tag is a manifest PUT.
    lease.ensureHeld();
    await copyImage({
      source: { ...from, digest: plan.sourceDigest },
      target: { ...to, tags: plan.tags },
    });
    progress.tagsWritten = [
      ...new Set([...(progress.tagsWritten ?? []), ...plan.tags]),
    ];
    await this.#store.update(record.id, { progress });
    const resolved = await Promise.all(
      plan.tags.map(tag => to.client.resolveDigest(to.repository, tag)),
    );
    plan.tags.forEach((tag, i) => {
      if (resolved[i] !== plan.sourceDigest) {
        throw new RegistryError(
          'invalid-response',
          to.image.registry,
          `${formatImageReference(to.image)}:${tag} resolves to ${
            resolved[i] ?? 'nothing'
          } after the promotion, not ${plan.sourceDigest}`,
        );
      }
    });
    await this.#store.update(record.id, {
      status: 'succeeded',
      progress,
      finishedAt: new Date(),
    });
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

  /**
   * Where the image comes from and where the environment's tags are written: the environment's repository (another
   * repository or registry when configured so) is the target; a rollback's source is there too, among the
   * environment's rollback tags.
   */
  #repositories(request: PromotionRequest) {
    const target = environmentImage(request.image, request.environment);
    const source = request.kind === 'rollback' ? target : request.image;
    const at = (image: ImageReference) => ({
      image,
      client: this.#registries.clientFor(image.registry),
      repository: image.repository,
    });
    return { from: at(source), to: at(target) };
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
