/*
 * The Images tab API part of `yarn bench`: the real EntityImagesService over TagIndex and TagIndexStore, built in
 * this process on SQLite in memory, reading a 10,000-tag repository of a CNCF Distribution registry behind the
 * latency proxy. It measures what the tab does when it opens (the environments overview and the first tags page,
 * started together): cold (fresh database and registry client) and warm (index complete), one viewer at a time and
 * 50 at once. The catalog and permission services are in-memory stand-ins; no HTTP server is involved.
 *
 * Run by registry.ts (`yarn bench`, or `yarn bench --only=tab`); prints a table and writes bench-results/tab.json.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus, totalmem } from 'node:os';
import { performance as perfHooks } from 'node:perf_hooks';
import { dirname, join, relative, resolve } from 'node:path';
import type {
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityImagesService,
  RegistryClient,
  RegistryHosts,
  RepositoryClaims,
  TagIndex,
  TagIndexOptions,
  TagIndexStore,
} from '@berth/plugin-images-backend';
import {
  RecordedRequest,
  RegistryProxy,
  pushTestImage,
  pushTestIndex,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import {
  compareTagVersions,
  EntityImagesOverview,
  EnvironmentDefinition,
  TagPage,
} from '@berth/plugin-images-common';
import knexFactory, { Knex } from 'knex';
import { seedTags } from './image';
import {
  MIGRATIONS,
  MB,
  breakdown,
  formatBreakdown,
  formatMs,
  log,
  median,
  onCleanup,
  timed,
} from './lib';

const ROOT = resolve(__dirname, '../..');
const RESULTS_FILE = join(ROOT, 'bench-results', 'tab.json');
const REPOSITORY = 'bench/tags';
const IMAGE = { registry: 'ghcr.io', repository: REPOSITORY };
const ENTITY_REF = 'component:default/bench';
const ENVIRONMENTS: EnvironmentDefinition[] = [
  { name: 'development', tag: 'latest-dev' },
  { name: 'staging', tag: 'staging' },
  { name: 'production', tag: 'latest', protected: true },
];
const ENV_TAGS = new Set(ENVIRONMENTS.map(env => env.tag));
const FIRST_PAGE = { page: 0, pageSize: 20, sort: 'created' as const };
/** TagIndex's defaults, passed explicitly so that the report can say which windows the warm runs had. */
const INDEX_OPTIONS: Required<
  Pick<
    TagIndexOptions,
    'listMaxAgeMs' | 'environmentMaxAgeMs' | 'snapshotMaxAgeMs'
  >
> = {
  listMaxAgeMs: 60_000,
  environmentMaxAgeMs: 30_000,
  snapshotMaxAgeMs: 1000,
};
/** Page size of the emulated ghcr.io listing (the flavour's maxTagPageSize). */
const TAG_PAGE = 1000;
/** Warm page views each after the index's row snapshot expired, as a lone viewer meets them. */
const EXPIRED_VIEWS = 10;
const TARGETS = {
  coldRoundTrips: 5,
  coldOwnMs: 150,
  warmP95Ms: 25,
};
const CREDENTIALS: BackstageCredentials = {
  $$type: '@backstage/BackstageCredentials',
  principal: { type: 'user', userEntityRef: 'user:default/bench' },
};
const ENTITY = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'bench',
    namespace: 'default',
    annotations: { 'berth.dev/images': `ghcr.io/${REPOSITORY}` },
  },
  spec: { type: 'service', owner: 'bench', lifecycle: 'production' },
};

export interface TabOptions {
  rtt: number;
  /** Tags in the repository, the three environment tags included. */
  tags: number;
  coldReps: number;
  warmViews: number;
  clients: number;
  clientViews: number;
  /** How long the background completion of the index may take before the warm runs start anyway. */
  completionTimeoutS: number;
}

export const TAB_DEFAULTS: TabOptions = {
  rtt: 50,
  tags: 10_000,
  coldReps: 5,
  warmViews: 50,
  clients: 50,
  clientViews: 20,
  completionTimeoutS: 300,
};

// ---------------------------------------------------------------------------------------------------------------
// Spans: the bench wraps the store's and the index's methods (instances only; the plugin is not changed) and
// records how long each call took, in which API call (overview or tags) and under which parent span.

interface Span {
  name: string;
  call: string;
  start: number;
  end: number;
  /** Rows, tags or digests returned, when the result is an array or a Map. */
  size?: number;
  children: Span[];
}

class Recorder {
  readonly #context = new AsyncLocalStorage<{ call: string; span?: Span }>();
  spans: Span[] = [];

  reset(): void {
    this.spans = [];
  }

  /** Replaces `names` on `target` (an instance) by timed wrappers. */
  wrap(target: object, prefix: string, names: string[]): void {
    const object = target as Record<string, (...args: unknown[]) => unknown>;
    for (const name of names) {
      const original = object[name];
      if (typeof original !== 'function') {
        log(`(${prefix}.${name} is not a method any more: not timed)`);
        continue;
      }
      object[name] = (...args: unknown[]) =>
        this.span(`${prefix}.${name}`, () =>
          Promise.resolve(original.apply(target, args)),
        );
    }
  }

  /** Runs `fn` with whatever it starts counted as background work, not as part of the calling API call. */
  background(target: object, name: string): void {
    const object = target as Record<string, (...args: unknown[]) => unknown>;
    const original = object[name];
    object[name] = (...args: unknown[]) =>
      this.#context.run({ call: 'background' }, () =>
        original.apply(target, args),
      );
  }

  span<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const context = this.#context.getStore();
    const span: Span = {
      name,
      call: context?.call ?? name,
      start: performance.now(),
      end: NaN,
      children: [],
    };
    context?.span?.children.push(span);
    this.spans.push(span);
    return this.#context
      .run({ call: span.call, span }, fn)
      .then(value => {
        if (Array.isArray(value)) span.size = value.length;
        else if (value instanceof Map) span.size = value.size;
        return value;
      })
      .finally(() => {
        span.end = performance.now();
      });
  }

  /** A top-level API call. */
  call<T>(call: string, fn: () => Promise<T>): Promise<T> {
    return this.#context.run({ call }, () => this.span(call, fn));
  }
}

type Interval = [number, number];

function unionLength(intervals: Interval[]): number {
  const sorted = intervals
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let current: Interval | undefined;
  for (const [a, b] of sorted) {
    if (!current || a > current[1]) {
      if (current) total += current[1] - current[0];
      current = [a, b];
    } else current[1] = Math.max(current[1], b);
  }
  if (current) total += current[1] - current[0];
  return total;
}

/** `intervals` minus `holes`, as disjoint intervals. */
function subtract(intervals: Interval[], holes: Interval[]): Interval[] {
  let result = intervals.map(([a, b]): Interval => [a, b]);
  for (const [ha, hb] of holes) {
    const next: Interval[] = [];
    for (const [a, b] of result) {
      if (hb <= a || ha >= b) next.push([a, b]);
      else {
        if (ha > a) next.push([a, ha]);
        if (hb < b) next.push([hb, b]);
      }
    }
    result = next;
  }
  return result;
}

function overlap(intervals: Interval[], window: Interval): number {
  return intervals.reduce(
    (sum, [a, b]) =>
      sum + Math.max(0, Math.min(b, window[1]) - Math.max(a, window[0])),
    0,
  );
}

/** A span's own time: its interval minus its children's. */
function selfIntervals(span: Span): Interval[] {
  return subtract(
    [[span.start, span.end]],
    span.children.map((c): Interval => [c.start, c.end]),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The service, built as its factory builds it, on stand-ins for the Backstage services it needs.

interface Harness {
  db: Knex;
  index: TagIndex;
  service: EntityImagesService;
  close(): Promise<void>;
}

type ServiceOptions = ConstructorParameters<typeof EntityImagesService>[0];

const warnings: string[] = [];

function benchLogger(): LoggerService {
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

function memoryCache(): CacheService {
  const entries = new Map<string, { value: unknown; expires: number }>();
  const cache: CacheService = {
    async get<T>(key: string) {
      const entry = entries.get(key);
      if (!entry || entry.expires < Date.now()) return undefined;
      return entry.value as T;
    },
    async set(key, value, options) {
      entries.set(key, {
        value,
        expires:
          Date.now() + ((options?.ttl as number | undefined) ?? 3600_000),
      });
    },
    async delete(key) {
      entries.delete(key);
    },
    withOptions: () => cache,
  };
  return cache;
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

/** The proxy, with the latency it currently adds. */
type LatencyProxy = RegistryProxy & { latencyMs: number };

async function buildService(
  proxy: LatencyProxy,
  recorder: Recorder,
): Promise<Harness> {
  // One connection: an in-memory SQLite database exists once per connection.
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
  await db.migrate.latest({ directory: MIGRATIONS });
  const store = new TagIndexStore(db);
  const logger = benchLogger();
  const index = new TagIndex({
    store,
    registries: new RegistryHosts([{ host: 'ghcr.io', baseUrl: proxy.url }]),
    logger,
    options: INDEX_OPTIONS,
  });
  recorder.wrap(store, 'store', STORE_METHODS);
  recorder.wrap(index, 'index', INDEX_METHODS);
  recorder.background(index, 'startCompletion');
  const catalog = {
    getEntityByRef: async (ref: string) =>
      ref === ENTITY_REF ? structuredClone(ENTITY) : undefined,
  };
  const permissions = {
    authorize: async (requests: unknown[]) =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  };
  recorder.wrap(catalog, 'catalog(stand-in)', ['getEntityByRef']);
  recorder.wrap(permissions, 'permissions(stand-in)', ['authorize']);
  const service = new EntityImagesService({
    catalog: catalog as unknown as ServiceOptions['catalog'],
    permissions: permissions as unknown as ServiceOptions['permissions'],
    index,
    environments: () => ENVIRONMENTS,
    cache: memoryCache(),
    logger,
    claims: new RepositoryClaims(db),
  });
  let closed = false;
  return {
    db,
    index,
    service,
    async close() {
      if (closed) return;
      closed = true;
      // Stop the background completion at its next batch and wait for it (complete() joins the running one).
      index.stop();
      const latency = proxy.latencyMs;
      proxy.setLatency(0);
      await index.complete(IMAGE).catch(() => {});
      proxy.setLatency(latency);
      await db.destroy();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Requests, waves and Berth's own time.

/** Background completion: HEADs of tags other than the environments' (the page views resolve only those). */
function isBackground(request: RecordedRequest): boolean {
  if (request.method !== 'HEAD') return false;
  const tag = decodeURIComponent(request.path.split('/manifests/')[1] ?? '');
  return !ENV_TAGS.has(tag);
}

/** Requests in start order, grouped in waves: a request that starts after every earlier one finished opens a wave. */
function waves(requests: RecordedRequest[]): RecordedRequest[][] {
  const sorted = [...requests].sort((a, b) => a.startedAt - b.startedAt);
  const result: RecordedRequest[][] = [];
  let lastEnd = -Infinity;
  for (const request of sorted) {
    if (result.length === 0 || request.startedAt >= lastEnd)
      result.push([request]);
    else result[result.length - 1].push(request);
    lastEnd = Math.max(lastEnd, request.finishedAt ?? Infinity);
  }
  return result;
}

/**
 * Makes the proxy answer the next listing of the repository in pages of `pageSize` with `Link` headers, as ghcr.io
 * does and as Berth's ghcr.io flavour expects (it asks for n=1000): Distribution 2.8 ignores `n` and returns every
 * tag at once. Each page request still goes to the registry (which lists the whole repository for it, as before);
 * only the body is cut to the page.
 */
function emulatePaging(
  proxy: RegistryProxy,
  tags: string[],
  pageSize: number,
): void {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const path = `/v2/${REPOSITORY}/tags/list?n=${pageSize}`;
  for (let i = 0; i < tags.length; i += pageSize) {
    const page = tags.slice(i, i + pageSize);
    const last = i + pageSize < tags.length ? page[page.length - 1] : undefined;
    const match =
      i === 0
        ? new RegExp(`${escape(path)}$`)
        : new RegExp(`${escape(path)}&last=${escape(tags[i - 1])}$`);
    proxy.rewriteResponse({ method: 'GET', path: match }, () => ({
      body: JSON.stringify({ name: REPOSITORY, tags: page }),
      headers: last
        ? { link: `<${path}&last=${last}>; rel="next"` }
        : undefined,
    }));
  }
}

function snapshot(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.map(r => ({ ...r }));
}

// ---------------------------------------------------------------------------------------------------------------

interface ColdRun {
  wallMs: number;
  overviewMs: number;
  tagsMs: number;
  /** Requests that started before both answers. */
  requests: number;
  breakdown: Record<string, number>;
  /** Of those, HEADs of the background completion that the tags call started. */
  backgroundRequests: number;
  /** Waves of the requests the answers needed (background completion left out). */
  roundTrips: number;
  /** Waves of every request that started before the answers. */
  roundTripsAll: number;
  /** Wall time minus the time during which at least one registry request was in flight. */
  ownMs: number;
  /** Event-loop busy time in the window (includes the in-process proxy's work). */
  eventLoopBusyMs: number;
  /** Time in the window when only background completion requests were in flight (none the answers needed). */
  behindBackgroundMs: number;
  waves: Array<{ startMs: number; endMs: number; requests: string }>;
  /** Berth-only gaps (no request in flight) of 3 ms or more, and which spans' own time fell in them. */
  gaps: Array<{
    startMs: number;
    endMs: number;
    spans: Record<string, number>;
  }>;
  smallGapsMs: number;
  smallGaps: number;
  spans: Record<string, { ms: number; count: number; size?: number }>;
  pageRows: number;
  pageTotalRows: number;
}

interface LatencySummary {
  views: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

function summarize(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    views: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((s, v) => s + v, 0) / sorted.length,
  };
}

/**
 * How long sorting the tag names of one digest takes, as displayOrder sorts them (compareTagVersions), against the
 * same fallback comparison with one shared collator: for the report, to show where the comparator's time goes.
 */
function compareSorts(names: string[]) {
  const time = (compare: (a: string, b: string) => number) => {
    const copy = [...names];
    const t = performance.now();
    copy.sort(compare);
    return { ms: performance.now() - t, order: copy };
  };
  const reference = time(compareTagVersions);
  const locale = time((a, b) =>
    b.localeCompare(a, undefined, { numeric: true }),
  );
  const collator = new Intl.Collator(undefined, { numeric: true });
  const shared = time((a, b) => collator.compare(b, a));
  return {
    names: names.length,
    compareTagVersionsMs: reference.ms,
    localeCompareMs: locale.ms,
    collatorMs: shared.ms,
    sameOrder: shared.order.every((name, i) => name === reference.order[i]),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolvePromise => setTimeout(resolvePromise, ms));
}

function expect(condition: unknown, what: string): void {
  if (!condition) throw new Error(`tab bench: ${what}`);
}

interface Seeded {
  build: string;
  dev: string;
  staging: string;
  production: string;
}

function checkOverview(overview: EntityImagesOverview, seeded: Seeded): void {
  const lanes = overview.images[0]?.environments ?? [];
  const got = lanes.map(l => `${l.name}=${l.status}:${l.digest}`).join(', ');
  expect(
    lanes.length === 3 &&
      lanes[0].digest === seeded.dev &&
      lanes[1].digest === seeded.staging &&
      lanes[2].digest === seeded.production &&
      lanes.every(l => l.status === 'GREEN'),
    `unexpected environments: ${got}`,
  );
  expect(
    lanes[2].image?.platforms.length === 2,
    `production should be a 2-platform index: ${JSON.stringify(
      lanes[2].image?.platforms,
    )}`,
  );
}

/** Whole-process CPU profile of `fn` (V8 sampling profiler, 100 µs), summarised by function. */
async function cpuProfile<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; profile: ProfileSummary }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    let value: T;
    try {
      value = await fn();
    } catch (error) {
      await session.post('Profiler.stop');
      throw error;
    }
    const { profile } = await session.post('Profiler.stop');
    return { value, profile: summarizeProfile(profile) };
  } finally {
    session.disconnect();
  }
}

interface ProfileEntry {
  function: string;
  where: string;
  selfMs: number;
  totalMs: number;
}

interface ProfileSummary {
  sampledMs: number;
  idleMs: number;
  bySelf: ProfileEntry[];
  byTotal: ProfileEntry[];
  byArea: Record<string, number>;
}

interface ProfileNode {
  id: number;
  callFrame: {
    functionName: string;
    url: string;
    lineNumber: number;
  };
  children?: number[];
}

function areaOf(url: string, name: string): string {
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'garbage collector';
  if (name === '(program)') return 'V8/native (program)';
  if (url.includes('/plugins/images-backend/src/testUtils/'))
    return 'bench: registry proxy';
  if (url.includes('/plugins/images-backend/')) return 'Berth: images-backend';
  if (url.includes('/plugins/images-common/')) return 'Berth: images-common';
  if (url.includes('/scripts/bench/')) return 'bench harness';
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (module) return module;
  if (url.startsWith('node:') || url === '')
    return 'Node.js internals/builtins';
  return 'other';
}

function summarizeProfile(profile: {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}): ProfileSummary {
  const byId = new Map(profile.nodes.map(node => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // The delta before sample i+1 is the time sample i stood for.
    const us = deltas[i + 1] ?? 0;
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + us);
  }
  const key = (node: ProfileNode) => {
    const url = node.callFrame.url.replace(/^file:\/\//, '');
    // Line numbers of TypeScript files are those of tsx's output, not of the source: left out.
    const where = url
      ? `${relative(ROOT, url)}${
          /\.[cm]?js$/.test(url) ? `:${node.callFrame.lineNumber + 1}` : ''
        }`
      : '(native)';
    return {
      id: `${node.callFrame.functionName || '(anonymous)'} ${where}`,
      name: node.callFrame.functionName || '(anonymous)',
      where,
      url,
    };
  };
  const self = new Map<string, ProfileEntry>();
  const total = new Map<string, ProfileEntry>();
  const byArea: Record<string, number> = {};
  let sampledUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const k = key(node);
    sampledUs += us;
    if (k.name === '(idle)') idleUs += us;
    const area = areaOf(k.url, k.name);
    byArea[area] = (byArea[area] ?? 0) + us / 1000;
    const entry = self.get(k.id) ?? {
      function: k.name,
      where: k.where,
      selfMs: 0,
      totalMs: 0,
    };
    entry.selfMs += us / 1000;
    self.set(k.id, entry);
    // Inclusive time: each distinct function on the stack once.
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const kk = key(byId.get(n)!);
      if (seen.has(kk.id)) continue;
      seen.add(kk.id);
      const t = total.get(kk.id) ?? {
        function: kk.name,
        where: kk.where,
        selfMs: 0,
        totalMs: 0,
      };
      t.totalMs += us / 1000;
      total.set(kk.id, t);
    }
  }
  for (const [id, entry] of self) {
    const t = total.get(id);
    if (t) t.selfMs = entry.selfMs;
  }
  const round = (entry: ProfileEntry) => ({
    ...entry,
    selfMs: Math.round(entry.selfMs * 10) / 10,
    totalMs: Math.round(entry.totalMs * 10) / 10,
  });
  const busy = (e: ProfileEntry) =>
    !['(idle)', '(root)', '(program)'].includes(e.function);
  return {
    sampledMs: Math.round(sampledUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    bySelf: [...self.values()]
      .filter(busy)
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, 15)
      .map(round),
    byTotal: [...total.values()]
      .filter(
        e =>
          busy(e) &&
          (e.where.startsWith('plugins/') ||
            e.where.includes('node_modules/knex') ||
            e.where.includes('node_modules/better-sqlite3')),
      )
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, 20)
      .map(round),
    byArea: Object.fromEntries(
      Object.entries(byArea)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, Math.round(v)]),
    ),
  };
}

interface CallPart {
  /** Mean own time per call (the span minus its children). */
  ownMs: number;
  /** Mean wall time per call (children included; concurrent siblings may overlap). */
  totalMs: number;
  /** Spans per call. */
  count: number;
  /** Rows, tags or digests returned (the largest). */
  size?: number;
}

/** Per API call kind: mean wall time, and per span (nested as called) its own and total time per call. */
function callBreakdown(
  spans: Span[],
  call: string,
): { calls: number; meanMs: number; parts: Record<string, CallPart> } {
  const tops = spans.filter(s => s.name === call && s.call === call);
  const parts = new Map<string, CallPart>();
  const walk = (span: Span, depth: number) => {
    const label = `${'  '.repeat(depth)}${
      depth === 0 ? `${call}: service code` : span.name
    }`;
    const part = parts.get(label) ?? { ownMs: 0, totalMs: 0, count: 0 };
    part.ownMs += unionLength(selfIntervals(span));
    part.totalMs += span.end - span.start;
    part.count++;
    if (span.size !== undefined)
      part.size = Math.max(part.size ?? 0, span.size);
    parts.set(label, part);
    for (const child of span.children) walk(child, depth + 1);
  };
  for (const top of tops) walk(top, 0);
  const n = tops.length || 1;
  const r = (ms: number) => Math.round((ms / n) * 1000) / 1000;
  return {
    calls: tops.length,
    meanMs: tops.reduce((s, t) => s + (t.end - t.start), 0) / n,
    parts: Object.fromEntries(
      [...parts].map(([k, v]) => [
        k,
        {
          ownMs: r(v.ownMs),
          totalMs: r(v.totalMs),
          count: Math.round((v.count / n) * 100) / 100,
          size: v.size,
        },
      ]),
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------------

export interface TabResult {
  table: string;
  details: string;
  json: Record<string, unknown>;
}

export async function runTab(
  options: TabOptions,
  context: { distribution: string },
): Promise<TabResult> {
  const started = performance.now();
  const recorder = new Recorder();
  log('Images tab API: starting a registry and a latency proxy');
  const registry = await startRegistry();
  onCleanup(() => registry.stop());
  const proxy: LatencyProxy = Object.assign(
    await startRegistryProxy({
      target: registry.url,
      latencyMs: options.rtt,
    }),
    { latencyMs: options.rtt },
  );
  const setLatency = proxy.setLatency.bind(proxy);
  proxy.setLatency = (ms: number) => {
    proxy.latencyMs = ms;
    setLatency(ms);
  };
  onCleanup(() => proxy.stop());
  const direct = RegistryClient.forEndpoint({
    host: registry.host,
    baseUrl: registry.url,
    concurrency: 16,
  });

  // ---- seed: 10,000 tags, three of them the environments' on three small images (one a 2-platform index) ----
  const buildTags = options.tags - ENVIRONMENTS.length;
  log(
    `Images tab API: seeding ${REPOSITORY}: ${buildTags.toLocaleString(
      'en-US',
    )} build tags on one image, and latest-dev, staging, latest (a 2-platform index)`,
  );
  const seeding = await timed(async (): Promise<Seeded> => {
    const build = await seedTags(
      direct,
      registry.storageDir,
      REPOSITORY,
      buildTags,
    );
    const dev = await pushTestImage(direct, REPOSITORY, ['latest-dev'], {
      layer: 'bench latest-dev',
      created: '2026-11-21T09:00:00Z',
      runConfig: {
        Labels: {
          'org.opencontainers.image.source': 'https://github.com/bench/tags',
          'org.opencontainers.image.revision': 'abc1234def5678',
        },
      },
    });
    const staging = await pushTestImage(direct, REPOSITORY, ['staging'], {
      layer: 'bench staging',
      created: '2026-11-20T09:00:00Z',
    });
    const production = await pushTestIndex(direct, REPOSITORY, ['latest'], {
      layerPrefix: 'bench production',
    });
    return { build: build.digest, dev, staging, production };
  });
  const seeded = seeding.value;
  const listed = await direct.listTags(REPOSITORY);
  expect(
    listed.tags.length === options.tags,
    `the registry lists ${listed.tags.length} tags, expected ${options.tags}`,
  );
  log(`  ${formatMs(seeding.ms)}`);
  const sortCheck = compareSorts(listed.tags.filter(tag => !ENV_TAGS.has(tag)));

  const harnesses: Harness[] = [];
  onCleanup(async () => {
    for (const h of harnesses) await h.close().catch(() => {});
  });
  const newHarness = async () => {
    const h = await buildService(proxy, recorder);
    harnesses.push(h);
    return h;
  };
  const pageView = (service: EntityImagesService) =>
    Promise.all([
      recorder.call('overview', () =>
        service.overview(ENTITY_REF, CREDENTIALS),
      ),
      recorder.call('tags', () =>
        service.tags(ENTITY_REF, CREDENTIALS, FIRST_PAGE),
      ),
    ]);

  // ---- cold ----
  const coldRun = async (h: Harness, paged = false): Promise<ColdRun> => {
    recorder.reset();
    if (paged) emulatePaging(proxy, listed.tags, TAG_PAGE);
    const before = proxy.requests.length;
    const elu = perfHooks.eventLoopUtilization();
    const d0 = Date.now();
    const p0 = performance.now();
    let overviewMs = 0;
    let tagsMs = 0;
    const [overview, page] = await Promise.all([
      recorder
        .call('overview', () => h.service.overview(ENTITY_REF, CREDENTIALS))
        .then(v => {
          overviewMs = performance.now() - p0;
          return v;
        }),
      recorder
        .call('tags', () => h.service.tags(ENTITY_REF, CREDENTIALS, FIRST_PAGE))
        .then(v => {
          tagsMs = performance.now() - p0;
          return v;
        }),
    ]);
    const wallMs = performance.now() - p0;
    const busy = perfHooks.eventLoopUtilization(elu);
    const d1 = d0 + wallMs;
    const spans = recorder.spans.slice();
    checkOverview(overview, seeded);
    // A paged first listing answers after its first page (index.listing): fewer tags, more to come.
    expect(
      (page.index.totalTags === options.tags ||
        (page.index.listing === true && page.index.totalTags > 0)) &&
        page.rows.length === 20,
      `cold page: ${page.index.totalTags} tags, ${page.rows.length} rows`,
    );
    const requests = snapshot(
      proxy.requests.slice(before).filter(r => r.startedAt <= d1),
    );
    const foreground = requests.filter(r => !isBackground(r));
    const inFlight = requests.map(
      (r): Interval => [
        Math.max(r.startedAt, d0),
        Math.min(r.finishedAt ?? d1, d1),
      ],
    );
    const registryMs = unionLength(inFlight);
    const foregroundMs = unionLength(
      requests
        .filter(r => !isBackground(r))
        .map(
          (r): Interval => [
            Math.max(r.startedAt, d0),
            Math.min(r.finishedAt ?? d1, d1),
          ],
        ),
    );
    // Berth-only gaps, on the performance clock (spans use it): the window minus the in-flight intervals.
    const toPerf = (t: number) => p0 + (t - d0);
    const gaps = subtract(
      [[p0, p0 + wallMs]],
      inFlight.map(([a, b]): Interval => [toPerf(a), toPerf(b)]),
    );
    const spanSelf = spans
      .filter(s => s.call !== 'background')
      .map(s => ({
        label:
          s.name === s.call
            ? `${s.call}: service code`
            : `${s.call} > ${s.name}${
                s.size !== undefined ? ` [${s.size}]` : ''
              }`,
        self: selfIntervals(s),
      }));
    const bigGaps = gaps.filter(([a, b]) => b - a >= 3);
    const small = gaps.filter(([a, b]) => b - a < 3);
    const spansByName: ColdRun['spans'] = {};
    for (const s of spans) {
      const name = `${s.call === 'background' ? 'background > ' : ''}${s.name}`;
      const entry = (spansByName[name] ??= { ms: 0, count: 0 });
      entry.ms += s.end - s.start;
      entry.count++;
      if (s.size !== undefined) entry.size = Math.max(entry.size ?? 0, s.size);
    }
    return {
      wallMs,
      overviewMs,
      tagsMs,
      requests: requests.length,
      breakdown: breakdown(requests),
      backgroundRequests: requests.length - foreground.length,
      roundTrips: waves(foreground).length,
      roundTripsAll: waves(requests).length,
      ownMs: wallMs - registryMs,
      behindBackgroundMs: registryMs - foregroundMs,
      eventLoopBusyMs: busy.active,
      waves: waves(requests).map(wave => ({
        startMs: Math.min(...wave.map(r => r.startedAt)) - d0,
        endMs: Math.max(...wave.map(r => r.finishedAt ?? d1)) - d0,
        requests: formatBreakdown(breakdown(wave)),
      })),
      gaps: bigGaps.map(([a, b]) => ({
        startMs: a - p0,
        endMs: b - p0,
        spans: Object.fromEntries(
          spanSelf
            .map(s => [s.label, overlap(s.self, [a, b])] as const)
            .filter(([, ms]) => ms >= 0.5)
            .sort((x, y) => y[1] - x[1])
            .map(([label, ms]) => [label, Math.round(ms * 10) / 10]),
        ),
      })),
      smallGapsMs: small.reduce((s, [a, b]) => s + b - a, 0),
      smallGaps: small.length,
      spans: spansByName,
      pageRows: page.rows.length,
      pageTotalRows: page.totalRows,
    };
  };

  const coldSeries = async (paged: boolean, keepLast: boolean) => {
    const runs: ColdRun[] = [];
    let kept: Harness | undefined;
    for (let rep = 1; rep <= options.coldReps; rep++) {
      log(
        `Images tab API: cold run ${rep}/${options.coldReps}${
          paged ? `, listing in pages of ${TAG_PAGE}` : ''
        } (fresh database, index and registry client)`,
      );
      const harness = await newHarness();
      const run = await coldRun(harness, paged);
      runs.push(run);
      log(
        `  ${formatMs(run.wallMs)} (overview ${formatMs(
          run.overviewMs,
        )}, tags ${formatMs(run.tagsMs)}), ${run.requests} requests, ${
          run.roundTrips
        } round trips, Berth's own time ${formatMs(run.ownMs)}`,
      );
      if (keepLast && rep === options.coldReps) kept = harness;
      else await harness.close();
    }
    const pick = (f: (run: ColdRun) => number) => median(runs.map(f));
    // The run whose wall time is the median (the lower one for an even count) shows where the time goes.
    const byWall = [...runs].sort((a, b) => a.wallMs - b.wallMs);
    return {
      runs,
      kept,
      medianRun: byWall[Math.floor((byWall.length - 1) / 2)],
      wallMs: pick(r => r.wallMs),
      overviewMs: pick(r => r.overviewMs),
      tagsMs: pick(r => r.tagsMs),
      requests: pick(r => r.requests),
      backgroundRequests: pick(r => r.backgroundRequests),
      roundTrips: pick(r => r.roundTrips),
      ownMs: pick(r => r.ownMs),
      eventLoopBusyMs: pick(r => r.eventLoopBusyMs),
    };
  };
  const cold = await coldSeries(false, true);

  // ---- background completion, at RTT 0 so that 10,000 HEADs through 4 connections do not take minutes ----
  const h = cold.kept!;
  log(
    'Images tab API: letting the background completion of the index finish, with the proxy at RTT 0',
  );
  proxy.setLatency(0);
  const completionStarted = performance.now();
  const completionBefore = proxy.requests.length;
  let complete = false;
  let lastPage: TagPage | undefined;
  while (
    performance.now() - completionStarted <
    options.completionTimeoutS * 1000
  ) {
    lastPage = await h.service.tags(ENTITY_REF, CREDENTIALS, FIRST_PAGE);
    if (lastPage.index.complete) {
      complete = true;
      break;
    }
    await sleep(1000);
  }
  const completionMs = performance.now() - completionStarted;
  const completionRequests = proxy.requests.slice(completionBefore);
  proxy.setLatency(options.rtt);
  log(
    `  ${complete ? 'complete' : 'NOT complete'} after ${formatMs(
      completionMs,
    )}: ${formatBreakdown(breakdown(completionRequests))} (${
      lastPage?.index.resolvedTags
    }/${lastPage?.index.totalTags} tags resolved)`,
  );

  // ---- warm ----
  const windowState = async () => {
    const store = h.index.store;
    const repository = await store.getRepository(IMAGE);
    const envTags = await store.getTagsByName(IMAGE, [...ENV_TAGS]);
    const resolvedAt = [...envTags.values()]
      .map(t => t.resolvedAt?.getTime() ?? 0)
      .reduce((a, b) => Math.min(a, b), Infinity);
    return {
      listedAt: repository?.listedAt?.getTime() ?? 0,
      envResolvedAt: resolvedAt,
    };
  };
  /**
   * Before a warm phase, what the scheduled refresh does (a fresh listing, the environment tags HEADed again), then an
   * untimed page view: the phase starts with both windows full.
   */
  const prime = async () => {
    const before = proxy.requests.length;
    await h.index.ensureListed(IMAGE, 0);
    await h.index.resolveTags(IMAGE, [...ENV_TAGS], 0);
    const [overview, page] = await pageView(h.service);
    checkOverview(overview, seeded);
    return {
      requests: proxy.requests.length - before,
      breakdown: breakdown(proxy.requests.slice(before)),
      page,
    };
  };

  interface WarmPhase {
    latency: LatencySummary;
    requests: number;
    breakdown: Record<string, number>;
    durationMs: number;
    viewsPerSecond: number;
    primingRequests: number;
    /** Reads of every tag row for the tags call's snapshot during the phase (each followed by a rows rebuild). */
    snapshotReads: number;
    /** Reads of every tag row by background completions (startCompletion) during the phase. */
    backgroundTagReads: number;
    /** Age of the environment tags' resolution and of the listing when the phase ended. */
    envAgeAtEndMs: number;
    listAgeAtEndMs: number;
    insideWindows: boolean;
  }
  /** `clients` viewers, each doing `views` page views one after another, `pauseMs` apart. */
  const warmPhase = async (
    clients: number,
    views: number,
    pauseMs = 0,
  ): Promise<WarmPhase> => {
    const primed = await prime();
    expect(
      primed.page.index.complete || !complete,
      'the index should be complete for the warm runs',
    );
    const before = proxy.requests.length;
    const latencies: number[] = [];
    const phaseStart = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let i = 0; i < views; i++) {
          if (pauseMs > 0) await sleep(pauseMs);
          const t = performance.now();
          const [overview] = await pageView(h.service);
          latencies.push(performance.now() - t);
          if (i === 0) checkOverview(overview, seeded);
        }
      }),
    );
    const durationMs =
      performance.now() - phaseStart - (clients === 1 ? views * pauseMs : 0);
    const reads = (call: (c: string) => boolean) =>
      recorder.spans.filter(
        x =>
          x.name === 'store.getTags' && x.start >= phaseStart && call(x.call),
      ).length;
    const requests = proxy.requests.slice(before);
    const state = await windowState();
    const now = Date.now();
    const envAge = now - state.envResolvedAt;
    const listAge = now - state.listedAt;
    return {
      latency: summarize(latencies),
      requests: requests.length,
      breakdown: breakdown(requests),
      durationMs,
      viewsPerSecond: latencies.length / (durationMs / 1000),
      primingRequests: primed.requests,
      snapshotReads: reads(c => c !== 'background'),
      backgroundTagReads: reads(c => c === 'background'),
      envAgeAtEndMs: envAge,
      listAgeAtEndMs: listAge,
      insideWindows:
        envAge <= INDEX_OPTIONS.environmentMaxAgeMs &&
        listAge <= INDEX_OPTIONS.listMaxAgeMs,
    };
  };

  log(
    `Images tab API: warm, one viewer: ${options.warmViews} page views (overview + first tags page) one after another`,
  );
  recorder.reset();
  const sequential = await warmPhase(1, options.warmViews);
  log(
    `  p50 ${sequential.latency.p50.toFixed(
      1,
    )} ms, p95 ${sequential.latency.p95.toFixed(1)} ms, ${
      sequential.requests
    } registry requests`,
  );
  const expiredPauseMs = INDEX_OPTIONS.snapshotMaxAgeMs + 100;
  log(
    `Images tab API: warm, one viewer: ${EXPIRED_VIEWS} page views ${expiredPauseMs} ms apart (the row snapshot expired each time)`,
  );
  recorder.reset();
  const expired = await warmPhase(1, EXPIRED_VIEWS, expiredPauseMs);
  log(
    `  p50 ${expired.latency.p50.toFixed(
      1,
    )} ms, p95 ${expired.latency.p95.toFixed(1)} ms, ${
      expired.requests
    } registry requests`,
  );
  log(
    `Images tab API: warm, ${options.clients} concurrent viewers × ${options.clientViews} page views`,
  );
  recorder.reset();
  const concurrent = await warmPhase(options.clients, options.clientViews);
  recorder.reset();
  log(
    `  p50 ${formatMs(concurrent.latency.p50)}, p95 ${formatMs(
      concurrent.latency.p95,
    )}, p99 ${formatMs(
      concurrent.latency.p99,
    )}; ${concurrent.viewsPerSecond.toFixed(1)} views/s; ${
      concurrent.requests
    } registry requests`,
  );

  // ---- where the warm time goes: each call alone, with spans and a CPU profile ----
  const PROFILE_VIEWS = 20;
  const EXPIRED_PROFILE_VIEWS = 5;
  log(
    `Images tab API: profiling warm calls one at a time: ${PROFILE_VIEWS} overview, ${PROFILE_VIEWS} tags (snapshot fresh), ${EXPIRED_PROFILE_VIEWS} tags (snapshot expired)`,
  );
  await prime();
  const profiled = async (
    call: 'overview' | 'tags',
    views: number,
    pauseMs: number,
  ) => {
    recorder.reset();
    const { profile } = await cpuProfile(async () => {
      for (let i = 0; i < views; i++) {
        if (pauseMs > 0) await sleep(pauseMs);
        await recorder.call<unknown>(call, () =>
          call === 'overview'
            ? h.service.overview(ENTITY_REF, CREDENTIALS)
            : h.service.tags(ENTITY_REF, CREDENTIALS, FIRST_PAGE),
        );
      }
    });
    // Work the calls started in the background (startCompletion), on the same event loop, per API call.
    const background: Record<string, { ms: number; count: number }> = {};
    for (const span of recorder.spans.filter(
      x => x.call === 'background' && Number.isFinite(x.end),
    )) {
      const entry = (background[span.name] ??= { ms: 0, count: 0 });
      entry.ms += (span.end - span.start) / views;
      entry.count += 1 / views;
    }
    return {
      breakdown: callBreakdown(recorder.spans.slice(), call),
      background,
      profile,
    };
  };
  // 100 ms apart, so that the background completion each overview starts has finished before the next one.
  const warmOverview = await profiled('overview', PROFILE_VIEWS, 100);
  await h.service.tags(ENTITY_REF, CREDENTIALS, FIRST_PAGE); // a fresh snapshot for the next 20
  const warmTags = await profiled('tags', PROFILE_VIEWS, 0);
  const warmTagsExpired = await profiled(
    'tags',
    EXPIRED_PROFILE_VIEWS,
    expiredPauseMs,
  );
  const warmPage = await h.service.tags(ENTITY_REF, CREDENTIALS, FIRST_PAGE);
  const pageJsonBytes = Buffer.byteLength(JSON.stringify(warmPage));

  await h.close();

  // ---- cold again, with the listing paged as ghcr.io pages it ----
  const paged = await coldSeries(true, false);

  // ---- where the cold time goes: one more cold run (not counted), under the CPU profiler ----
  log('Images tab API: profiling one more cold run (not counted)');
  const profiledCold = await newHarness();
  const coldProfile = await cpuProfile(() => coldRun(profiledCold));
  await profiledCold.close();

  // ---- report ----
  const coldPasses = (series: typeof cold) =>
    series.roundTrips <= TARGETS.coldRoundTrips &&
    series.ownMs <= TARGETS.coldOwnMs;
  const coldPass = coldPasses(cold);
  const pagedPass = coldPasses(paged);
  const zeroRequests = (phase: WarmPhase) => phase.requests === 0;
  const sequentialPass =
    sequential.latency.p95 <= TARGETS.warmP95Ms && zeroRequests(sequential);
  const concurrentPass =
    concurrent.latency.p95 <= TARGETS.warmP95Ms && zeroRequests(concurrent);
  const expiredPass =
    expired.latency.p95 <= TARGETS.warmP95Ms && zeroRequests(expired);
  const ms1 = (ms: number) => (ms < 10 ? `${ms.toFixed(1)} ms` : formatMs(ms));
  const verdict = (pass: boolean, why: string[]) =>
    pass ? 'PASS' : `MISS (${why.join('; ')})`;
  const rows = [
    ...[
      {
        series: cold,
        pass: coldPass,
        measure: `cold: environments + first tags page (median of ${options.coldReps})`,
      },
      {
        series: paged,
        pass: pagedPass,
        measure: `cold, listing paged by ${TAG_PAGE} as on ghcr.io (median of ${options.coldReps})`,
      },
    ].map(({ series, pass, measure }) => ({
      measure,
      time: `${formatMs(series.wallMs)} (overview ${formatMs(
        series.overviewMs,
      )}, tags ${formatMs(series.tagsMs)})`,
      requests: `${series.requests} (${series.backgroundRequests} background)`,
      roundTrips: String(series.roundTrips),
      own: formatMs(series.ownMs),
      target: `≤ ${TARGETS.coldRoundTrips} RT + ≤ ${TARGETS.coldOwnMs} ms own`,
      result: verdict(pass, [
        ...(series.roundTrips > TARGETS.coldRoundTrips
          ? [`${series.roundTrips} RT`]
          : []),
        ...(series.ownMs > TARGETS.coldOwnMs
          ? [`${formatMs(series.ownMs)} own`]
          : []),
      ]),
    })),
    {
      measure: `warm: one viewer, ${options.warmViews} page views in a row`,
      time: `p50 ${ms1(sequential.latency.p50)}, p95 ${ms1(
        sequential.latency.p95,
      )}`,
      requests: String(sequential.requests),
      roundTrips: '',
      own: '',
      target: `p95 ≤ ${TARGETS.warmP95Ms} ms, 0 requests`,
      result: verdict(sequentialPass, [
        ...(sequential.latency.p95 > TARGETS.warmP95Ms
          ? [`p95 ${ms1(sequential.latency.p95)}`]
          : []),
        ...(sequential.requests > 0 ? [`${sequential.requests} requests`] : []),
      ]),
    },
    {
      measure: `warm: one viewer, ${EXPIRED_VIEWS} views ${expiredPauseMs} ms apart (row snapshot expired)`,
      time: `p50 ${ms1(expired.latency.p50)}, p95 ${ms1(expired.latency.p95)}`,
      requests: String(expired.requests),
      roundTrips: '',
      own: '',
      target: `p95 ≤ ${TARGETS.warmP95Ms} ms, 0 requests`,
      result: verdict(expiredPass, [
        ...(expired.latency.p95 > TARGETS.warmP95Ms
          ? [`p95 ${ms1(expired.latency.p95)}`]
          : []),
        ...(expired.requests > 0 ? [`${expired.requests} requests`] : []),
      ]),
    },
    {
      measure: `warm: ${options.clients} concurrent viewers × ${options.clientViews}`,
      time: `p50 ${ms1(concurrent.latency.p50)}, p95 ${ms1(
        concurrent.latency.p95,
      )}, p99 ${ms1(
        concurrent.latency.p99,
      )}; ${concurrent.viewsPerSecond.toFixed(1)} views/s`,
      requests: String(concurrent.requests),
      roundTrips: '',
      own: '',
      target: `p95 ≤ ${TARGETS.warmP95Ms} ms, 0 requests`,
      result: verdict(concurrentPass, [
        ...(concurrent.latency.p95 > TARGETS.warmP95Ms
          ? [`p95 ${ms1(concurrent.latency.p95)}`]
          : []),
        ...(concurrent.requests > 0 ? [`${concurrent.requests} requests`] : []),
      ]),
    },
  ];
  const header = [
    'measure',
    'time',
    'registry requests',
    'round trips',
    "Berth's own time",
    'target',
    'result',
  ];
  const cells = rows.map(r => [
    r.measure,
    r.time,
    r.requests,
    r.roundTrips,
    r.own,
    r.target,
    r.result,
  ]);
  const widths = header.map((h_, i) =>
    Math.max(h_.length, ...cells.map(c => c[i].length)),
  );
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i])))
      .join(' | ')
      .trimEnd();
  const title = `Images tab API (${options.tags.toLocaleString(
    'en-US',
  )} tags, RTT ${
    options.rtt
  } ms via loopback proxy; in-process EntityImagesService, SQLite in memory; CNCF Distribution ${
    context.distribution
  }; Node ${process.versions.node}; ${cpus().length} CPUs)`;
  const table = [
    title,
    line(header),
    widths.map(w => '-'.repeat(w)).join('-|-'),
    ...cells.map(line),
  ].join('\n');

  const fmtParts = (parts: Record<string, CallPart>) => [
    '         own ms   total ms  span (×calls per API call) [rows returned]',
    ...Object.entries(parts).map(
      ([name, p]) =>
        `      ${p.ownMs.toFixed(2).padStart(8)}  ${p.totalMs
          .toFixed(2)
          .padStart(9)}  ${name}${p.count !== 1 ? ` ×${p.count}` : ''}${
          p.size !== undefined ? ` [${p.size}]` : ''
        }`,
    ),
  ];
  const fmtBackground = (
    background: Record<string, { ms: number; count: number }>,
  ) => {
    const entries = Object.entries(background).sort(
      (a, b) => b[1].ms - a[1].ms,
    );
    if (entries.length === 0) return ['      (no background work started)'];
    return [
      '      background work the calls started (startCompletion), same event loop, per API call:',
      ...entries.map(
        ([name, b]) =>
          `      ${b.ms.toFixed(2).padStart(8)}  ${''.padStart(
            9,
          )}  ${name} ×${b.count.toFixed(2)}`,
      ),
    ];
  };
  const fmtProfile = (p: ProfileSummary) => [
    `    sampled ${p.sampledMs} ms, idle ${
      p.idleMs
    } ms; busy by area: ${Object.entries(p.byArea)
      .filter(([area]) => area !== 'idle')
      .map(([area, ms]) => `${area} ${ms} ms`)
      .join(', ')}`,
    '    top functions by own (self) time:',
    ...p.bySelf.map(
      e =>
        `      ${e.selfMs.toFixed(1).padStart(7)} ms  ${e.function}  ${
          e.where
        }`,
    ),
    '    Berth, knex and better-sqlite3 functions by inclusive time:',
    ...p.byTotal.map(
      e =>
        `      ${e.totalMs.toFixed(1).padStart(7)} ms (self ${e.selfMs.toFixed(
          1,
        )})  ${e.function}  ${e.where}`,
    ),
  ];
  const coldDetails = (
    series: typeof cold,
    title: string,
    full: boolean,
  ): string[] => [
    `${title}: runs ${series.runs
      .map(
        r =>
          `${formatMs(r.wallMs)} / ${r.requests} req / ${
            r.roundTrips
          } RT / own ${formatMs(r.ownMs)}`,
      )
      .join('; ')}.`,
    `  Requests before both answers (median run): ${formatBreakdown(
      series.medianRun.breakdown,
    )}; ${
      series.medianRun.backgroundRequests
    } of them background completion HEADs (the tags call starts the completion as soon as it has answered; its HEADs take the same 4 connections as the overview's describe requests). Time with only background requests in flight: ${formatMs(
      series.medianRun.behindBackgroundMs,
    )}. Waves of all requests: ${
      series.medianRun.roundTripsAll
    }. Event loop busy in the window: ${formatMs(
      series.medianRun.eventLoopBusyMs,
    )} (includes the in-process proxy).`,
    '  Timeline of the median run (ms from the start; waves of all requests before the answers):',
    ...series.medianRun.waves.map(
      (w, i) =>
        `    wave ${String(i + 1).padStart(2)}  +${Math.round(
          w.startMs,
        )}..+${Math.round(w.endMs)}  ${w.requests}`,
    ),
    ...(full ? coldWork(series) : []),
  ];
  const coldWork = (series: typeof cold): string[] => [
    `  Berth-only intervals (no request in flight) of 3 ms or more, with the spans whose own time fell in them (wall time: a call's leaf span that waits for the DB connection or the event loop while the other call works shows that wait too; the CPU profile below says what ran):`,
    ...series.medianRun.gaps.flatMap(g => [
      `    +${Math.round(g.startMs)}..+${Math.round(g.endMs)} (${formatMs(
        g.endMs - g.startMs,
      )}):`,
      ...Object.entries(g.spans).map(
        ([name, ms]) => `      ${ms.toFixed(1).padStart(7)} ms  ${name}`,
      ),
    ]),
    `    and ${series.medianRun.smallGaps} shorter intervals, ${formatMs(
      series.medianRun.smallGapsMs,
    )} in all (between waves: handing responses on and issuing the next request).`,
    '  Spans of the median cold run (wall time, so a span also counts waiting for the one DB connection and for the event loop; [n] = rows returned):',
    ...Object.entries(series.medianRun.spans)
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(
        ([name, s]) =>
          `      ${s.ms.toFixed(1).padStart(8)} ms  ${name} ×${s.count}${
            s.size !== undefined ? ` [${s.size}]` : ''
          }`,
      ),
  ];
  const details = [
    '',
    "How it is measured: the service is Berth's real EntityImagesService → TagIndex → TagIndexStore on knex + better-sqlite3",
    "(in memory, one connection, the plugin's migrations), calling the registry as ghcr.io through the proxy. The ghcr.io",
    `flavour asks for tags in pages of n=${TAG_PAGE}, but Distribution ${context.distribution} ignores n and sends all tags in one response;`,
    `the second cold row has the proxy cut that listing into pages of ${TAG_PAGE} with Link headers, as ghcr.io pages it.`,
    'The catalog (getEntityByRef) and permission (authorize →',
    'ALLOW) services and the cache are in-memory stand-ins: they are Backstage services, not what is measured. HTTP and',
    'express overhead are not included (the service is called directly). A page view = overview() and tags(page 0, 20,',
    'sort by created) started together, as the tab does; its time is until both answered. Cold = a fresh database, index',
    "and registry client per run (Node's fetch connection pool is process-wide, so TCP connections are reused).",
    'Round trips = waves of the requests the answers needed (a request that starts after every earlier one finished',
    "opens a wave); the tags call's background completion HEADs are counted in the requests but not in the waves.",
    "Berth's own time = wall time minus the time during which at least one registry request (background ones included)",
    'was in flight at the proxy (RecordedRequest.startedAt/finishedAt, 1 ms resolution); the proxy runs in this process,',
    'so work that blocks the event loop while a request is in flight counts as registry time: a lower bound.',
    `Warm: the background completion ran with the proxy at RTT 0 (${formatMs(
      completionMs,
    )}, ${completionRequests.length} requests${
      complete
        ? ''
        : '; it did NOT finish: the warm runs read an incomplete index'
    }), then RTT ${
      options.rtt
    } ms again. TagIndex's windows are its defaults: environment tags are HEADed again after ${
      INDEX_OPTIONS.environmentMaxAgeMs / 1000
    } s, the listing after ${INDEX_OPTIONS.listMaxAgeMs / 1000} s;`,
    `each warm phase starts as after the scheduled refresh (listing and environment tags refreshed, ensureListed(0) and resolveTags(0)), then an untimed page view (requests: one viewer ${
      sequential.primingRequests
    }, snapshot expired ${expired.primingRequests}, concurrent ${
      concurrent.primingRequests
    }). At the end of each phase the environment tags had been resolved ${[
      sequential,
      expired,
      concurrent,
    ]
      .map(phase => formatMs(phase.envAgeAtEndMs))
      .join(' / ')} before and the listing ${[sequential, expired, concurrent]
      .map(phase => formatMs(phase.listAgeAtEndMs))
      .join(' / ')} before (${
      [sequential, expired, concurrent].every(phase => phase.insideWindows)
        ? 'every phase inside both windows'
        : 'NOT all inside the windows: requests in a phase are refreshes the windows call for'
    }).`,
    `The tags call reads the repository's rows through TagIndex.snapshot(), reused for ${INDEX_OPTIONS.snapshotMaxAgeMs} ms, and builds the table's rows once per snapshot: views less than that apart reuse both; the "row snapshot`,
    'expired" row shows a view that reads and groups every row again, as a lone viewer opening the tab meets it.',
    '',
    ...coldDetails(cold, 'Cold', true),
    ...coldDetails(
      paged,
      `Cold, listing paged by ${TAG_PAGE} (Berth's work as above)`,
      false,
    ),
    '  CPU profile of one more cold run (whole process, including the proxy):',
    ...fmtProfile(coldProfile.profile),
    '',
    `Warm, each call alone: own and total time of each span, nested as called, mean per call ([n] = rows returned).`,
    `  overview, ${PROFILE_VIEWS} calls 100 ms apart (so that each starts after the previous one's background work): ${ms1(
      warmOverview.breakdown.meanMs,
    )} per call`,
    ...fmtParts(warmOverview.breakdown.parts),
    ...fmtBackground(warmOverview.background),
    `  tags, ${PROFILE_VIEWS} calls in a row (snapshot fresh after the first): ${ms1(
      warmTags.breakdown.meanMs,
    )} per call`,
    ...fmtParts(warmTags.breakdown.parts),
    ...fmtBackground(warmTags.background),
    `  tags, ${EXPIRED_PROFILE_VIEWS} calls ${expiredPauseMs} ms apart (snapshot expired): ${ms1(
      warmTagsExpired.breakdown.meanMs,
    )} per call`,
    ...fmtParts(warmTagsExpired.breakdown.parts),
    ...fmtBackground(warmTagsExpired.background),
    `  Sorting the ${sortCheck.names.toLocaleString(
      'en-US',
    )} build tags' names as displayOrder does (bench-side, same input): compareTagVersions ${ms1(
      sortCheck.compareTagVersionsMs,
    )}; b.localeCompare(a, undefined, { numeric: true }) alone ${ms1(
      sortCheck.localeCompareMs,
    )}; one shared Intl.Collator(undefined, { numeric: true }).compare(b, a) ${ms1(
      sortCheck.collatorMs,
    )} (same order as compareTagVersions: ${
      sortCheck.sameOrder ? 'yes' : 'NO'
    }).`,
    `  The warm first page has ${
      warmPage.totalRows
    } rows (one per digest); its JSON is ${(pageJsonBytes / 1000).toFixed(
      0,
    )} kB, the largest row carrying ${Math.max(
      ...warmPage.rows.map(r => r.tags.length),
    )} tags.`,
    `  CPU profile of the ${PROFILE_VIEWS} overview calls and the background work they started (idle = the pauses):`,
    ...fmtProfile(warmOverview.profile),
    `  CPU profile of the ${EXPIRED_PROFILE_VIEWS} tags calls with the snapshot expired (idle = the pauses):`,
    ...fmtProfile(warmTagsExpired.profile),
    '',
    `Warm latencies: one viewer mean ${ms1(sequential.latency.mean)}, max ${ms1(
      sequential.latency.max,
    )} over ${formatMs(sequential.durationMs)}; snapshot expired mean ${ms1(
      expired.latency.mean,
    )}, max ${ms1(expired.latency.max)}; ${options.clients} viewers mean ${ms1(
      concurrent.latency.mean,
    )}, max ${ms1(concurrent.latency.max)} over ${formatMs(
      concurrent.durationMs,
    )}.`,
    `Full reads of the 10,000 tag rows during the warm phases (snapshot for the tags call + rows rebuilt / by background completions): one viewer ${sequential.snapshotReads} + ${sequential.backgroundTagReads}, snapshot expired ${expired.snapshotReads} + ${expired.backgroundTagReads}, concurrent ${concurrent.snapshotReads} + ${concurrent.backgroundTagReads}.`,
    warnings.length
      ? `Service warnings: ${warnings.length} (first: ${warnings[0]})`
      : undefined,
    `Seeding (direct, no proxy): ${formatMs(seeding.ms)}. Tab part ${formatMs(
      performance.now() - started,
    )}.`,
  ].filter((l): l is string => typeof l === 'string');

  const json = {
    benchmark: 'images-tab-api',
    date: new Date().toISOString(),
    options,
    environment: {
      node: process.versions.node,
      distribution: context.distribution,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryMB: Math.round(totalmem() / MB),
    },
    method: {
      service:
        'EntityImagesService → TagIndex → TagIndexStore, knex better-sqlite3 :memory: (pool 1), plugin migrations; registry host ghcr.io (github flavour) via the latency proxy',
      standIns:
        'catalog.getEntityByRef, permissions.authorize (ALLOW) and the cache are in-memory stand-ins; no HTTP/express',
      pageView:
        'overview(entity) and tags(entity, {page 0, pageSize 20, sort created}) started together; time until both answered',
      roundTrips:
        'waves of the requests the answers needed (background completion HEADs left out): a request that starts after every earlier one finished opens a wave',
      ownTime:
        'wall time minus the union of [startedAt, finishedAt] of every request that started before the answers (clipped to the window)',
      warm: `background completion at RTT 0, then RTT ${
        options.rtt
      }; TagIndex windows ${JSON.stringify(
        INDEX_OPTIONS,
      )}; each phase starts as after the scheduled refresh (ensureListed(0), resolveTags(0)) and an untimed page view; a fourth pass profiles overview (100 ms apart) and tags (snapshot fresh / expired) alone`,
    },
    targets: TARGETS,
    seed: { ...seeded, tags: options.tags, ms: Math.round(seeding.ms) },
    cold: {
      ...cold,
      kept: undefined,
      pass: coldPass,
      profile: coldProfile.profile,
    },
    coldPagedListing: {
      ...paged,
      kept: undefined,
      pageSize: TAG_PAGE,
      pass: pagedPass,
    },
    completion: {
      ms: Math.round(completionMs),
      complete,
      requests: completionRequests.length,
      breakdown: breakdown(completionRequests),
      latencyMs: 0,
    },
    warm: {
      sequential: { ...sequential, pass: sequentialPass },
      snapshotExpired: {
        ...expired,
        pauseMs: expiredPauseMs,
        pass: expiredPass,
      },
      concurrent: { ...concurrent, pass: concurrentPass },
      eachCallAlone: {
        overview: warmOverview,
        tags: warmTags,
        tagsSnapshotExpired: warmTagsExpired,
      },
      firstPage: {
        totalRows: warmPage.totalRows,
        jsonBytes: pageJsonBytes,
        largestRowTags: Math.max(...warmPage.rows.map(r => r.tags.length)),
      },
    },
    comparatorCheck: sortCheck,
    warnings,
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
