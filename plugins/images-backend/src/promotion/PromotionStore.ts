import { ApprovalInfo, PromotionInfo } from '@berth/plugin-images-common';
import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { migrateStore } from '../database/migrateStore';

/** Where a promotion stands. */
export type PromotionStatus = PromotionInfo['status'];

/** What a promotion has done so far, so that a retry does not do it twice. */
export interface PromotionProgress {
  rollbackTagWritten?: boolean;
  tagsWritten?: string[];
}

/** One promotion or rollback attempt, as the audit trail keeps it: what the API shows, and the progress. */
export interface PromotionRecord
  extends Omit<
    PromotionInfo,
    'createdAt' | 'finishedAt' | 'decidedAt' | 'status'
  > {
  entityRef: string;
  status: PromotionStatus;
  progress: PromotionProgress;
  createdAt: Date;
  finishedAt?: Date;
  decidedAt?: Date;
}

function toDate(value: unknown): Date | undefined {
  if (value === null || value === undefined) return undefined;
  return value instanceof Date ? value : new Date(value as string | number);
}

function fromRow(row: Record<string, any>): PromotionRecord {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    image: row.image,
    environment: row.environment,
    kind: row.kind,
    status: row.status,
    requestedBy: row.requested_by,
    reason: row.reason,
    source: row.source,
    sourceDigest: row.source_digest ?? undefined,
    previousDigest: row.previous_digest ?? undefined,
    rollbackTag: row.rollback_tag ?? undefined,
    tags: JSON.parse(row.tags || '[]'),
    progress: JSON.parse(row.progress || '{}'),
    gates: JSON.parse(row.gates || '[]'),
    forced: Boolean(row.forced),
    decidedBy: row.decided_by ?? undefined,
    decisionComment: row.decision_comment ?? undefined,
    decidedAt: toDate(row.decided_at),
    error: row.error ?? undefined,
    resumedFrom: row.resumed_from ?? undefined,
    approvers: row.approvers ? JSON.parse(row.approvers) : undefined,
    ...(Number(row.approvals_needed) > 1 && {
      approvalsNeeded: Number(row.approvals_needed),
    }),
    approvalGroup: row.approval_group ?? undefined,
    supersededBy: row.superseded_by ?? undefined,
    createdAt: toDate(row.created_at)!,
    finishedAt: toDate(row.finished_at),
  };
}

/**
 * The promotion audit trail, in Backstage's database (SQLite or PostgreSQL): one record per attempt.
 */
export class PromotionStore {
  readonly #db: Knex;

  /** Opens the store, bringing its tables (promotions and their locks) up to date. */
  static async create(database: DatabaseService): Promise<PromotionStore> {
    return new PromotionStore(await migrateStore(database, 'promotions'));
  }

  constructor(db: Knex) {
    this.#db = db;
  }

  async insert(record: PromotionRecord): Promise<void> {
    await this.#db('images_promotions').insert({
      id: record.id,
      entity_ref: record.entityRef,
      image: record.image,
      environment: record.environment,
      kind: record.kind,
      status: record.status,
      requested_by: record.requestedBy,
      reason: record.reason,
      source: record.source,
      source_digest: record.sourceDigest ?? null,
      previous_digest: record.previousDigest ?? null,
      rollback_tag: record.rollbackTag ?? null,
      tags: JSON.stringify(record.tags),
      progress: JSON.stringify(record.progress),
      gates: JSON.stringify(record.gates),
      forced: record.forced,
      decided_by: record.decidedBy ?? null,
      decision_comment: record.decisionComment ?? null,
      decided_at: record.decidedAt ?? null,
      error: record.error ?? null,
      resumed_from: record.resumedFrom ?? null,
      approvers: record.approvers ? JSON.stringify(record.approvers) : null,
      approvals_needed: record.approvalsNeeded ?? 1,
      approval_group: record.approvalGroup ?? null,
      created_at: record.createdAt,
      finished_at: record.finishedAt ?? null,
      heartbeat_at: record.status === 'running' ? record.createdAt : null,
    });
  }

  async get(id: string): Promise<PromotionRecord | undefined> {
    const row = await this.#db('images_promotions').where({ id }).first();
    return row ? (await this.#withApprovals([fromRow(row)]))[0] : undefined;
  }

  /**
   * Records one person's approval of a promotion that needs several; false when they had approved it already.
   * Answers every approval given so far, oldest first.
   */
  async addApproval(
    id: string,
    approval: { by: string; comment?: string; at: Date },
  ): Promise<{ added: boolean; approvals: ApprovalInfo[] }> {
    const given = await this.#db('images_promotion_approvals')
      .where({ promotion_id: id, approved_by: approval.by })
      .first();
    if (!given) {
      // The same person twice at once (two tabs, two replicas) counts once.
      await this.#db('images_promotion_approvals')
        .insert({
          promotion_id: id,
          approved_by: approval.by,
          comment: approval.comment ?? null,
          approved_at: approval.at,
        })
        .onConflict(['promotion_id', 'approved_by'])
        .ignore();
    }
    const [record] = await this.#withApprovals([
      { id, approvalsNeeded: 2 } as PromotionRecord,
    ]);
    return { added: !given, approvals: record.approvals ?? [] };
  }

  /** Adds the approvals given to the records that need several. */
  async #withApprovals(records: PromotionRecord[]): Promise<PromotionRecord[]> {
    const ids = records.filter(r => r.approvalsNeeded).map(r => r.id);
    if (ids.length === 0) return records;
    const rows = await this.#db('images_promotion_approvals')
      .whereIn('promotion_id', ids)
      .orderBy('approved_at', 'asc')
      .orderBy('approved_by', 'asc');
    const byId = new Map<string, ApprovalInfo[]>();
    for (const row of rows) {
      const list = byId.get(row.promotion_id) ?? [];
      list.push({
        by: row.approved_by,
        at: toDate(row.approved_at)!.toISOString(),
        ...(row.comment && { comment: row.comment }),
      });
      byId.set(row.promotion_id, list);
    }
    return records.map(r =>
      r.approvalsNeeded ? { ...r, approvals: byId.get(r.id) ?? [] } : r,
    );
  }

  async update(
    id: string,
    changes: Partial<
      Pick<
        PromotionRecord,
        | 'status'
        | 'progress'
        | 'error'
        | 'finishedAt'
        | 'previousDigest'
        | 'rollbackTag'
        | 'sourceDigest'
        | 'resumedFrom'
        | 'progress'
      >
    >,
  ): Promise<void> {
    const row: Record<string, unknown> = {};
    if (changes.status) row.status = changes.status;
    if (changes.progress) row.progress = JSON.stringify(changes.progress);
    if ('error' in changes) row.error = changes.error ?? null;
    if ('finishedAt' in changes) row.finished_at = changes.finishedAt ?? null;
    if ('previousDigest' in changes)
      row.previous_digest = changes.previousDigest ?? null;
    if ('sourceDigest' in changes)
      row.source_digest = changes.sourceDigest ?? null;
    if ('rollbackTag' in changes)
      row.rollback_tag = changes.rollbackTag ?? null;
    if ('resumedFrom' in changes)
      row.resumed_from = changes.resumedFrom ?? null;
    await this.#db('images_promotions').where({ id }).update(row);
  }

  /** What a finished promotion moved: the source digest and the tags it wrote. */
  async setOutcome(
    id: string,
    outcome: { sourceDigest: string; tags: string[] },
  ): Promise<void> {
    await this.#db('images_promotions')
      .where({ id })
      .update({
        source_digest: outcome.sourceDigest,
        tags: JSON.stringify(outcome.tags),
      });
  }

  /**
   * Records a second person's decision on a pending promotion, moving it to `running` (approved) or `rejected`.
   * One conditional update, so that of two replicas (or two approvers) only one decides; false when it was not
   * pending any more.
   */
  async decide(
    id: string,
    decision: {
      status: 'running' | 'rejected';
      decidedBy: string;
      comment?: string;
    },
  ): Promise<boolean> {
    const now = new Date();
    const changed = await this.#db('images_promotions')
      .where({ id, status: 'pending-approval' })
      .update({
        status: decision.status,
        decided_by: decision.decidedBy,
        decision_comment: decision.comment ?? null,
        decided_at: now,
        ...(decision.status === 'rejected' && { finished_at: now }),
        ...(decision.status === 'running' && { heartbeat_at: now }),
      });
    return changed > 0;
  }

  /**
   * Attempts at moving an environment that stopped part way (some tag written, then a failure, or a backend that
   * died), newest first, that no later attempt has finished: a retry finishes one of them instead of starting
   * over. Asked under the environment's lock, so a `running` one with progress is one whose lock was lost.
   */
  async listUnfinished(
    image: string,
    environment: string,
    exceptId: string,
  ): Promise<PromotionRecord[]> {
    const rows = await this.#db('images_promotions')
      .where({ image, environment })
      .whereIn('status', ['failed', 'running'])
      .whereNull('superseded_by')
      .whereNot('id', exceptId)
      .orderBy('created_at', 'desc')
      .limit(5);
    return rows
      .map(fromRow)
      .filter(
        record =>
          record.progress.rollbackTagWritten ||
          (record.progress.tagsWritten?.length ?? 0) > 0,
      );
  }

  /**
   * Records that a later attempt finishes this one's work; one still `running` (its backend died or lost its lock)
   * is recorded as failed, with the reason. False when another retry took it over first.
   */
  async supersede(id: string, by: string, error: string): Promise<boolean> {
    const changed = await this.#db('images_promotions')
      .where({ id })
      .whereNull('superseded_by')
      .update({ superseded_by: by });
    if (changed === 0) return false;
    await this.#db('images_promotions')
      .where({ id, status: 'running' })
      .update({ status: 'failed', error, finished_at: new Date() });
    return true;
  }

  /** Shows that a running attempt is alive (renewed with its lock). */
  async heartbeat(id: string): Promise<void> {
    await this.#db('images_promotions')
      .where({ id, status: 'running' })
      .update({ heartbeat_at: new Date() });
  }

  /**
   * Records attempts whose backend stopped (no heartbeat since `before`) as failed: the history never shows as
   * running what no longer runs. Their progress stays, so a retry still finishes them.
   */
  async markInterrupted(before: Date): Promise<number> {
    return this.#db('images_promotions')
      .where({ status: 'running' })
      .andWhere(stale =>
        stale
          .where('heartbeat_at', '<', before)
          // Written before heartbeats were kept: judged by its age.
          .orWhere(old =>
            old.whereNull('heartbeat_at').andWhere('created_at', '<', before),
          ),
      )
      .update({
        status: 'failed',
        error:
          'Interrupted: the backend running it stopped before it finished; promote again to finish it',
        finished_at: new Date(),
      });
  }

  /** Whether Berth already wrote a rollback tag of this name (in any repository). */
  async hasRollbackTag(tag: string): Promise<boolean> {
    const row = await this.#db('images_promotions')
      .where({ rollback_tag: tag })
      .first('id');
    return Boolean(row);
  }

  /** Whether the environment ran the digest, as far as the audit trail knows (moved there, or away from it). */
  async hasRun(
    image: string,
    environment: string,
    digest: string,
  ): Promise<boolean> {
    const row = await this.#db('images_promotions')
      .where({ image, environment, status: 'succeeded' })
      .andWhere(builder =>
        builder
          .where('source_digest', digest)
          .orWhere('previous_digest', digest),
      )
      .first('id');
    return Boolean(row);
  }

  /** The newest finished move of an environment to `digest` from another image: what a rollback returns from. */
  async lastMoveTo(
    image: string,
    environment: string,
    digest: string,
  ): Promise<PromotionRecord | undefined> {
    const row = await this.#db('images_promotions')
      .where({
        image,
        environment,
        status: 'succeeded',
        source_digest: digest,
      })
      .whereNotNull('previous_digest')
      .whereNot('previous_digest', digest)
      .orderBy('created_at', 'desc')
      .first();
    return row ? fromRow(row) : undefined;
  }

  /** Every promotion waiting for approval, across entities, oldest first. */
  async listPending(limit = 500): Promise<PromotionRecord[]> {
    const rows = await this.#db('images_promotions')
      .where({ status: 'pending-approval' })
      .orderBy('created_at', 'asc')
      .limit(limit);
    return this.#withApprovals(rows.map(fromRow));
  }

  /** The entity's promotions, newest first. */
  async list(entityRef: string, limit = 100): Promise<PromotionRecord[]> {
    const rows = await this.#db('images_promotions')
      .where({ entity_ref: entityRef })
      .orderBy('created_at', 'desc')
      .limit(limit);
    return this.#withApprovals(rows.map(fromRow));
  }
}
