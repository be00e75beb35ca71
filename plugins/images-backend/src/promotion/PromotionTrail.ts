import { AuditorService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  ImageReference,
  ImageSignal,
  imageSignalChannel,
} from '@berth/plugin-images-common';
import { TagIndex } from '../tagIndex/TagIndex';
import { PromotionRecord, PromotionStore } from './PromotionStore';

/**
 * What promotions and approvals leave behind them: the audit trail in the database, Backstage's auditor events, and
 * the tag index, updated at once with what moved (or forgotten when a move failed part way).
 */
export class PromotionTrail {
  readonly store: PromotionStore;
  readonly #index: TagIndex;
  readonly #auditor?: AuditorService;
  readonly #signals?: SignalsService;

  constructor(options: {
    store: PromotionStore;
    index: TagIndex;
    auditor?: AuditorService;
    signals?: SignalsService;
  }) {
    this.store = options.store;
    this.#index = options.index;
    this.#auditor = options.auditor;
    this.#signals = options.signals;
  }

  /** One of the entity's promotions; 404 for another entity's. */
  async recordOf(entityRef: string, id: string): Promise<PromotionRecord> {
    const record = await this.store.get(id);
    if (!record || record.entityRef !== entityRef) {
      throw new NotFoundError(`${entityRef} has no promotion ${id}`);
    }
    return record;
  }

  /** Opens an auditor event for a move or a decision; `meta` names what, never a credential. */
  async audit(eventId: string, actor: string, meta: JsonObject) {
    return this.#auditor?.createEvent({
      eventId,
      severityLevel: 'high',
      meta: { actor, ...meta },
    });
  }

  /**
   * Shows what moved (in the environment's repository) at once, without waiting for the next listing, and tells the
   * Images tabs open on the image (other people's) through Backstage signals.
   */
  async moved(image: ImageReference, record: PromotionRecord): Promise<void> {
    if (record.status !== 'succeeded' || !record.sourceDigest) return;
    const moved = record.tags.map(tag => ({
      tag,
      digest: record.sourceDigest!,
    }));
    if (record.rollbackTag && record.previousDigest) {
      moved.push({ tag: record.rollbackTag, digest: record.previousDigest });
    }
    await this.#index.recordTags(image, moved);
    await this.#signals?.publish<ImageSignal>({
      recipients: { type: 'broadcast' },
      channel: imageSignalChannel(record.image),
      message: { changed: 'tags' },
    });
  }

  /** A move failed part way: the index reads the repository afresh next time. */
  failed(image: ImageReference): void {
    this.#index.forget(image);
  }
}
