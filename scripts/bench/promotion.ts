/*
 * The promotion part of `yarn bench`: the backend's real promotion path (`Promoter` on a `PromotionStore` in knex +
 * better-sqlite3 in memory, with the plugin's migrations) against two CNCF Distribution registries behind the latency
 * proxy, side by side with `skopeo copy --all --preserve-digests` doing the same registry writes:
 *  1. same-repository promotion of a 2-platform index to an environment that holds another image: Berth plans
 *     (resolves the source and the environment), writes a rollback tag, the environment tag and its alsoTag, and
 *     verifies both; skopeo makes three copies (current digest → rollback tag, source digest → each tag);
 *  2. cross-repository promotion (the environment's `repository` is `{registry}/{repository}-prod-…`): Berth mounts
 *     the blobs; skopeo copies twice (one per tag);
 *  3. cross-registry promotion (the environment's repository is on the second registry): Berth streams the blobs;
 *     skopeo copies twice.
 * Each run of 2 and 3 writes into a repository of its own, so nothing is there before it. After every run, outside
 * the time and the request count, the tags are checked straight against the registry (and, across repositories,
 * every manifest and blob under the index): the benchmark fails if a tool left another digest.
 *
 * Run by registry.ts (`yarn bench`, or `yarn bench --only=promotion`); prints a table and writes
 * bench-results/promotion.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import {
  Promoter,
  PromotionLocks,
  PromotionRequest,
  PromotionStore,
  RegistryClient,
  RegistryHosts,
} from '@berth/plugin-images-backend';
import {
  RecordedRequest,
  RegistryProxy,
  pushTestIndex,
} from '@berth/plugin-images-backend-test-utils';
import type { EnvironmentDefinition } from '@berth/plugin-images-common';
import knexFactory from 'knex';
import { BigImage, seedBigImage } from './image';
import {
  MIGRATIONS,
  MB,
  breakdown,
  formatBreakdown,
  formatMB,
  formatMs,
  log,
  median,
  onCleanup,
  startProxiedRegistries,
  timed,
} from './lib';
import { Skopeo, prepareSkopeo } from './skopeo';

const ROOT = resolve(__dirname, '../..');
const RESULTS_FILE = join(ROOT, 'bench-results', 'promotion.json');
const REPOSITORY = 'bench/app';
const SOURCE_TAG = 'staging';
const ENVIRONMENT = {
  name: 'production',
  tag: 'latest',
  alsoTag: ['main'],
} satisfies EnvironmentDefinition;
const ENVIRONMENT_TAGS = [ENVIRONMENT.tag, ...ENVIRONMENT.alsoTag];
const SKOPEO_TLS_OFF = [
  '--src-tls-verify=false',
  '--dest-tls-verify=false',
  '--src-no-creds',
  '--dest-no-creds',
];

export interface PromotionOptions {
  rtt: number;
  imageMB: number;
  /** Runs of the same-repository promotion. */
  reps: number;
  /** Runs of the cross-repository and cross-registry promotions (they move the big image). */
  copyReps: number;
  skopeo: boolean;
}

/** One tool's runs of one scenario: median time, and what one run did at the registries. */
interface Side {
  ms: number;
  runsMs: number[];
  /** Median over the runs (they should not vary). */
  requests: number;
  /** Per registry, in the order of the proxies. */
  requestsPerRegistry: number[];
  breakdown: Record<string, number>;
  /** Layer and config bytes uploaded (completed blob uploads), median over the runs. */
  bytesUploaded: number;
  blobsUploaded: number;
  blobsMounted: number;
  /** skopeo processes per run. */
  processes?: number;
}

interface Scenario {
  key: 'same-repository' | 'cross-repository' | 'cross-registry';
  operation: string;
  berth: Side;
  skopeo?: Side;
  note: string;
}

interface RunMeasure {
  ms: number;
  requests: RecordedRequest[][];
  processes?: number;
}

export interface PromotionResult {
  table: string;
  details: string;
  json: Record<string, unknown>;
}

function fail(message: string): never {
  throw new Error(`promotion benchmark: ${message}`);
}

/** Runs `fn` and returns its time and the requests it made through each proxy. */
async function measureRun(
  proxies: RegistryProxy[],
  fn: () => Promise<number | void>,
): Promise<RunMeasure> {
  const before = proxies.map(proxy => proxy.requests.length);
  const { ms, value } = await timed(fn);
  return {
    ms,
    requests: proxies.map((proxy, i) => proxy.requests.slice(before[i])),
    processes: typeof value === 'number' ? value : undefined,
  };
}

/** What the requests of one run moved: completed uploads (PUT …?digest=, 201) and mounts (POST …?mount=, 201). */
function transfers(
  requests: RecordedRequest[],
  sizes: Map<string, number>,
): { bytesUploaded: number; blobsUploaded: number; blobsMounted: number } {
  let bytesUploaded = 0;
  let blobsUploaded = 0;
  let blobsMounted = 0;
  for (const request of requests) {
    if (request.status !== 201 || !request.path.includes('/blobs/uploads/'))
      continue;
    const query = new URLSearchParams(request.path.split('?')[1] ?? '');
    if (request.method === 'POST' && query.has('mount')) blobsMounted++;
    const digest = query.get('digest');
    if (request.method === 'PUT' && digest) {
      blobsUploaded++;
      bytesUploaded +=
        sizes.get(digest) ?? fail(`an upload of an unknown blob ${digest}`);
    }
  }
  return { bytesUploaded, blobsUploaded, blobsMounted };
}

function summarize(
  runs: RunMeasure[],
  sizes: Map<string, number>,
  who: string,
): Side {
  const all = runs.map(run => run.requests.flat());
  const counts = all.map(requests => requests.length);
  if (new Set(counts).size > 1)
    log(`  (${who}: request counts varied between runs: ${counts.join(', ')})`);
  const moved = all.map(requests => transfers(requests, sizes));
  const last = runs[runs.length - 1];
  return {
    ms: median(runs.map(run => run.ms)),
    runsMs: runs.map(run => Math.round(run.ms)),
    requests: median(counts),
    requestsPerRegistry: last.requests.map(requests => requests.length),
    breakdown: breakdown(all[all.length - 1]),
    bytesUploaded: median(moved.map(m => m.bytesUploaded)),
    blobsUploaded: moved[moved.length - 1].blobsUploaded,
    blobsMounted: moved[moved.length - 1].blobsMounted,
    processes: last.processes,
  };
}

/** Digest → size of every blob under the index (configs and layers). */
async function blobSizes(
  client: RegistryClient,
  repository: string,
  digests: string[],
): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const digest of digests) {
    const index = await client.getManifest(repository, digest);
    for (const child of (index.manifest as { manifests?: { digest: string }[] })
      .manifests ?? []) {
      const manifest = await client.getManifest(repository, child.digest);
      const image = manifest.manifest as {
        config: { digest: string; size: number };
        layers: { digest: string; size: number }[];
      };
      for (const blob of [image.config, ...image.layers])
        sizes.set(blob.digest, blob.size);
    }
  }
  return sizes;
}

async function checkTags(
  client: RegistryClient,
  repository: string,
  tags: string[],
  digest: string,
  who: string,
): Promise<void> {
  for (const tag of tags) {
    const found = await client.resolveDigest(repository, tag);
    if (found !== digest)
      fail(
        `after ${who}, ${repository}:${tag} is ${
          found ?? 'missing'
        }, expected ${digest}`,
      );
  }
}

/** Every manifest and blob under the index is in the repository. */
async function checkComplete(
  client: RegistryClient,
  repository: string,
  digest: string,
  who: string,
): Promise<void> {
  const index = await client.getManifest(repository, digest);
  for (const child of (index.manifest as { manifests?: { digest: string }[] })
    .manifests ?? []) {
    const manifest = await client.getManifest(repository, child.digest);
    const image = manifest.manifest as {
      config: { digest: string };
      layers: { digest: string }[];
    };
    for (const blob of [image.config, ...image.layers]) {
      if (!(await client.hasBlob(repository, blob.digest)))
        fail(`after ${who}, ${repository} lacks the blob ${blob.digest}`);
    }
  }
}

function renderTable(title: string, scenarios: Scenario[]): string {
  const header = [
    'promotion',
    'Berth time',
    'Berth reqs',
    'Berth upload',
    'skopeo time',
    'skopeo reqs',
    'skopeo upload',
    'notes',
  ];
  const upload = (side: Side) => {
    const mounted = side.blobsMounted ? ` (${side.blobsMounted} mounted)` : '';
    return side.bytesUploaded === 0
      ? `0${mounted}`
      : `${formatMB(side.bytesUploaded)}${mounted}`;
  };
  const cells = scenarios.map(s => [
    s.operation,
    formatMs(s.berth.ms),
    String(s.berth.requests),
    upload(s.berth),
    s.skopeo ? formatMs(s.skopeo.ms) : '-',
    s.skopeo ? String(s.skopeo.requests) : '-',
    s.skopeo ? upload(s.skopeo) : '-',
    s.note,
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...cells.map(c => c[i].length)),
  );
  const last = header.length - 1;
  const line = (values: string[]) =>
    values
      .map((value, i) => {
        if (i === last) return value;
        return i > 0 ? value.padStart(widths[i]) : value.padEnd(widths[i]);
      })
      .join(' | ')
      .trimEnd();
  return [
    title,
    line(header),
    widths.map(w => '-'.repeat(w)).join('-|-'),
    ...cells.map(line),
  ].join('\n');
}

export async function runPromotion(
  options: PromotionOptions,
  context: { distribution: string },
): Promise<PromotionResult> {
  const started = performance.now();
  let skopeo: Skopeo | undefined;
  if (options.skopeo) {
    skopeo = prepareSkopeo();
    if (!skopeo) log('promotion: skopeo is missing: measuring Berth only');
  }

  log(
    'promotion: starting two registries and a latency proxy in front of each',
  );
  const { registries, proxies } = await startProxiedRegistries(2, options.rtt);
  const [proxy1, proxy2] = proxies;
  const [direct1, direct2] = registries.map(registry =>
    RegistryClient.forEndpoint({
      host: registry.host,
      baseUrl: registry.url,
      concurrency: 16,
    }),
  );

  // The audit trail and the locks: one database for the whole part, as one backend keeps it.
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
  onCleanup(() => db.destroy());
  await db.migrate.latest({ directory: MIGRATIONS });
  const store = new PromotionStore(db);
  // A new RegistryHosts (so new clients and connections) for every promotion, as skopeo starts afresh each time.
  const newPromoter = () =>
    new Promoter({
      registries: new RegistryHosts([
        { host: proxy1.host, baseUrl: proxy1.url },
        { host: proxy2.host, baseUrl: proxy2.url },
      ]),
      store,
      locks: new PromotionLocks(db),
    });

  // ---- seed, straight into registry 1: the big image as `staging`, another 2-platform index as the environment ----
  log(
    `promotion: seeding a 2-platform image of ~${
      options.imageMB
    } MB as ${REPOSITORY}:${SOURCE_TAG} (layers streamed), and another index as ${ENVIRONMENT_TAGS.join(
      ', ',
    )}`,
  );
  const seeded = await timed(async () => {
    const big = await seedBigImage(direct1, REPOSITORY, SOURCE_TAG, {
      totalMB: options.imageMB,
      platforms: ['linux/amd64', 'linux/arm64'],
      layersPerPlatform: 3,
    });
    const current = await pushTestIndex(direct1, REPOSITORY, ENVIRONMENT_TAGS, {
      layerPrefix: 'bench production now',
    });
    return { big, current };
  });
  const big: BigImage = seeded.value.big;
  const current = seeded.value.current;
  log(
    `  ${formatMB(big.totalBytes)} in ${big.layerCount} layers, ${formatMs(
      seeded.ms,
    )}; source ${big.digest}, environment ${current}`,
  );
  const sizes = await blobSizes(direct1, REPOSITORY, [big.digest, current]);
  const manifestBytes = new Map<string, { bytes: Buffer; mediaType: string }>();
  for (const digest of [big.digest, current]) {
    const manifest = await direct1.getManifest(REPOSITORY, digest);
    manifestBytes.set(digest, manifest);
  }
  /** Puts the environment back on the current image (untimed, straight to the registry). */
  const resetEnvironment = async () => {
    const manifest = manifestBytes.get(current)!;
    for (const tag of ENVIRONMENT_TAGS)
      await direct1.putManifest(
        REPOSITORY,
        tag,
        manifest.bytes,
        manifest.mediaType,
      );
  };

  const request = (
    rep: number,
    environment: EnvironmentDefinition,
    expectedCurrentDigest: string,
  ): PromotionRequest => ({
    entityRef: 'component:default/bench',
    image: { registry: proxy1.host, repository: REPOSITORY },
    environment,
    source: SOURCE_TAG,
    reason: `bench run ${rep}`,
    requestedBy: 'user:default/bench',
    expectedCurrentDigest,
  });
  const promote = async (
    promotionRequest: PromotionRequest,
  ): Promise<{ rollbackTag?: string }> => {
    const record = await newPromoter().promote(promotionRequest);
    if (record.status !== 'succeeded' || record.sourceDigest !== big.digest)
      fail(
        `Berth's promotion ended ${record.status} with ${
          record.sourceDigest
        }: ${record.error ?? ''}`,
      );
    return { rollbackTag: record.rollbackTag };
  };
  /** skopeo copies, one process after another; returns how many ran. */
  const skopeoCopies = async (
    copies: Array<[from: string, to: string]>,
  ): Promise<number> => {
    for (const [from, to] of copies)
      await skopeo!.run([
        'copy',
        '--all',
        '--preserve-digests',
        '--quiet',
        ...SKOPEO_TLS_OFF,
        `docker://${from}`,
        `docker://${to}`,
      ]);
    return copies.length;
  };
  const source = `${proxy1.host}/${REPOSITORY}@${big.digest}`;

  /** Alternates who goes first, so that neither always meets a registry that has just done the same work. */
  const alternate = async (
    label: string,
    reps: number,
    berth: (rep: number) => Promise<RunMeasure>,
    other?: (rep: number) => Promise<RunMeasure>,
  ): Promise<{ berth: RunMeasure[]; skopeo: RunMeasure[] }> => {
    const runs = { berth: [] as RunMeasure[], skopeo: [] as RunMeasure[] };
    for (let rep = 1; rep <= reps; rep++) {
      const order =
        rep % 2 === 1
          ? (['berth', 'skopeo'] as const)
          : (['skopeo', 'berth'] as const);
      for (const who of order) {
        if (who === 'skopeo' && !other) continue;
        log(`promotion: ${label}, run ${rep}/${reps}: ${who}`);
        const run = await (who === 'berth' ? berth : other!)(rep);
        log(`  ${formatMs(run.ms)}, ${run.requests.flat().length} requests`);
        runs[who].push(run);
      }
    }
    return runs;
  };

  const scenarios: Scenario[] = [];

  // ---- 1. same repository, the environment holding another image ----
  const same = await alternate(
    '(1) same-repository promotion',
    options.reps,
    async rep => {
      await resetEnvironment();
      let rollbackTag: string | undefined;
      const run = await measureRun([proxy1], async () => {
        ({ rollbackTag } = await promote(request(rep, ENVIRONMENT, current)));
      });
      if (!rollbackTag) fail('Berth wrote no rollback tag');
      await checkTags(
        direct1,
        REPOSITORY,
        ENVIRONMENT_TAGS,
        big.digest,
        'Berth',
      );
      await checkTags(direct1, REPOSITORY, [rollbackTag], current, 'Berth');
      return run;
    },
    skopeo &&
      (async rep => {
        await resetEnvironment();
        const rollbackTag = `rollback-skopeo-${rep}`;
        const target = `${proxy1.host}/${REPOSITORY}`;
        const run = await measureRun([proxy1], () =>
          skopeoCopies([
            [`${target}@${current}`, `${target}:${rollbackTag}`],
            ...ENVIRONMENT_TAGS.map(
              tag => [source, `${target}:${tag}`] as [string, string],
            ),
          ]),
        );
        await checkTags(
          direct1,
          REPOSITORY,
          ENVIRONMENT_TAGS,
          big.digest,
          'skopeo',
        );
        await checkTags(direct1, REPOSITORY, [rollbackTag], current, 'skopeo');
        return run;
      }),
  );
  scenarios.push({
    key: 'same-repository',
    operation: 'same repository, 2-platform index',
    berth: summarize(same.berth, sizes, 'Berth'),
    skopeo: same.skopeo.length
      ? summarize(same.skopeo, sizes, 'skopeo')
      : undefined,
    note: 'latest + main over another image: Berth plans, keeps a rollback tag, verifies; skopeo: 3 copies (rollback, latest, main)',
  });

  // ---- 2. into another repository of the same registry ----
  const crossRepo = await alternate(
    `(2) cross-repository promotion of ${formatMB(big.totalBytes)}`,
    options.copyReps,
    async rep => {
      const environment = {
        ...ENVIRONMENT,
        repository: `{registry}/{repository}-prod-berth-${rep}`,
      };
      const target = `${REPOSITORY}-prod-berth-${rep}`;
      const run = await measureRun([proxy1], () =>
        promote(request(rep, environment, '')).then(() => undefined),
      );
      await checkTags(direct1, target, ENVIRONMENT_TAGS, big.digest, 'Berth');
      await checkComplete(direct1, target, big.digest, 'Berth');
      return run;
    },
    skopeo &&
      (async rep => {
        const target = `${REPOSITORY}-prod-skopeo-${rep}`;
        const run = await measureRun([proxy1], () =>
          skopeoCopies(
            ENVIRONMENT_TAGS.map(tag => [
              source,
              `${proxy1.host}/${target}:${tag}`,
            ]),
          ),
        );
        await checkTags(
          direct1,
          target,
          ENVIRONMENT_TAGS,
          big.digest,
          'skopeo',
        );
        await checkComplete(direct1, target, big.digest, 'skopeo');
        return run;
      }),
  );
  const crossRepoSkopeo = crossRepo.skopeo.length
    ? summarize(crossRepo.skopeo, sizes, 'skopeo')
    : undefined;
  scenarios.push({
    key: 'cross-repository',
    operation: `other repository, ~${formatMB(big.totalBytes)}`,
    berth: summarize(crossRepo.berth, sizes, 'Berth'),
    skopeo: crossRepoSkopeo,
    note: `{registry}/{repository}-prod: Berth mounts; skopeo: 2 copies, a fresh blob-info cache each${
      crossRepoSkopeo && crossRepoSkopeo.blobsMounted === 0
        ? ', so it streams'
        : ''
    }`,
  });

  // ---- 3. into the second registry ----
  const crossRegistry = await alternate(
    `(3) cross-registry promotion of ${formatMB(big.totalBytes)}`,
    options.copyReps,
    async rep => {
      const target = `${REPOSITORY}-berth-${rep}`;
      const environment = {
        ...ENVIRONMENT,
        repository: `${proxy2.host}/${target}`,
      };
      const run = await measureRun(proxies, () =>
        promote(request(rep, environment, '')).then(() => undefined),
      );
      await checkTags(direct2, target, ENVIRONMENT_TAGS, big.digest, 'Berth');
      await checkComplete(direct2, target, big.digest, 'Berth');
      return run;
    },
    skopeo &&
      (async rep => {
        const target = `${REPOSITORY}-skopeo-${rep}`;
        const run = await measureRun(proxies, () =>
          skopeoCopies(
            ENVIRONMENT_TAGS.map(tag => [
              source,
              `${proxy2.host}/${target}:${tag}`,
            ]),
          ),
        );
        await checkTags(
          direct2,
          target,
          ENVIRONMENT_TAGS,
          big.digest,
          'skopeo',
        );
        await checkComplete(direct2, target, big.digest, 'skopeo');
        return run;
      }),
  );
  scenarios.push({
    key: 'cross-registry',
    operation: `other registry, ~${formatMB(big.totalBytes)}`,
    berth: summarize(crossRegistry.berth, sizes, 'Berth'),
    skopeo: crossRegistry.skopeo.length
      ? summarize(crossRegistry.skopeo, sizes, 'skopeo')
      : undefined,
    note: 'registry 2: Berth streams; skopeo: 2 copies',
  });

  // ---- report ----
  const title = `Berth promotion benchmark (RTT ${
    options.rtt
  } ms via loopback proxy; CNCF Distribution ${context.distribution}; ${
    skopeo ? `skopeo ${skopeo.version}` : 'no skopeo'
  }; Node ${process.versions.node}; ${cpus().length} CPUs)`;
  const table = renderTable(title, scenarios);
  const perRun = (side: Side) => side.runsMs.map(formatMs).join(', ');
  const details = [
    '',
    'Requests by kind (one run), and times of every run:',
    ...scenarios.flatMap(s => [
      `  ${s.operation}`,
      `    Berth:  ${formatBreakdown(s.berth.breakdown)}; ${perRun(s.berth)}`,
      s.skopeo &&
        `    skopeo: ${formatBreakdown(s.skopeo.breakdown)}; ${perRun(
          s.skopeo,
        )}`,
    ]),
    '',
    'Cross-repository and cross-registry runs each promote into an empty repository of their own (no rollback tag).',
    `Cross-registry requests to source/target registry: Berth ${scenarios[2].berth.requestsPerRegistry.join(
      '/',
    )}${
      scenarios[2].skopeo
        ? `, skopeo ${scenarios[2].skopeo.requestsPerRegistry.join('/')}`
        : ''
    }. Upload: blob bytes of completed uploads (PUT …?digest=) seen by the proxies; mounted: POST …?mount= answered 201.`,
    `Berth: Promoter.promote() with a new RegistryHosts each run, its audit trail in SQLite in memory; the time includes` +
      ` the plan (resolving the source tag and the environment), the rollback tag, the tags and their verification.` +
      ` skopeo: one \`copy --all --preserve-digests\` process per tag written (times include starting it), from the` +
      ` source digest; it neither resolves the environment nor checks the result.`,
    `Times: median of ${options.reps} runs (same repository) and of ${options.copyReps} (the big image). Each cross` +
      ` run writes into a repository of its own. Seeding (direct, no proxy): ${formatMB(
        big.totalBytes,
      )} in ${formatMs(seeded.ms)}. Whole part ${formatMs(
        performance.now() - started,
      )}.`,
  ].filter((line): line is string => typeof line === 'string');

  const json = {
    benchmark: 'promotion',
    date: new Date().toISOString(),
    options,
    environment: {
      node: process.versions.node,
      distribution: context.distribution,
      skopeo: skopeo?.version ?? null,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryMB: Math.round(totalmem() / MB),
    },
    seed: {
      image: big,
      currentDigest: current,
      ms: Math.round(seeded.ms),
    },
    scenarios,
    totalMs: Math.round(performance.now() - started),
  };
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(json, null, 2)}\n`);
  log(
    `results written to ${
      relative(process.cwd(), RESULTS_FILE) || RESULTS_FILE
    }`,
  );
  return { table, details: details.join('\n'), json };
}
