import {
  AuthService,
  coreServices,
  createServiceFactory,
  createServiceRef,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import {
  NotificationService,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@backstage/plugin-kubernetes-common';
import {
  ANNOTATION_DEPLOYMENT_FILES,
  ANNOTATION_IMAGES,
  EnvironmentLane,
} from '@berth/plugin-images-common';
import { describeError } from '../describeError';
import { ownersOf } from '../entities/RepositoryClaims';
import { imagesTabPath, sendNotification } from '../sendNotification';
import {
  EnvironmentLanesService,
  environmentLanesServiceRef,
} from '../tab/EnvironmentLanesService';
import {
  DeploymentStateKey,
  DeploymentStateStore,
  SeenDeployment,
} from './DeploymentStateStore';

/** Annotations that give an entity a deployment source (the Kubernetes plugin's, and Berth's files). */
const DEPLOYMENT_ANNOTATIONS = [
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
  ANNOTATION_DEPLOYMENT_FILES,
];

const short = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);

/**
 * Looks at what every deployed entity's environments run, on a schedule and on one replica at a time, and tells the
 * entity's owners when an environment starts to run something else than its tag says, and when it is back. The last
 * state seen is kept in the database, so a restart or another replica does not tell twice.
 *
 * @public
 */
export class DriftWatch {
  readonly #catalog: CatalogService;
  readonly #lanes: EnvironmentLanesService;
  readonly #store: DeploymentStateStore;
  readonly #auth: AuthService;
  readonly #notifications?: NotificationService;
  readonly #logger: LoggerService;

  constructor(options: {
    catalog: CatalogService;
    lanes: EnvironmentLanesService;
    store: DeploymentStateStore;
    auth: AuthService;
    notifications?: NotificationService;
    logger: LoggerService;
  }) {
    this.#catalog = options.catalog;
    this.#lanes = options.lanes;
    this.#store = options.store;
    this.#auth = options.auth;
    this.#notifications = options.notifications;
    this.#logger = options.logger;
  }

  /** One look at every deployed entity; answers how many owners' notifications it sent. */
  async check(): Promise<number> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const { items } = await this.#catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ANNOTATION_IMAGES}`]: CATALOG_FILTER_EXISTS,
        },
        fields: ['kind', 'metadata', 'spec.owner', 'relations'],
      },
      { credentials },
    );
    let sent = 0;
    for (const entity of items.filter(deployed)) {
      const entityRef = stringifyEntityRef(entity);
      try {
        const overview = await this.#lanes.overview(entityRef, credentials);
        for (const image of overview.images) {
          for (const lane of image.environments) {
            if (!lane.deployment) continue;
            const key = {
              entityRef,
              image: image.image,
              environment: lane.name,
            };
            if (await this.#compare(key, lane, entity)) sent++;
          }
        }
      } catch (error) {
        this.#logger.warn(
          `Could not look at the deployments of ${entityRef}: ${
            describeError(error).message
          }`,
        );
      }
    }
    return sent;
  }

  /** Records what the lane's deployment runs; tells the owners when it drifted or came back. */
  async #compare(
    key: DeploymentStateKey,
    lane: EnvironmentLane,
    entity: Entity,
  ): Promise<boolean> {
    const deployment = lane.deployment!;
    const now: SeenDeployment = {
      state: deployment.state,
      running: deployment.running.map(d => d.digest).sort(),
      ...(lane.digest && { tagDigest: lane.digest }),
    };
    const before = await this.#store.get(key);
    const same =
      before?.state === now.state &&
      before.running.join(',') === now.running.join(',') &&
      before.tagDigest === now.tagDigest;
    if (same) return false;
    await this.#store.set(key, now);
    const drifted = now.state === 'drift';
    const back = before?.state === 'drift' && now.state === 'running';
    if (!drifted && !back) return false;
    const owners = ownersOf(entity);
    if (owners.length === 0) return false;
    await sendNotification(
      { notifications: this.#notifications, logger: this.#logger },
      { type: 'entity', entityRef: owners },
      {
        title: drifted
          ? `${key.environment} of ${key.image} runs something else than its tag ${lane.tag}`
          : `${key.environment} of ${key.image} runs its tag ${lane.tag} again`,
        description: deployment.message,
        link: imagesTabPath(key.entityRef),
        severity: drifted ? 'high' : 'normal',
        topic: 'images:drift',
        // One notice per lane: coming back replaces the drift notice.
        scope: `images:deployment:${key.entityRef}:${key.image}:${key.environment}`,
      },
    );
    this.#logger.info(
      `${key.environment} of ${key.image} (${key.entityRef}) ${
        drifted
          ? `drifted: runs ${now.running.map(short).join(', ')}`
          : 'runs its tag again'
      }`,
    );
    return true;
  }
}

function deployed(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return DEPLOYMENT_ANNOTATIONS.some(name => Boolean(annotations[name]));
}

/** Looks for drift on a schedule, on one replica at a time (default every 5 minutes). */
export async function scheduleDriftWatch(options: {
  scheduler: SchedulerService;
  watch: DriftWatch;
  minutes: number;
}): Promise<void> {
  await options.scheduler.scheduleTask({
    id: 'images-deployment-drift',
    frequency: { minutes: options.minutes },
    timeout: { minutes: 15 },
    initialDelay: { seconds: 30 },
    fn: async () => {
      await options.watch.check();
    },
  });
}

/**
 * Service ref for the drift watch.
 *
 * @public
 */
export const driftWatchServiceRef = createServiceRef<DriftWatch>({
  id: 'images.drift-watch',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        catalog: catalogServiceRef,
        lanes: environmentLanesServiceRef,
        database: coreServices.database,
        auth: coreServices.auth,
        notifications: notificationService,
        logger: coreServices.logger,
      },
      async factory({ database, ...deps }) {
        return new DriftWatch({
          ...deps,
          store: await DeploymentStateStore.create(database),
        });
      },
    }),
});
