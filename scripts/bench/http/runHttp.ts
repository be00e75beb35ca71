/*
 * The http part: the Images tab's page views through the real HTTP path of the real backend (packages/backend,
 * built, NODE_ENV=production; once on SQLite, once on PostgreSQL), beside what Backstage itself costs for an entity
 * page (two catalog entity GETs), in the same run. A CNCF Distribution registry behind the latency proxy holds a
 * small repository and one of 10,000 CI builds (10,000 distinct digests); the catalog has an entity for each.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTagLinks } from '@berth/plugin-images-backend-test-utils';
import { formatMs, log, onCleanup, timed } from '../lib';
import { startProxiedRegistries, BENCH_ENVIRONMENTS } from '../registries';
import { PartResult, writeResults } from '../report';
import { seedCiBuilds } from '../seedBuilds';
import { summarizeProfile } from '../tab/cpuProfile';
import { buildBackend } from './buildBackend';
import {
  BenchDatabase,
  benchPostgres,
  startHttpBackend,
  waitForOk,
} from './httpBackend';
import { httpReport } from './httpReport';
import {
  BenchEntity,
  measureViews,
  tabView,
  ViewsBlock,
  warmUntilComplete,
} from './httpViews';

export interface HttpOptions {
  rtt: number;
  /** Builds (distinct digests) in the large repository. */
  builds: number;
  /** Tab views (and as many catalog views) per block. */
  views: number;
  /** Concurrent viewer counts measured. */
  viewers: number[];
  /** Tab views profiled on the warm backend. */
  profileViews: number;
  /** How long the index may take to complete before the warm views start anyway (seconds). */
  warmTimeoutS: number;
}

export const HTTP_DEFAULTS = {
  builds: 10_000,
  views: 200,
  viewers: [1, 50],
  profileViews: 300,
  warmTimeoutS: 600,
};

const ENVIRONMENTS = BENCH_ENVIRONMENTS;

export async function runHttp(
  options: HttpOptions,
  context: { distribution: string },
): Promise<PartResult> {
  // In memory where there is /dev/shm: 10,000 builds are some 50,000 small files.
  const {
    registries: [registry],
    proxies: [proxy],
  } = await startProxiedRegistries(
    1,
    options.rtt,
    existsSync('/dev/shm') ? '/dev/shm' : undefined,
  );

  // Seeded straight into the registry (not through the proxy); the environment tags on older builds.
  log(
    `http: seeding bench/small (5 builds) and bench/builds (${options.builds} builds)`,
  );
  const seeding = await timed(async () => {
    const small = await seedCiBuilds(registry.url, 'bench/small', {
      builds: 5,
      multiArchEvery: 3,
    });
    const large = await seedCiBuilds(registry.url, 'bench/builds', {
      builds: options.builds,
      multiArchEvery: 10,
      storageDir: registry.storageDir,
    });
    for (const seeded of [small, large]) {
      const b = seeded.builds;
      const at = (back: number) => b[Math.max(0, b.length - 1 - back)].digest;
      writeTagLinks(registry.storageDir, seeded.repository, at(0), [
        'latest-dev',
      ]);
      writeTagLinks(registry.storageDir, seeded.repository, at(1), ['staging']);
      writeTagLinks(registry.storageDir, seeded.repository, at(3), ['latest']);
    }
    return { small, large };
  });
  log(
    `http: seeded in ${formatMs(seeding.ms)} (bench/builds: ${
      seeding.value.large.blobs
    } blobs, ${seeding.value.large.manifests} manifests in ${formatMs(
      seeding.value.large.ms,
    )})`,
  );
  const entities: BenchEntity[] = [
    {
      label: 'small (8 tags)',
      name: 'bench-small',
      image: 'ghcr.io/bench/small',
      digests: 5,
    },
    {
      label: `${options.builds.toLocaleString('en-US')} digests`,
      name: 'bench-builds',
      image: 'ghcr.io/bench/builds',
      digests: options.builds,
    },
  ];

  const built = await buildBackend();
  const entitiesFile = join(built.dir, 'bench-entities.yaml');
  writeFileSync(
    entitiesFile,
    [
      { kind: 'System', metadata: { name: 'bench' }, spec: { owner: 'bench' } },
      ...entities.map(entity => ({
        kind: 'Component',
        metadata: {
          name: entity.name,
          annotations: { 'berth.dev/images': entity.image },
        },
        spec: {
          type: 'service',
          owner: 'bench',
          lifecycle: 'production',
          system: 'bench',
        },
      })),
    ]
      .map(e => JSON.stringify({ apiVersion: 'backstage.io/v1alpha1', ...e }))
      .join('\n---\n'),
  );
  const images = {
    // 16 requests at a time to the registry (4 by default): the index of 10,000 digests completes sooner before the
    // warm views; warm views should make no registry requests at all.
    registries: [
      { host: 'ghcr.io', endpoint: proxy.url, insecure: true, concurrency: 16 },
    ],
    environments: ENVIRONMENTS,
    // The scheduled refresh would make registry requests in the middle of the views: pushed past the run.
    index: { refreshMinutes: 24 * 60 },
  };

  const runs: Array<{
    database: string;
    startupMs: number;
    warmupMs: number;
    blocks: ViewsBlock[];
  }> = [];
  let profile: ReturnType<typeof summarizeProfile> | undefined;
  const databases: Array<{
    name: string;
    database: () => Promise<BenchDatabase>;
  }> = [
    {
      name: 'SQLite',
      database: async () => ({
        client: 'better-sqlite3',
        connection: ':memory:',
      }),
    },
    {
      name: 'PostgreSQL',
      database: benchPostgres,
    },
  ];
  for (const [i, db] of databases.entries()) {
    const database = await db.database();
    const started = await timed(() =>
      startHttpBackend({
        built,
        name: db.name.toLowerCase(),
        database,
        entitiesFile,
        images,
      }),
    );
    const backend = started.value;
    onCleanup(() => backend.stop());
    for (const entity of entities)
      await waitForOk(
        backend,
        `/api/catalog/entities/by-name/component/default/${entity.name}`,
      );
    await waitForOk(
      backend,
      `/api/catalog/entities/by-name/system/default/bench`,
    );

    // Warm: the index completes (at RTT 0, as a long-running backend would have it by the time anyone looks).
    log(`http: ${db.name}: warming the index (proxy at RTT 0)`);
    proxy.setLatency(0);
    const warmup = await timed(async () => {
      for (const entity of entities) {
        const { complete, page } = await warmUntilComplete(
          backend,
          entity,
          options.warmTimeoutS * 1000,
        );
        if (!complete)
          log(
            `http: ${entity.label}: index not complete (${page.index.resolvedTags}/${page.index.totalTags})`,
          );
      }
    });
    proxy.setLatency(options.rtt);
    log(`http: ${db.name}: warm in ${formatMs(warmup.ms)}`);

    const blocks: ViewsBlock[] = [];
    for (const entity of entities) {
      for (const viewers of options.viewers) {
        log(
          `http: ${db.name}: ${entity.label}, ${viewers} viewer(s), ${options.views} views`,
        );
        blocks.push(
          await measureViews(
            backend,
            proxy,
            entity,
            viewers,
            options.views,
            ENVIRONMENTS.map(env => env.tag),
          ),
        );
      }
    }
    runs.push({
      database: db.name,
      startupMs: started.ms,
      warmupMs: warmup.ms,
      blocks,
    });

    // Where the backend's time goes on warm tab views: the last database, the large repository, 50 viewers.
    if (i === databases.length - 1 && options.profileViews > 0) {
      const entity = entities[entities.length - 1];
      await tabView(backend, entity);
      log(
        `http: ${db.name}: profiling ${options.profileViews} warm tab views (${entity.label})`,
      );
      await backend.startProfile();
      const viewers = Math.max(...options.viewers);
      let next = 0;
      await Promise.all(
        Array.from({ length: viewers }, async () => {
          while (next++ < options.profileViews) await tabView(backend, entity);
        }),
      );
      profile = summarizeProfile(
        (await backend.stopProfile()) as Parameters<typeof summarizeProfile>[0],
        built.dir,
      );
    }
    await backend.stop();
  }

  const report = httpReport({
    options,
    context,
    runs,
    profile,
    buildMs: built.buildMs,
  });
  const json = {
    ...report.json,
    seeding: {
      ms: Math.round(seeding.ms),
      builds: options.builds,
      blobs: seeding.value.large.blobs,
      manifests: seeding.value.large.manifests,
      multiArch: seeding.value.large.builds.filter(b => b.multiArch).length,
    },
  };
  writeResults('http', json);
  return { table: report.table, details: report.details, json };
}
