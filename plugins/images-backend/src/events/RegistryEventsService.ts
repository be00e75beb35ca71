import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
import {
  SignalsService,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import {
  formatImageReference,
  ImageReference,
  ImageSignal,
  imageSignalChannel,
} from '@berth/plugin-images-common';
import {
  imagesConfigServiceRef,
  RegistryEventsSettings,
} from '../config/ImagesConfig';
import { describeError } from '../describeError';
import { TagIndex } from '../tagIndex/TagIndex';
import { tagIndexServiceRef } from '../tagIndex/tagIndexServiceRef';
import { tagEventsOf } from './distributionEvents';
import {
  EventDelivery,
  howToAuthenticate,
  isAuthentic,
} from './eventAuthentication';
import { webhookTagEvents } from './vendorWebhooks';

/** How long events for one repository are gathered before its tags are refreshed. */
const DEFAULT_WINDOW_MS = 500;
/** More changed tags than this in one window: the repository is listed again instead of a HEAD per tag. */
const MAX_TAGS_PER_REFRESH = 50;

interface PendingRefresh {
  image: ImageReference;
  tags: Set<string>;
  relist: boolean;
}

/**
 * Registries' notifications that tags moved (the Distribution registry's notifications, the webhooks of GitHub
 * packages, Quay, Docker Hub and Harbor): authenticated by the registry's configured secret, mapped to the
 * repositories Berth indexes, gathered per repository for a short window (a flood of events costs one refresh per
 * repository and window), then the named tags are resolved again, new digests described, and open Images tabs told
 * through Backstage signals. The scheduled refresh stays the safety net for events that never arrive.
 *
 * @public
 */
export class RegistryEventsService {
  readonly #settings: ReadonlyMap<string, RegistryEventsSettings>;
  readonly #index: TagIndex;
  readonly #signals?: SignalsService;
  readonly #logger: LoggerService;
  readonly #windowMs: number;
  readonly #pending = new Map<string, PendingRefresh>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #running = new Map<string, Promise<void>>();

  constructor(options: {
    settings: ReadonlyMap<string, RegistryEventsSettings>;
    index: TagIndex;
    signals?: SignalsService;
    logger: LoggerService;
    windowMs?: number;
  }) {
    this.#settings = options.settings;
    this.#index = options.index;
    this.#signals = options.signals;
    this.#logger = options.logger;
    this.#windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  }

  /**
   * Takes the events `registry` sent; 401 unless the delivery proves it knows that registry's secret, in the way of
   * its configured format. Answers how many events named a tag of an indexed repository; the refresh follows shortly.
   */
  async receive(
    registry: string,
    delivery: EventDelivery,
    payload: unknown,
  ): Promise<{ accepted: number; ignored: number }> {
    const settings = this.#settings.get(registry);
    if (!settings || !isAuthentic(settings.format, settings.token, delivery)) {
      throw new AuthenticationError(
        `Events from ${registry} need ${howToAuthenticate(
          settings?.format ?? 'distribution',
        )}`,
      );
    }
    const { tags, ignored } =
      settings.format === 'distribution'
        ? tagEventsOf(payload)
        : webhookTagEvents(settings.format, payload);
    let accepted = 0;
    let unknown = ignored;
    const byRepository = new Map<string, string[]>();
    for (const { repository, tag } of tags) {
      const list = byRepository.get(repository) ?? [];
      list.push(tag);
      byRepository.set(repository, list);
    }
    for (const [repository, named] of byRepository) {
      const image = { registry, repository };
      // A repository no entity has shown or refreshed is not Berth's to read on a registry's word.
      if (!(await this.#index.store.getRepository(image))) {
        unknown += named.length;
        continue;
      }
      accepted += named.length;
      this.#enqueue(image, named);
    }
    return { accepted, ignored: unknown };
  }

  /** Drops the gathered events (the backend is shutting down; the scheduled refresh catches up). */
  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#pending.clear();
  }

  #enqueue(image: ImageReference, tags: string[]): void {
    const key = formatImageReference(image);
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = { image, tags: new Set(), relist: false };
      this.#pending.set(key, pending);
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#flush(key);
      }, this.#windowMs);
      this.#timers.add(timer);
    }
    for (const tag of tags) pending.tags.add(tag);
    if (pending.tags.size > MAX_TAGS_PER_REFRESH) {
      pending.relist = true;
      pending.tags.clear();
    }
  }

  /** One refresh per repository at a time: events arriving meanwhile wait for the next window. */
  #flush(key: string): void {
    const running = this.#running.get(key);
    if (running) {
      running.finally(() => this.#flush(key));
      return;
    }
    const pending = this.#pending.get(key);
    if (!pending) return;
    this.#pending.delete(key);
    const job = this.#refresh(pending)
      .catch(error =>
        this.#logger.warn(
          `Could not refresh ${key} after the registry's events: ${
            describeError(error).message
          }`,
        ),
      )
      .finally(() => this.#running.delete(key));
    this.#running.set(key, job);
  }

  async #refresh({ image, tags, relist }: PendingRefresh): Promise<void> {
    if (relist) {
      await this.#index.ensureListed(image, 0);
      this.#index.startCompletion(image);
    } else {
      const resolved = await this.#index.resolveTags(image, [...tags], 0);
      const digests = [...new Set(resolved.values())].filter(
        (digest): digest is string => Boolean(digest),
      );
      await this.#index.describe(image, digests);
    }
    await this.#signals?.publish<ImageSignal>({
      recipients: { type: 'broadcast' },
      channel: imageSignalChannel(formatImageReference(image)),
      message: { changed: 'tags' },
    });
  }
}

/**
 * Service ref for registries' notifications.
 *
 * @public
 */
export const registryEventsServiceRef = createServiceRef<RegistryEventsService>(
  {
    id: 'images.registry-events',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          images: imagesConfigServiceRef,
          index: tagIndexServiceRef,
          signals: signalsServiceRef,
          logger: coreServices.logger,
          lifecycle: coreServices.lifecycle,
        },
        async factory({ images, index, signals, logger, lifecycle }) {
          const events = new RegistryEventsService({
            settings: images.registryEvents,
            index,
            signals,
            logger,
          });
          lifecycle.addShutdownHook(() => events.stop());
          return events;
        },
      }),
  },
);
