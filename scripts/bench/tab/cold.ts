/*
 * Cold page views: each on a fresh backend (database, index, registry client), timed until both answers, with the
 * requests that started before them grouped in waves (round trips), Berth's own time between them, and the spans
 * whose own time fell in the gaps. Optionally with the listing cut into pages as ghcr.io pages it.
 */
import { performance as perfHooks } from 'node:perf_hooks';
import {
  RecordedRequest,
  RegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { check } from '../checks';
import { formatMs, log } from '../lib';
import { breakdown, formatBreakdown } from '../requests';
import { median } from '../stats';
import {
  Interval,
  Span,
  overlap,
  selfIntervals,
  subtract,
  unionLength,
} from './spans';
import { Harness, TabBench, readFirstPage, readOverview } from './tabBackend';
import { ENV_TAGS, REPOSITORY, TAG_PAGE, checkOverview } from './tabScenario';

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

export interface ColdRun {
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

/** A page view timed from its start: each answer's time, the spans, and the requests that started before both. */
async function timedPageView(bench: TabBench, h: Harness) {
  const { recorder, proxy } = bench;
  const before = proxy.requests.length;
  const elu = perfHooks.eventLoopUtilization();
  const d0 = Date.now();
  const p0 = performance.now();
  const answered = <T>(call: string, read: () => Promise<T>) =>
    recorder
      .call(call, read)
      .then(value => ({ value, ms: performance.now() - p0 }));
  const [overview, page] = await Promise.all([
    answered('overview', () => readOverview(h)),
    answered('tags', () => readFirstPage(h)),
  ]);
  const wallMs = performance.now() - p0;
  const busy = perfHooks.eventLoopUtilization(elu);
  const d1 = d0 + wallMs;
  return {
    overview,
    page,
    wallMs,
    eventLoopBusyMs: busy.active,
    /** The window on the wall clock (requests use it) and where it starts on the performance clock (spans use it). */
    d0,
    d1,
    p0,
    spans: recorder.spans.slice(),
    requests: snapshot(
      proxy.requests.slice(before).filter(r => r.startedAt <= d1),
    ),
  };
}

/** One cold page view on `h`, a backend that has read nothing yet. */
export async function coldRun(
  bench: TabBench,
  h: Harness,
  paged = false,
): Promise<ColdRun> {
  const { recorder, proxy, seeded, options } = bench;
  recorder.reset();
  if (paged) emulatePaging(proxy, bench.listedTags, TAG_PAGE);
  const view = await timedPageView(bench, h);
  const page = view.page.value;
  checkOverview(view.overview.value, seeded);
  // A paged first listing answers after its first page (index.listing): fewer tags, more to come.
  check(
    (page.index.totalTags === options.tags ||
      (page.index.listing === true && page.index.totalTags > 0)) &&
      page.rows.length === 20,
    `cold page: ${page.index.totalTags} tags, ${page.rows.length} rows`,
  );
  const { wallMs, d0, d1, p0, requests } = view;
  const foreground = requests.filter(r => !isBackground(r));
  const inFlight = (list: RecordedRequest[]) =>
    list.map(
      (r): Interval => [
        Math.max(r.startedAt, d0),
        Math.min(r.finishedAt ?? d1, d1),
      ],
    );
  const registryMs = unionLength(inFlight(requests));
  const foregroundMs = unionLength(inFlight(foreground));
  // Berth-only gaps, on the performance clock (spans use it): the window minus the in-flight intervals.
  const toPerf = (t: number) => p0 + (t - d0);
  const gaps = subtract(
    [[p0, p0 + wallMs]],
    inFlight(requests).map(([a, b]): Interval => [toPerf(a), toPerf(b)]),
  );
  const small = gaps.filter(([a, b]) => b - a < 3);
  return {
    wallMs,
    overviewMs: view.overview.ms,
    tagsMs: view.page.ms,
    requests: requests.length,
    breakdown: breakdown(requests),
    backgroundRequests: requests.length - foreground.length,
    roundTrips: waves(foreground).length,
    roundTripsAll: waves(requests).length,
    ownMs: wallMs - registryMs,
    behindBackgroundMs: registryMs - foregroundMs,
    eventLoopBusyMs: view.eventLoopBusyMs,
    waves: waves(requests).map(wave => ({
      startMs: Math.min(...wave.map(r => r.startedAt)) - d0,
      endMs: Math.max(...wave.map(r => r.finishedAt ?? d1)) - d0,
      requests: formatBreakdown(breakdown(wave)),
    })),
    gaps: spansInGaps(
      view.spans,
      gaps.filter(([a, b]) => b - a >= 3),
      p0,
    ),
    smallGapsMs: small.reduce((sum, [a, b]) => sum + b - a, 0),
    smallGaps: small.length,
    spans: spansByName(view.spans),
    pageRows: page.rows.length,
    pageTotalRows: page.totalRows,
  };
}

/** For each gap, the spans whose own time fell in it (0.5 ms or more), largest first; times from `p0`. */
function spansInGaps(spans: Span[], gaps: Interval[], p0: number) {
  const own = spans
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
  return gaps.map(([a, b]) => ({
    startMs: a - p0,
    endMs: b - p0,
    spans: Object.fromEntries(
      own
        .map(s => [s.label, overlap(s.self, [a, b])] as const)
        .filter(([, ms]) => ms >= 0.5)
        .sort((x, y) => y[1] - x[1])
        .map(([label, ms]) => [label, Math.round(ms * 10) / 10]),
    ),
  }));
}

/** Wall time and count of the spans by name (background work apart), with the most rows one returned. */
function spansByName(spans: Span[]): ColdRun['spans'] {
  const byName: ColdRun['spans'] = {};
  for (const s of spans) {
    const name = `${s.call === 'background' ? 'background > ' : ''}${s.name}`;
    const entry = (byName[name] ??= { ms: 0, count: 0 });
    entry.ms += s.end - s.start;
    entry.count++;
    if (s.size !== undefined) entry.size = Math.max(entry.size ?? 0, s.size);
  }
  return byName;
}

/**
 * `coldReps` cold page views, each on a new backend; the last backend is kept (for the warm runs) when `keepLast`.
 */
export async function coldSeries(
  bench: TabBench,
  paged: boolean,
  keepLast: boolean,
) {
  const { options } = bench;
  const runs: ColdRun[] = [];
  let kept: Harness | undefined;
  for (let rep = 1; rep <= options.coldReps; rep++) {
    log(
      `Images tab API: cold run ${rep}/${options.coldReps}${
        paged ? `, listing in pages of ${TAG_PAGE}` : ''
      } (fresh database, index and registry client)`,
    );
    const harness = await bench.newHarness();
    const run = await coldRun(bench, harness, paged);
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
}

export type ColdSeries = Awaited<ReturnType<typeof coldSeries>>;
