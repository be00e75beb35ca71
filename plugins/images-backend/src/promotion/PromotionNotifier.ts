import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  NotificationRecipients,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { ownersOf } from '../entities/RepositoryClaims';
import {
  imagesTabPath,
  NotificationPayload,
  sendNotification,
} from '../sendNotification';
import { PromotionRecord } from './PromotionStore';

const short = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);

function what(record: PromotionRecord): string {
  const verb = record.kind === 'rollback' ? 'Rollback' : 'Promotion';
  return `${verb} of ${record.image} to ${record.environment}`;
}

/**
 * Tells people about promotions through Backstage notifications: the approvers (the entity's owners, or the
 * first claimant's owners of a contested repository) when one waits for them, the requester when it was
 * approved, rejected or failed, and the entity's owners when one of its environments moved. A notification that cannot be sent is logged; it never fails the promotion.
 */
export class PromotionNotifier {
  readonly #notifications?: NotificationService;
  readonly #logger: LoggerService;

  constructor(options: {
    notifications?: NotificationService;
    logger: LoggerService;
  }) {
    this.#notifications = options.notifications;
    this.#logger = options.logger;
  }

  /** A promotion waits for a second person. */
  async waiting(record: PromotionRecord, entity: Entity): Promise<void> {
    const approvers = record.approvers?.length
      ? record.approvers
      : ownersOf(entity);
    if (approvers.length === 0) return;
    await this.#send(
      {
        type: 'entity',
        entityRef: approvers,
        excludeEntityRef: record.requestedBy,
      },
      {
        title: `${what(record)} waits for your approval`,
        description: `${record.requestedBy} asks: ${record.reason}`,
        link: imagesTabPath(record.entityRef),
        severity: 'high',
        topic: 'images:approval',
        scope: `images:promotion:${record.id}`,
      },
    );
  }

  /** A waiting promotion was decided on: the requester learns how, unless they decided themselves. */
  async decided(record: PromotionRecord): Promise<void> {
    const outcome =
      {
        succeeded: `was approved by ${record.decidedBy} and ran`,
        rejected: `was rejected by ${record.decidedBy}`,
      }[record.status as string] ??
      `failed after ${record.decidedBy} approved it`;
    await this.#send(
      {
        type: 'entity',
        entityRef: record.requestedBy,
        excludeEntityRef: record.decidedBy,
      },
      {
        title: `${what(record)} ${outcome}`,
        description: record.decisionComment ?? record.error ?? record.reason,
        link: imagesTabPath(record.entityRef),
        severity: record.status === 'succeeded' ? 'normal' : 'high',
        topic: 'images:approval',
        scope: `images:promotion:${record.id}`,
      },
    );
  }

  /**
   * An environment moved: the entity's owners learn what it runs now, unless they moved it themselves. One
   * notification per environment, replaced by the next move (same scope).
   */
  async moved(record: PromotionRecord, entity: Entity): Promise<void> {
    if (record.status !== 'succeeded' || !record.sourceDigest) return;
    const owners = ownersOf(entity);
    if (owners.length === 0) return;
    const by = record.decidedBy
      ? `${record.requestedBy}, approved by ${record.decidedBy}`
      : record.requestedBy;
    await this.#send(
      {
        type: 'entity',
        entityRef: owners,
        excludeEntityRef: [record.requestedBy, record.decidedBy].filter(
          (ref): ref is string => Boolean(ref),
        ),
      },
      {
        title: `${record.environment} of ${record.image} now runs ${short(
          record.sourceDigest,
        )}`,
        description: `${
          record.kind === 'rollback' ? 'Rolled back' : 'Promoted'
        } by ${by}${
          record.previousDigest ? ` from ${short(record.previousDigest)}` : ''
        }: ${record.reason}`,
        link: imagesTabPath(record.entityRef),
        severity: 'normal',
        topic: 'images:moved',
        scope: `images:environment:${record.entityRef}:${record.image}:${record.environment}`,
      },
    );
  }

  async #send(
    recipients: NotificationRecipients,
    payload: NotificationPayload,
  ): Promise<void> {
    await sendNotification(
      { notifications: this.#notifications, logger: this.#logger },
      recipients,
      payload,
    );
  }
}
