/*
 * One images backend for the tab part (a fresh database, index and registry client each): started as the tests
 * start it, with the registry configured as ghcr.io behind the latency proxy, and the measured instances wrapped for
 * spans. A page view is what the tab does when it opens: overview() and the first tags page, started together.
 */
import type {
  EntityImagesOverview,
  TagPage,
} from '@berth/plugin-images-common';
import {
  EnvironmentLanesService,
  TagIndex,
  TagTableService,
} from '@berth/plugin-images-backend';
import { Knex } from 'knex';
import { benchEntity, memoryDatabase, startBenchBackend } from '../backend';
import { check } from '../checks';
import { LatencyProxy } from '../registries';
import { Recorder } from './spans';
import {
  CREDENTIALS,
  ENTITY_REF,
  ENVIRONMENTS,
  FIRST_PAGE,
  IMAGE,
  INDEX_OPTIONS,
  REPOSITORY,
  Seeded,
  TabOptions,
} from './tabScenario';

/** What the tab part's steps share: its options, the proxy, the span recorder, the seeded repository. */
export interface TabBench {
  options: TabOptions;
  proxy: LatencyProxy;
  recorder: Recorder;
  seeded: Seeded;
  /** The repository's tags, as the registry lists them. */
  listedTags: string[];
  /** A backend on a fresh database (closed at cleanup if not before). */
  newHarness(): Promise<Harness>;
}

export interface Harness {
  db: Knex;
  index: TagIndex;
  lanes: EnvironmentLanesService;
  tagTable: TagTableService;
  close(): Promise<void>;
}

const STORE_METHODS = [
  'getRepository',
  'replaceTags',
  'getTags',
  'getTagsByName',
  'getTagsOnDigests',
  'recordResolved',
  'getManifests',
  'getAllManifests',
  'putManifest',
  'tryLease',
  'releaseLease',
];
const INDEX_METHODS = ['ensureListed', 'resolveTags', 'describe', 'snapshot'];

/** The images backend on a fresh in-memory database, reading the repository as ghcr.io through `proxy`. */
export async function startHarness(
  proxy: LatencyProxy,
  recorder: Recorder,
  warnings: string[],
): Promise<Harness> {
  const db = memoryDatabase();
  const before = proxy.requests.length;
  const backend = await startBenchBackend({
    database: db,
    images: {
      registries: [{ host: 'ghcr.io', endpoint: proxy.url, insecure: true }],
      environments: ENVIRONMENTS.map(env => ({
        name: env.name,
        tag: env.tag,
        protected: Boolean(env.protected),
      })),
      index: {
        listMaxAgeSeconds: INDEX_OPTIONS.listMaxAgeMs / 1000,
        environmentMaxAgeSeconds: INDEX_OPTIONS.environmentMaxAgeMs / 1000,
        refreshMinutes: 600,
      },
    },
    entities: [benchEntity('bench', `ghcr.io/${REPOSITORY}`)],
    warnings,
  });
  check(
    proxy.requests.length === before,
    'the backend asked the registry something as it started: the runs would not be cold',
  );
  const { index, lanes, tagTable, catalog, permissions } = backend.services;
  recorder.wrap(index.store, 'store', STORE_METHODS);
  recorder.wrap(index, 'index', INDEX_METHODS);
  recorder.background(index, 'startCompletion');
  recorder.wrap(catalog, 'catalog(stand-in)', ['getEntityByRef']);
  recorder.wrap(permissions, 'permissions(stand-in)', ['authorize']);
  let closed = false;
  return {
    db,
    index,
    lanes,
    tagTable,
    async close() {
      if (closed) return;
      closed = true;
      // Stop the background completion at its next batch and wait for it (complete() joins the running one).
      index.stop();
      const latency = proxy.latencyMs;
      proxy.setLatency(0);
      await index.complete(IMAGE).catch(() => {});
      proxy.setLatency(latency);
      await backend.stop();
      await db.destroy();
    },
  };
}

export function readOverview(h: Harness): Promise<EntityImagesOverview> {
  return h.lanes.overview(ENTITY_REF, CREDENTIALS);
}

export function readFirstPage(h: Harness): Promise<TagPage> {
  return h.tagTable.tags(ENTITY_REF, CREDENTIALS, FIRST_PAGE);
}

/** A page view: overview and the first tags page started together, each recorded as an API call. */
export function pageView(
  h: Harness,
  recorder: Recorder,
): Promise<[EntityImagesOverview, TagPage]> {
  return Promise.all([
    recorder.call('overview', () => readOverview(h)),
    recorder.call('tags', () => readFirstPage(h)),
  ]);
}
