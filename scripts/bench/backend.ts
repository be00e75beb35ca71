/*
 * The images backend as the backend's tests start it (`startTestBackend`): the plugin with its default service
 * factories, on the benchmark's database, an in-memory catalog, permissions that allow everything, the bench's
 * `images` config and a recorder in place of the signals backend. A module of the images plugin hands the benchmark the service instances it measures (the same
 * instances the plugin and its router use); nothing is called over HTTP.
 */
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  SignalPayload,
  SignalsService,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import { JsonObject } from '@backstage/types';
import imagesPlugin, {
  EnvironmentLanesService,
  environmentLanesServiceRef,
  PromotionApprovalService,
  promotionApprovalServiceRef,
  PromotionService,
  promotionServiceRef,
  RegistryEventsService,
  registryEventsServiceRef,
  TagIndex,
  tagIndexServiceRef,
  TagTableService,
  tagTableServiceRef,
} from '@berth/plugin-images-backend';
import knexFactory, { Knex } from 'knex';
import { log } from './lib';

/** The services the benchmark calls or times, as the images plugin has them. */
export interface BenchServices {
  lanes: EnvironmentLanesService;
  tagTable: TagTableService;
  index: TagIndex;
  promotions: PromotionService;
  approvals: PromotionApprovalService;
  catalog: CatalogService;
  permissions: PermissionsService;
  events: RegistryEventsService;
}

export interface BenchBackend {
  services: BenchServices;
  stop(): Promise<void>;
}

export interface BenchBackendOptions {
  /** The database the stores migrate and use. */
  database: Knex;
  /** The `images` config: registries, environments, index. */
  images: JsonObject;
  /** The catalog's entities. */
  entities: Entity[];
  /** Warnings and errors of the backend are added here (and shown as progress). */
  warnings?: string[];
  /** Called with each signal the backend publishes (instead of a signals backend), as it publishes it. */
  onSignal?: (signal: SignalPayload) => void;
}

/** SQLite in memory on one connection: an in-memory database exists once per connection. */
export function memoryDatabase(): Knex {
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
}

/** A component claiming `image` (`berth.dev/images`), owned by `bench`. */
export function benchEntity(name: string, image: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'berth.dev/images': image },
    },
    spec: { type: 'service', owner: 'bench', lifecycle: 'production' },
  };
}

/** Info and debug are dropped; warnings and errors are kept for the report and shown as progress. */
function benchLogger(warnings: string[]): LoggerService {
  const logger: LoggerService = {
    error: message => {
      warnings.push(`error: ${message}`);
      log(`service error: ${message}`);
    },
    warn: message => {
      warnings.push(`warn: ${message}`);
      log(`service warning: ${message}`);
    },
    info: () => {},
    debug: () => {},
    child: () => logger,
  };
  return logger;
}

/** A module of the images plugin whose deps are the measured services: it hands them over at init. */
function captureServices(onInit: (services: BenchServices) => void) {
  return createBackendModule({
    pluginId: 'images',
    moduleId: 'bench',
    register(env) {
      env.registerInit({
        deps: {
          lanes: environmentLanesServiceRef,
          tagTable: tagTableServiceRef,
          index: tagIndexServiceRef,
          promotions: promotionServiceRef,
          approvals: promotionApprovalServiceRef,
          catalog: catalogServiceRef,
          permissions: coreServices.permissions,
          events: registryEventsServiceRef,
        },
        async init(services) {
          onInit(services);
        },
      });
    },
  });
}

export async function startBenchBackend(
  options: BenchBackendOptions,
): Promise<BenchBackend> {
  let services: BenchServices | undefined;
  const backend = await startTestBackend({
    features: [
      imagesPlugin,
      captureServices(captured => {
        services = captured;
      }),
      mockServices.database.factory({ knex: options.database }),
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      createServiceFactory({
        service: coreServices.logger,
        deps: {},
        factory: () => benchLogger(options.warnings ?? []),
      }),
      mockServices.rootConfig.factory({ data: { images: options.images } }),
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: (): SignalsService => ({
          publish: async signal => options.onSignal?.(signal),
        }),
      }),
    ],
  });
  if (!services)
    throw new Error('the images backend started without its services');
  return { services, stop: () => backend.stop() };
}
