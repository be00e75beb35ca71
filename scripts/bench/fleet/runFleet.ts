/*
 * The fleet part: the Images page (`GET /fleet` and the approval inbox) through the real backend (packages/backend,
 * built, NODE_ENV=production) over HTTP, for 1,000 onboarded entities with three environments each, beside what
 * Backstage itself costs in the same run (a catalog entity GET; the catalog page's first page of components). Each
 * entity has its own repository of CI builds (a digest per build, every third a two-platform index) in a CNCF
 * Distribution registry behind the latency proxy. Per database (SQLite in files, PostgreSQL): a first backend
 * indexes the fleet by its scheduled refresh (the proxy at RTT 0), then serves warm views; a second backend on the
 * same database serves the first views after a start (cold). The backend's memory (after a full
 * garbage collection) is read at each step.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTagLinks } from '@berth/plugin-images-backend-test-utils';
import type { FleetPage } from '@berth/plugin-images-common';
import { check } from '../checks';
import { buildBackend, BuiltBackend } from '../http/buildBackend';
import {
  BenchDatabase,
  benchPostgres,
  HttpBackend,
  startHttpBackend,
  waitForOk,
} from '../http/httpBackend';
import { formatMs, log, mapPool, onCleanup, sleep, timed } from '../lib';
import { startProxiedRegistries, BENCH_ENVIRONMENTS } from '../registries';
import { PartResult, writeResults } from '../report';
import { breakdown } from '../requests';
import { seedCiBuilds } from '../seedBuilds';
import { fleetReport, FleetRun } from './fleetReport';
import {
  catalogEntityPath,
  catalogListPath,
  FleetBlock,
  fleetPath,
  getJson,
  imagesPageView,
  measureBlock,
  ViewKind,
} from './fleetViews';

export interface FleetOptions {
  rtt: number;
  /** Onboarded entities, one repository each. */
  entities: number;
  /** Views of each kind per block. */
  views: number;
  /** Concurrent viewer counts measured. */
  viewers: number[];
  /** First views timed after a start (the first is the cold one). */
  coldViews: number;
}

export const FLEET_DEFAULTS = {
  entities: 1000,
  views: 200,
  viewers: [1, 10],
  coldViews: 5,
};

const ENVIRONMENTS = BENCH_ENVIRONMENTS;
/** Builds per repository; production runs the 2nd, staging the 3rd, development the 4th. */
const BUILDS = 4;
const name = (i: number) => `svc-${String(i).padStart(4, '0')}`;

export async function runFleet(
  options: FleetOptions,
  context: { distribution: string },
): Promise<PartResult> {
  const {
    registries: [registry],
    proxies: [proxy],
  } = await startProxiedRegistries(
    1,
    options.rtt,
    existsSync('/dev/shm') ? '/dev/shm' : undefined,
  );
  log(
    `fleet: seeding ${options.entities} repositories of ${BUILDS} CI builds each`,
  );
  const productionDigests: string[] = [];
  const seeding = await timed(() =>
    mapPool(
      Array.from({ length: options.entities }, (_, i) => i),
      8,
      async i => {
        const repository = `fleet/${name(i)}`;
        const seeded = await seedCiBuilds(registry.url, repository, {
          builds: BUILDS,
          multiArchEvery: 3,
          concurrency: 2,
          // Builds of each service on their own days, so that drift has dates.
          firstCreated: new Date(Date.UTC(2026, 9, 1) + i * 3_600_000),
          intervalMinutes: 24 * 60,
          storageDir: registry.storageDir,
        });
        const digest = (build: number) => seeded.builds[build - 1].digest;
        writeTagLinks(registry.storageDir, repository, digest(2), ['latest']);
        writeTagLinks(registry.storageDir, repository, digest(3), ['staging']);
        writeTagLinks(registry.storageDir, repository, digest(4), [
          'latest-dev',
        ]);
        productionDigests[i] = digest(2);
      },
    ),
  );
  log(`fleet: seeded in ${formatMs(seeding.ms)}`);

  const built = await buildBackend();
  const entitiesFile = writeEntities(built, options.entities);
  const images = {
    registries: [
      { host: 'ghcr.io', endpoint: proxy.url, insecure: true, concurrency: 16 },
    ],
    environments: ENVIRONMENTS,
    // One scheduled refresh indexes the fleet after the first start; the next would come after the run.
    index: { refreshMinutes: 24 * 60 },
  };
  // The digest a release manager searches for: one service's production build.
  const searched = productionDigests[Math.floor(options.entities / 2)];

  const runs: FleetRun[] = [];
  for (const db of databases()) {
    const database = await db.database();
    const start = (suffix: string) =>
      timed(() =>
        startHttpBackend({
          built,
          name: `fleet-${db.name.toLowerCase()}-${suffix}`,
          database,
          entitiesFile,
          images,
        }),
      );

    // First start: the catalog processes the entities, the scheduled refresh indexes every image.
    const first = await start('indexing');
    const backend = first.value;
    onCleanup(() => backend.stop());
    const memory = { ready: await backend.memory() } as FleetRun['memory'];
    log(
      `fleet: ${db.name}: waiting for the catalog's ${options.entities} components`,
    );
    const catalogMs = await waitForCatalog(backend, options.entities);
    log(
      `fleet: ${db.name}: waiting for the scheduled refresh to index the fleet (proxy at RTT 0)`,
    );
    proxy.setLatency(0);
    const indexing = await timed(() =>
      waitForIndexed(backend, options.entities),
    );
    proxy.setLatency(options.rtt);
    const indexRequests = proxy.requests.length;
    memory.indexed = await backend.memory();
    log(
      `fleet: ${db.name}: indexed in ${formatMs(
        indexing.ms,
      )} (${indexRequests} registry requests)`,
    );

    // The digest search finds the one service whose production runs it.
    const found = await imagesPageView(backend, searched);
    check(
      found.totalRows === 1 &&
        found.rows[0].cells.some(c => c.digest === searched),
      `the search for ${searched} finds the one row that runs it (${found.totalRows} rows)`,
    );

    const kinds = viewKinds(backend, searched);
    const blocks: FleetBlock[] = [];
    for (const viewers of options.viewers) {
      log(
        `fleet: ${db.name}: ${viewers} viewer(s), ${options.views} views of each kind`,
      );
      blocks.push(await measureBlock(proxy, kinds, viewers, options.views));
    }
    memory.warm = await backend.memory();
    await backend.stop();

    // Second start on the same database: the first views after a start.
    const second = await start('cold');
    const restarted = second.value;
    onCleanup(() => restarted.stop());
    memory.restarted = await restarted.memory();
    proxy.reset();
    const cold: number[] = [];
    let coldPage: FleetPage | undefined;
    for (let i = 0; i < options.coldViews; i++) {
      const view = await timed(() => imagesPageView(restarted));
      cold.push(view.ms);
      coldPage ??= view.value;
    }
    const coldRequests = proxy.requests.slice();
    const coldCatalog = await timed(() => getJson(restarted, catalogListPath));
    memory.cold = await restarted.memory();
    await restarted.stop();

    runs.push({
      database: db.name,
      startupMs: first.ms,
      catalogMs,
      indexMs: indexing.ms,
      indexRequests,
      restartMs: second.ms,
      blocks,
      cold: {
        views: cold,
        registryRequests: coldRequests.length,
        registryBreakdown: breakdown(coldRequests),
        notIndexedCells: countGrey(coldPage),
        rows: coldPage?.totalRows ?? 0,
        catalogListMs: coldCatalog.ms,
      },
      memory,
    });
  }

  const report = fleetReport({
    options,
    context,
    runs,
    buildMs: built.buildMs,
  });
  const json = {
    ...report.json,
    seeding: {
      ms: Math.round(seeding.ms),
      repositories: options.entities,
      builds: BUILDS,
    },
  };
  writeResults('fleet', json);
  return { table: report.table, details: report.details, json };
}

/** The kinds of view each viewer takes in turn: the Images page, its digest search, and Backstage's own two. */
function viewKinds(backend: HttpBackend, searched: string): ViewKind[] {
  return [
    { name: 'images', view: () => imagesPageView(backend) },
    {
      name: 'search',
      view: () => imagesPageView(backend, searched.slice(0, 19)),
    },
    {
      name: 'entity',
      view: () => getJson(backend, catalogEntityPath(name(7))),
    },
    { name: 'catalogList', view: () => getJson(backend, catalogListPath) },
  ];
}

function databases(): Array<{
  name: string;
  database: () => Promise<BenchDatabase>;
}> {
  return [
    {
      name: 'SQLite',
      database: async () => {
        // Files, not memory: the second start reads what the first indexed.
        const directory = mkdtempSync(
          join(tmpdir(), 'berth-bench-fleet-sqlite-'),
        );
        onCleanup(() => rmSync(directory, { recursive: true, force: true }));
        return { client: 'better-sqlite3', connection: { directory } };
      },
    },
    {
      name: 'PostgreSQL',
      database: benchPostgres,
    },
  ];
}

/** The catalog file: the onboarded components, over 25 owners, 50 systems and two lifecycles. */
function writeEntities(built: BuiltBackend, count: number): string {
  const file = join(built.dir, 'bench-fleet-entities.yaml');
  const entities = Array.from({ length: count }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: name(i),
      annotations: { 'berth.dev/images': `ghcr.io/fleet/${name(i)}` },
    },
    spec: {
      type: 'service',
      owner: `group:default/team-${i % 25}`,
      system: `system-${i % 50}`,
      lifecycle: i % 4 === 0 ? 'experimental' : 'production',
    },
  }));
  writeFileSync(file, entities.map(e => JSON.stringify(e)).join('\n---\n'));
  return file;
}

async function waitForCatalog(
  backend: HttpBackend,
  count: number,
): Promise<number> {
  const started = performance.now();
  await waitForOk(backend, catalogEntityPath(name(count - 1)), 600_000);
  for (;;) {
    const { totalItems } = await getJson<{ totalItems: number }>(
      backend,
      '/api/catalog/entities/by-query?filter=kind%3Dcomponent&limit=1',
    );
    if (totalItems >= count) return performance.now() - started;
    await sleep(500);
  }
}

/** Until every row of the fleet is there and no cell waits for the index. */
async function waitForIndexed(
  backend: HttpBackend,
  count: number,
): Promise<void> {
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const [all, grey] = await Promise.all([
      getJson<FleetPage>(backend, fleetPath(undefined, 1)),
      getJson<FleetPage>(backend, '/api/images/fleet?status=GREY&pageSize=1'),
    ]);
    if (all.totalRows >= count && grey.totalRows === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `the fleet was not indexed within 30 minutes (${all.totalRows} rows, ${grey.totalRows} not indexed)`,
      );
    await sleep(1000);
  }
}

function countGrey(page: FleetPage | undefined): number {
  return (page?.rows ?? []).reduce(
    (n, row) => n + row.cells.filter(cell => cell.status === 'GREY').length,
    0,
  );
}
