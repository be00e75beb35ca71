/*
 * `yarn bench`, in three parts:
 *  - registry: Berth's OCI registry client against a real CNCF Distribution registry behind a loopback proxy that
 *    adds a round-trip time, side by side with skopeo doing the same thing through the same proxy
 *    (bench-results/registry.json);
 *  - tab: the Images tab API (EntityImagesService on its tag index) over a 10,000-tag repository behind the same kind
 *    of proxy, cold and warm (tab.ts; bench-results/tab.json);
 *  - promotion: the backend's Promoter (plan, rollback tag, tags, verification) within a repository, into another
 *    repository and into another registry, side by side with skopeo copies doing the same registry writes
 *    (promotion.ts; bench-results/promotion.json).
 * Not a test: it prints the tables (stdout) and writes the JSON files. Progress goes to stderr.
 *
 *   yarn bench [--only=registry|tab|promotion] [--rtt=50] [--tags=10000] [--image-mb=200] [--reps=3] [--copy-reps=3]
 *              [--no-skopeo] [--cold-reps=5] [--warm-views=50] [--clients=50] [--client-views=20]
 */
import { ChildProcess, execFileSync, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { copyImage, RegistryClient } from '@berth/plugin-images-backend';
import {
  REGISTRY_BINARY,
  RecordedRequest,
  RegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import type { CopyJob, CopyWorkerResult } from './copyWorker';
import { BigImage, seedBigImage, seedTags, tagName } from './image';
import {
  MB,
  breakdown,
  cleanupAll,
  isStopping,
  formatBreakdown,
  formatMB,
  formatMs,
  log,
  mapPool,
  median,
  onCleanup,
  startProxiedRegistries,
  timed,
} from './lib';
import { runPromotion } from './promotion';
import { Skopeo, prepareSkopeo } from './skopeo';
import { TAB_DEFAULTS, TabOptions, runTab } from './tab';

const ROOT = resolve(__dirname, '../..');
const RESULTS_FILE = join(ROOT, 'bench-results', 'registry.json');
const SEED_CONCURRENCY = 16;
const RESOLVE_COUNT = 20;
const SKOPEO_INSPECT_CONCURRENCY = 4; // Berth's per-registry limit, so both sides get the same parallelism
const MEMORY_SAMPLE_MS = 20;

interface Options {
  only?: 'registry' | 'tab' | 'promotion';
  rtt: number;
  tags: number;
  imageMB: number;
  reps: number;
  copyReps: number;
  skopeo: boolean;
  tab: Omit<TabOptions, 'rtt' | 'tags'>;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    rtt: 50,
    tags: 10_000,
    imageMB: 200,
    reps: 3,
    copyReps: 3,
    skopeo: true,
    tab: { ...TAB_DEFAULTS },
  };
  for (const arg of argv) {
    const [name, value] = arg.split('=', 2);
    const number = () => {
      const n = Number(value);
      if (!value || !Number.isFinite(n) || n < 0)
        throw new Error(`${name} needs a number: ${arg}`);
      return n;
    };
    if (name === '--rtt') options.rtt = number();
    else if (name === '--tags')
      options.tags = Math.max(RESOLVE_COUNT, Math.round(number()));
    else if (name === '--image-mb') options.imageMB = Math.max(1, number());
    else if (name === '--reps')
      options.reps = Math.max(1, Math.round(number()));
    else if (name === '--copy-reps')
      options.copyReps = Math.max(1, Math.round(number()));
    else if (name === '--no-skopeo') options.skopeo = false;
    else if (name === '--only') {
      if (value !== 'registry' && value !== 'tab' && value !== 'promotion')
        throw new Error(`--only takes registry, tab or promotion: ${arg}`);
      options.only = value;
    } else if (name === '--cold-reps')
      options.tab.coldReps = Math.max(1, Math.round(number()));
    else if (name === '--warm-views')
      options.tab.warmViews = Math.max(1, Math.round(number()));
    else if (name === '--clients')
      options.tab.clients = Math.max(1, Math.round(number()));
    else if (name === '--client-views')
      options.tab.clientViews = Math.max(1, Math.round(number()));
    else if (name === '--help' || name === '-h') {
      process.stdout.write(
        'yarn bench [--only=registry|tab|promotion] [--rtt=50] [--tags=10000] [--image-mb=200] [--reps=3] [--copy-reps=3] [--no-skopeo]\n' +
          '           [--cold-reps=5] [--warm-views=50] [--clients=50] [--client-views=20]\n' +
          '  --only         run one part: registry (client vs skopeo), tab (Images tab API) or promotion (Promoter vs\n' +
          '                 skopeo); all three by default\n' +
          '  --rtt          round-trip time the loopback proxy adds to every request, in ms\n' +
          '  --tags         tags in the listing repository (tab: the three environment tags included)\n' +
          '  --image-mb     size of the 2-platform image copied between registries and promoted across them\n' +
          '  --reps         runs of list, resolve, retag and the same-repository promotion (the median is shown)\n' +
          '  --copy-reps    runs of the cross-registry copy and of the cross-repository and cross-registry\n' +
          '                 promotions, each way (the median is shown)\n' +
          '  --no-skopeo    Berth only\n' +
          '  --cold-reps    tab: cold page views, each on a fresh database and index (the median is shown)\n' +
          '  --warm-views   tab: warm page views by one viewer, one after another\n' +
          '  --clients      tab: concurrent viewers in the warm concurrent run\n' +
          '  --client-views tab: page views per concurrent viewer\n',
      );
      process.exit(0);
    } else throw new Error(`unknown option ${arg} (try --help)`);
  }
  return options;
}

/** A measured side of one row: median time over the runs, and requests of one run (they do not vary). */
interface Side {
  ms: number;
  runsMs: number[];
  requests: number;
  breakdown: Record<string, number>;
  extra?: Record<string, unknown>;
}

interface Row {
  operation: string;
  berth?: Side;
  skopeo?: Side;
  skopeoNote?: string;
  note?: string;
}

/** Runs `fn` `reps` times; counts the requests each run made through the proxies. */
async function measure(
  proxies: RegistryProxy[],
  reps: number,
  fn: (rep: number) => Promise<unknown>,
): Promise<Side> {
  const runsMs: number[] = [];
  let last: RecordedRequest[] = [];
  const counts: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const before = proxies.map(proxy => proxy.requests.length);
    const { ms } = await timed(() => fn(rep));
    runsMs.push(ms);
    last = proxies.flatMap((proxy, i) => proxy.requests.slice(before[i]));
    counts.push(last.length);
  }
  if (new Set(counts).size > 1)
    log(`request counts varied between runs: ${counts.join(', ')}`);
  return {
    ms: median(runsMs),
    runsMs: runsMs.map(Math.round),
    requests: median(counts),
    breakdown: breakdown(last),
  };
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected)
    throw new Error(
      `${what}: got ${String(actual)}, expected ${String(expected)}`,
    );
}

function runCopyWorker(job: CopyJob): Promise<CopyWorkerResult> {
  return new Promise((resolvePromise, reject) => {
    let child: ChildProcess | undefined = fork(
      join(__dirname, 'copyWorker.ts'),
      [JSON.stringify(job)],
      {
        execArgv: [...process.execArgv, '--expose-gc'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    onCleanup(() => {
      child?.kill('SIGKILL');
    });
    let result: CopyWorkerResult | undefined;
    child.on('message', message => {
      result = message as CopyWorkerResult;
    });
    child.once('error', reject);
    child.once('exit', code => {
      child = undefined;
      if (result) resolvePromise(result);
      else
        reject(
          new Error(
            `the Berth copy worker exited with ${code} without a result`,
          ),
        );
    });
  });
}

function distributionVersion(): string {
  try {
    const text = execFileSync(REGISTRY_BINARY, ['--version']).toString();
    return /distribution\s+v?(\d+\.\d+\.\d+)/.exec(text)?.[1] ?? text.trim();
  } catch {
    return 'unknown';
  }
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function renderTable(title: string, rows: Row[]): string {
  const header = [
    'operation',
    'Berth time',
    'Berth reqs',
    'skopeo time',
    'skopeo reqs',
    'notes',
  ];
  const cells = rows.map(row => [
    row.operation,
    row.berth ? formatMs(row.berth.ms) : '-',
    row.berth ? String(row.berth.requests) : '-',
    row.skopeo ? formatMs(row.skopeo.ms) : row.skopeoNote ?? '-',
    row.skopeo ? String(row.skopeo.requests) : '-',
    row.note ?? '',
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...cells.map(c => c[i].length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, i) =>
        i === values.length - 1 ? value : pad(value, widths[i], i > 0 && i < 5),
      )
      .join(' | ')
      .trimEnd();
  return [
    title,
    line(header),
    widths.map((w, i) => '-'.repeat(i === 5 ? Math.max(5, w) : w)).join('-|-'),
    ...cells.map(line),
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const distribution = distributionVersion();
  const tables: string[] = [];
  const runs = (part: NonNullable<Options['only']>) =>
    !options.only || options.only === part;
  if (runs('registry')) {
    tables.push(await registryPart(options, distribution));
    // The registries, proxies and folders of one part go before the next starts.
    await cleanupAll();
  }
  if (runs('tab')) {
    const tab = await runTab(
      { ...options.tab, rtt: options.rtt, tags: options.tags },
      { distribution },
    );
    process.stdout.write(`\n${tab.table}\n${tab.details}\n`);
    tables.push(tab.table);
    await cleanupAll();
  }
  if (runs('promotion')) {
    const promotion = await runPromotion(
      {
        rtt: options.rtt,
        imageMB: options.imageMB,
        reps: options.reps,
        copyReps: options.copyReps,
        skopeo: options.skopeo,
      },
      { distribution },
    );
    process.stdout.write(`\n${promotion.table}\n${promotion.details}\n`);
    tables.push(promotion.table);
  }
  // The tables once more at the end, so that the first ones do not scroll away behind the later ones' details.
  if (tables.length > 1)
    process.stdout.write(`\nSummary\n\n${tables.join('\n\n')}\n`);
}

/** The registry client against skopeo; prints its table and returns it. */
async function registryPart(
  options: Options,
  distribution: string,
): Promise<string> {
  const runStarted = performance.now();

  let skopeo: Skopeo | undefined;
  if (options.skopeo) {
    skopeo = prepareSkopeo();
    if (!skopeo)
      log(
        'skopeo is missing (scripts/bench.sh installs it): measuring Berth only',
      );
  }

  log('starting two registries and a latency proxy in front of each');
  const { registries, proxies } = await startProxiedRegistries(2, options.rtt);
  const [proxy1, proxy2] = proxies;
  const viaProxy = (proxy: RegistryProxy) =>
    RegistryClient.forEndpoint({ host: proxy.host, baseUrl: proxy.url });
  const direct1 = RegistryClient.forEndpoint({
    host: registries[0].host,
    baseUrl: registries[0].url,
    concurrency: SEED_CONCURRENCY,
  });
  const direct2 = RegistryClient.forEndpoint({
    host: registries[1].host,
    baseUrl: registries[1].url,
  });

  // ---- seeding, straight to the registry ----
  const TAGS_REPO = 'bench/tags';
  const BIG_REPO = 'bench/big';
  log(
    `seeding ${options.tags.toLocaleString(
      'en-US',
    )} tags in ${TAGS_REPO} (tag links written into the registry's storage)`,
  );
  const seededTags = await timed(() =>
    seedTags(direct1, registries[0].storageDir, TAGS_REPO, options.tags),
  );
  log(`  ${formatMs(seededTags.ms)}`);
  log(
    `seeding a 2-platform image of ~${options.imageMB} MB in ${BIG_REPO} (layers streamed)`,
  );
  const seededBig = await timed<BigImage>(() =>
    seedBigImage(direct1, BIG_REPO, 'v1', {
      totalMB: options.imageMB,
      platforms: ['linux/amd64', 'linux/arm64'],
      layersPerPlatform: 3,
    }),
  );
  const big = seededBig.value;
  log(
    `  ${formatMB(big.totalBytes)} in ${big.layerCount} layers, ${formatMs(
      seededBig.ms,
    )}; index ${big.digest}`,
  );
  const smallDigest = seededTags.value.digest;

  const rows: Row[] = [];
  const hostOf = (proxy: RegistryProxy) => proxy.host;
  const tlsOff = [
    '--src-tls-verify=false',
    '--dest-tls-verify=false',
    '--src-no-creds',
    '--dest-no-creds',
  ];

  // ---- (a) list every tag ----
  log('(a) listing tags');
  const listBerth = await measure([proxy1], options.reps, async () => {
    const list = await viaProxy(proxy1).listTags(TAGS_REPO);
    expectEqual(list.tags.length, options.tags, 'Berth tag count');
  });
  let listSkopeo: Side | undefined;
  if (skopeo) {
    const s = skopeo;
    listSkopeo = await measure([proxy1], options.reps, async () => {
      const run = await s.run([
        'list-tags',
        '--tls-verify=false',
        '--no-creds',
        `docker://${hostOf(proxy1)}/${TAGS_REPO}`,
      ]);
      expectEqual(
        (JSON.parse(run.stdout.toString()) as { Tags: string[] }).Tags.length,
        options.tags,
        'skopeo tag count',
      );
    });
  }
  rows.push({
    operation: `list ${options.tags.toLocaleString('en-US')} tags`,
    berth: listBerth,
    skopeo: listSkopeo,
    note: 'skopeo list-tags',
  });

  // ---- (b) resolve 20 tags ----
  log(`(b) resolving ${RESOLVE_COUNT} tags`);
  const resolveTags = Array.from({ length: RESOLVE_COUNT }, (_, i) =>
    tagName(Math.floor(((i + 0.5) * options.tags) / RESOLVE_COUNT) + 1),
  );
  const resolveBerth = await measure([proxy1], options.reps, async () => {
    const client = viaProxy(proxy1);
    const digests = await Promise.all(
      resolveTags.map(tag => client.resolveDigest(TAGS_REPO, tag)),
    );
    for (const digest of digests)
      expectEqual(digest, smallDigest, 'Berth resolved digest');
  });
  let resolveSkopeo: Side | undefined;
  if (skopeo) {
    const s = skopeo;
    resolveSkopeo = await measure([proxy1], options.reps, async () => {
      await mapPool(resolveTags, SKOPEO_INSPECT_CONCURRENCY, async tag => {
        const run = await s.run([
          'inspect',
          '--raw',
          '--tls-verify=false',
          '--no-creds',
          `docker://${hostOf(proxy1)}/${TAGS_REPO}:${tag}`,
        ]);
        expectEqual(
          `sha256:${createHash('sha256').update(run.stdout).digest('hex')}`,
          smallDigest,
          'skopeo manifest digest',
        );
      });
    });
  }
  rows.push({
    operation: `resolve ${RESOLVE_COUNT} tags`,
    berth: resolveBerth,
    skopeo: resolveSkopeo,
    note: `Berth: HEAD, 4 at a time; skopeo: ${RESOLVE_COUNT} inspect --raw processes, ${SKOPEO_INSPECT_CONCURRENCY} at a time`,
  });

  // ---- (c) same-repository retag of the 2-platform index ----
  log('(c) same-repository retag');
  const retag = async (client: RegistryClient, tag: string) => {
    const result = await copyImage({
      source: { client, repository: BIG_REPO, digest: big.digest },
      target: { client, repository: BIG_REPO, tag },
    });
    expectEqual(result.mode, 'same-repository', 'Berth copy mode');
    expectEqual(result.manifestsWritten, 1, 'Berth manifests written');
    return tag;
  };
  // Each copy is checked afterwards, straight against the registry: outside the time and the request count.
  const retagCold = await measureCopy([proxy1], options.reps, rep =>
    retag(viaProxy(proxy1), `retag-berth-cold-${rep + 1}`),
  );
  const warmClient = viaProxy(proxy1);
  await retag(warmClient, 'retag-berth-warmup');
  const retagWarm = await measureCopy([proxy1], options.reps, rep =>
    retag(warmClient, `retag-berth-warm-${rep + 1}`),
  );
  let retagSkopeo: Side | undefined;
  let retagSkopeoPeak = 0;
  if (skopeo) {
    const s = skopeo;
    retagSkopeo = await measureCopy([proxy1], options.reps, async rep => {
      const tag = `retag-skopeo-${rep + 1}`;
      const run = await s.run([
        'copy',
        '--all',
        '--preserve-digests',
        '--quiet',
        ...tlsOff,
        `docker://${proxy1.host}/${BIG_REPO}@${big.digest}`,
        `docker://${proxy1.host}/${BIG_REPO}:${tag}`,
      ]);
      retagSkopeoPeak = Math.max(retagSkopeoPeak, run.peakRss);
      return tag;
    });
  }
  async function measureCopy(
    on: RegistryProxy[],
    reps: number,
    copy: (rep: number) => Promise<string>,
  ): Promise<Side> {
    const tags: string[] = [];
    const side = await measure(on, reps, async rep =>
      tags.push(await copy(rep)),
    );
    for (const tag of tags) await checkTag(direct1, BIG_REPO, tag, big.digest);
    return side;
  }
  rows.push({
    operation: 'same-repo retag (cold: new client)',
    berth: retagCold,
    skopeo: retagSkopeo,
    note: 'the 2-platform index; skopeo copy --all --preserve-digests',
  });
  rows.push({
    operation: 'same-repo retag (warm: same client)',
    berth: retagWarm,
    skopeoNote: 'n/a',
    note: 'anonymous registry: no token to reuse; skopeo starts afresh each time',
  });

  // ---- (d) cross-registry copy of the big image, each run into a fresh repository of registry 2 ----
  const berthCopies: Array<{ side: Side; worker: CopyWorkerResult }> = [];
  const skopeoCopies: Array<{ side: Side; peakRss: number }> = [];
  const copyRequests = async <T>(fn: () => Promise<T>) => {
    const before = proxies.map(proxy => proxy.requests.length);
    const value = await fn();
    const requests = proxies.flatMap((proxy, i) =>
      proxy.requests.slice(before[i]),
    );
    const perProxy = proxies.map(
      (proxy, i) => proxy.requests.length - before[i],
    );
    return { value, requests, source: perProxy[0], target: perProxy[1] };
  };
  for (let rep = 1; rep <= options.copyReps; rep++) {
    // Alternate who goes first, so neither always meets a registry that just wrote the same blobs.
    const order = rep % 2 === 1 ? ['berth', 'skopeo'] : ['skopeo', 'berth'];
    for (const who of order) {
      if (who === 'berth') {
        log(
          `(d) cross-registry copy of ${formatMB(big.totalBytes)}, run ${rep}/${
            options.copyReps
          }: Berth (child process)`,
        );
        const repository = `bench/copy-berth-${rep}`;
        const copied = await copyRequests(() =>
          runCopyWorker({
            source: {
              host: proxy1.host,
              baseUrl: proxy1.url,
              repository: BIG_REPO,
              digest: big.digest,
            },
            target: {
              host: proxy2.host,
              baseUrl: proxy2.url,
              repository,
              tag: 'v1',
            },
            sampleMs: MEMORY_SAMPLE_MS,
          }),
        );
        await checkCopied(direct2, repository, 'v1', big.digest);
        const worker = copied.value;
        berthCopies.push({
          worker,
          side: {
            ms: worker.ms,
            runsMs: [Math.round(worker.ms)],
            requests: copied.requests.length,
            breakdown: breakdown(copied.requests),
            extra: {
              sourceRequests: copied.source,
              targetRequests: copied.target,
            },
          },
        });
      } else if (skopeo) {
        log(
          `(d) cross-registry copy of ${formatMB(big.totalBytes)}, run ${rep}/${
            options.copyReps
          }: skopeo`,
        );
        const repository = `bench/copy-skopeo-${rep}`;
        const s = skopeo;
        const copied = await copyRequests(() =>
          s.run([
            'copy',
            '--all',
            '--preserve-digests',
            '--quiet',
            ...tlsOff,
            `docker://${proxy1.host}/${BIG_REPO}@${big.digest}`,
            `docker://${proxy2.host}/${repository}:v1`,
          ]),
        );
        await checkCopied(direct2, repository, 'v1', big.digest);
        skopeoCopies.push({
          peakRss: copied.value.peakRss,
          side: {
            ms: copied.value.ms,
            runsMs: [Math.round(copied.value.ms)],
            requests: copied.requests.length,
            breakdown: breakdown(copied.requests),
            extra: {
              sourceRequests: copied.source,
              targetRequests: copied.target,
            },
          },
        });
      }
    }
  }
  const combine = (sides: Side[]): Side => {
    const counts = sides.map(side => side.requests);
    if (new Set(counts).size > 1)
      log(`request counts varied between copies: ${counts.join(', ')}`);
    const ms = median(sides.map(side => side.ms));
    return {
      ms,
      runsMs: sides.map(side => Math.round(side.ms)),
      requests: median(counts),
      breakdown: sides[sides.length - 1].breakdown,
      extra: {
        ...sides[sides.length - 1].extra,
        throughputMBs: big.totalBytes / MB / (ms / 1000),
      },
    };
  };
  const workers = berthCopies.map(copy => copy.worker);
  const berthPeakDelta = Math.max(
    ...workers.map(w => w.peakRss - w.baselineRss),
  );
  const crossBerth = combine(berthCopies.map(copy => copy.side));
  crossBerth.extra = {
    ...crossBerth.extra,
    peakRssDeltaMB: berthPeakDelta / MB,
    peakRssDeltaMBPerRun: workers.map(w =>
      Math.round((w.peakRss - w.baselineRss) / MB),
    ),
    baselineRssMB: workers.map(w => Math.round(w.baselineRss / MB)),
    maxRssMB: workers.map(w => Math.round(w.maxRss / MB)),
    result: workers[0].result,
  };
  const crossSkopeo =
    skopeoCopies.length > 0
      ? combine(skopeoCopies.map(copy => copy.side))
      : undefined;
  const skopeoCrossPeak = Math.max(
    0,
    ...skopeoCopies.map(copy => copy.peakRss),
  );
  if (crossSkopeo)
    crossSkopeo.extra = {
      ...crossSkopeo.extra,
      peakRssMB: skopeoCrossPeak / MB,
    };
  const mbps = (side: Side) =>
    `${(side.extra!.throughputMBs as number).toFixed(0)} MB/s`;
  const ratio = crossSkopeo ? crossBerth.ms / crossSkopeo.ms : undefined;
  rows.push({
    operation: `cross-registry copy 2-platform ~${formatMB(big.totalBytes)}`,
    berth: crossBerth,
    skopeo: crossSkopeo,
    note: [
      `Berth ${mbps(crossBerth)}`,
      crossSkopeo && `skopeo ${mbps(crossSkopeo)}`,
      ratio !== undefined && `time ratio Berth/skopeo ${ratio.toFixed(2)}`,
      `Berth peak memory +${(berthPeakDelta / MB).toFixed(0)} MB`,
    ]
      .filter(Boolean)
      .join(', '),
  });
  const worker = workers[0];

  // ---- report ----
  const title = `Berth registry benchmark (RTT ${
    options.rtt
  } ms via loopback proxy; CNCF Distribution ${distribution}; ${
    skopeo ? `skopeo ${skopeo.version}` : 'no skopeo'
  }; Node ${process.versions.node}; ${cpus().length} CPUs)`;
  const table = renderTable(title, rows);
  const details = [
    '',
    'Requests by kind (one run):',
    ...rows.flatMap(row => [
      `  ${row.operation}`,
      row.berth && `    Berth:  ${formatBreakdown(row.berth.breakdown)}`,
      row.skopeo && `    skopeo: ${formatBreakdown(row.skopeo.breakdown)}`,
    ]),
    '',
    `Cross-registry copy: requests to source/target registry: Berth ${
      crossBerth.extra!.sourceRequests
    }/${crossBerth.extra!.targetRequests}${
      crossSkopeo
        ? `, skopeo ${crossSkopeo.extra!.sourceRequests}/${
            crossSkopeo.extra!.targetRequests
          }`
        : ''
    }; Berth uploaded ${worker.result.blobsUploaded} blobs (${formatMB(
      worker.result.bytesUploaded,
    )}) and wrote ${
      worker.result.manifestsWritten
    } manifests per copy; times per run: Berth ${crossBerth.runsMs
      .map(formatMs)
      .join(', ')}${
      crossSkopeo
        ? `; skopeo ${crossSkopeo.runsMs.map(formatMs).join(', ')}`
        : ''
    }.`,
    `Berth memory: each copy ran alone in a child process (the proxies stay in this one); RSS sampled every ${MEMORY_SAMPLE_MS} ms ` +
      `minus the RSS before the copy: +${workers
        .map(w => formatMB(w.peakRss - w.baselineRss))
        .join(', +')} ` +
      `(baseline ${formatMB(worker.baselineRss)}; getrusage maxRSS ${formatMB(
        worker.maxRss,
      )}); the largest is in the table.`,
    crossSkopeo
      ? `skopeo memory: peak RSS of the whole process (VmHWM, sampled) ${formatMB(
          skopeoCrossPeak,
        )} for the cross-registry copy, ${formatMB(
          retagSkopeoPeak,
        )} for a retag.`
      : undefined,
    `Times: median of ${options.reps} runs for list/resolve/retag and of ${options.copyReps} for the big copy; skopeo times include starting its process.`,
    `Seeding (direct, no proxy): ${options.tags.toLocaleString(
      'en-US',
    )} tags in ${formatMs(seededTags.ms)}, ${formatMB(
      big.totalBytes,
    )} image in ${formatMs(seededBig.ms)}. Whole run ${formatMs(
      performance.now() - runStarted,
    )}.`,
  ].filter((line): line is string => typeof line === 'string');
  process.stdout.write(`\n${table}\n${details.join('\n')}\n`);

  mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
  writeFileSync(
    RESULTS_FILE,
    `${JSON.stringify(
      {
        benchmark: 'registry',
        date: new Date().toISOString(),
        options,
        environment: {
          node: process.versions.node,
          distribution,
          skopeo: skopeo?.version ?? null,
          cpus: cpus().length,
          cpuModel: cpus()[0]?.model,
          memoryMB: Math.round(totalmem() / MB),
        },
        seed: {
          tags: options.tags,
          tagsMs: Math.round(seededTags.ms),
          image: big,
          imageMs: Math.round(seededBig.ms),
        },
        rows,
        memory: {
          method: `Berth copy alone in a child process; process.memoryUsage().rss every ${MEMORY_SAMPLE_MS} ms minus the rss before the copy (after GC)`,
          berthPeakRssDeltaMB: workers.map(
            w => (w.peakRss - w.baselineRss) / MB,
          ),
          berthBaselineRssMB: workers.map(w => w.baselineRss / MB),
          berthMaxRssMB: workers.map(w => w.maxRss / MB),
          skopeoCrossPeakRssMB: crossSkopeo ? skopeoCrossPeak / MB : null,
          skopeoRetagPeakRssMB: skopeo ? retagSkopeoPeak / MB : null,
        },
        totalMs: Math.round(performance.now() - runStarted),
      },
      null,
      2,
    )}\n`,
  );
  log(
    `results written to ${
      relative(process.cwd(), RESULTS_FILE) || RESULTS_FILE
    }`,
  );
  return table;
}

async function checkTag(
  client: RegistryClient,
  repository: string,
  tag: string,
  digest: string,
): Promise<void> {
  expectEqual(
    (await client.resolveDigest(repository, tag)) ?? 'nothing',
    digest,
    `${repository}:${tag}`,
  );
}

/** The tag points at the index, and every manifest under it is there. */
async function checkCopied(
  client: RegistryClient,
  repository: string,
  tag: string,
  digest: string,
): Promise<void> {
  await checkTag(client, repository, tag, digest);
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
        throw new Error(`${repository} lacks ${blob.digest}`);
    }
  }
}

main()
  .catch(error => {
    if (isStopping()) return;
    process.stderr.write(
      `bench failed: ${
        error instanceof Error ? error.stack ?? error.message : String(error)
      }\n`,
    );
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
