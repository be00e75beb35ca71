/*
 * Warm page views on the backend the last cold run left: first the background completion of its index (at RTT 0,
 * so that 10,000 HEADs through 4 connections do not take minutes), then phases of page views, each starting as
 * after the scheduled refresh: one viewer in a row, one viewer with the row snapshot expired, concurrent viewers.
 */
import type { TagPage } from '@berth/plugin-images-common';
import { RecordedRequest } from '@berth/plugin-images-backend-test-utils';
import { check } from '../checks';
import { formatMs, log, sleep } from '../lib';
import { breakdown, formatBreakdown } from '../requests';
import { LatencySummary, summarizeLatencies } from '../stats';
import { Harness, TabBench, pageView, readFirstPage } from './tabBackend';
import {
  ENV_TAGS,
  EXPIRED_VIEWS,
  IMAGE,
  INDEX_OPTIONS,
  checkOverview,
} from './tabScenario';

export interface Completion {
  ms: number;
  complete: boolean;
  requests: RecordedRequest[];
}

/** Lets the background completion of the index finish, with the proxy at RTT 0; gives up after the timeout. */
export async function completeIndex(
  bench: TabBench,
  h: Harness,
): Promise<Completion> {
  const { proxy, options } = bench;
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
    lastPage = await readFirstPage(h);
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
  return { ms: completionMs, complete, requests: completionRequests };
}

/** When the listing and the environment tags were last refreshed. */
async function windowState(h: Harness) {
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
}

/**
 * Before a warm phase, what the scheduled refresh does (a fresh listing, the environment tags HEADed again), then an
 * untimed page view: the phase starts with both windows full.
 */
export async function prime(bench: TabBench, h: Harness) {
  const { proxy, recorder, seeded } = bench;
  const before = proxy.requests.length;
  await h.index.ensureListed(IMAGE, 0);
  await h.index.resolveTags(IMAGE, [...ENV_TAGS], 0);
  const [overview, page] = await pageView(h, recorder);
  checkOverview(overview, seeded);
  return {
    requests: proxy.requests.length - before,
    breakdown: breakdown(proxy.requests.slice(before)),
    page,
  };
}

export interface WarmPhase {
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
async function warmPhase(
  bench: TabBench,
  h: Harness,
  completion: Completion,
  phase: { clients: number; views: number; pauseMs?: number },
): Promise<WarmPhase> {
  const { proxy, recorder, seeded } = bench;
  const { clients, views, pauseMs = 0 } = phase;
  const primed = await prime(bench, h);
  check(
    primed.page.index.complete || !completion.complete,
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
        const [overview] = await pageView(h, recorder);
        latencies.push(performance.now() - t);
        if (i === 0) checkOverview(overview, seeded);
      }
    }),
  );
  const durationMs =
    performance.now() - phaseStart - (clients === 1 ? views * pauseMs : 0);
  const reads = (call: (c: string) => boolean) =>
    recorder.spans.filter(
      x => x.name === 'store.getTags' && x.start >= phaseStart && call(x.call),
    ).length;
  const requests = proxy.requests.slice(before);
  const state = await windowState(h);
  const now = Date.now();
  const envAge = now - state.envResolvedAt;
  const listAge = now - state.listedAt;
  return {
    latency: summarizeLatencies(latencies),
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
}

/** Pause between the views of the "snapshot expired" phase: just over the row snapshot's age. */
export const EXPIRED_PAUSE_MS = INDEX_OPTIONS.snapshotMaxAgeMs + 100;

/** The three warm phases, one after another. */
export async function warmPhases(
  bench: TabBench,
  h: Harness,
  completion: Completion,
) {
  const { options, recorder } = bench;
  log(
    `Images tab API: warm, one viewer: ${options.warmViews} page views (overview + first tags page) one after another`,
  );
  recorder.reset();
  const sequential = await warmPhase(bench, h, completion, {
    clients: 1,
    views: options.warmViews,
  });
  log(
    `  p50 ${sequential.latency.p50.toFixed(
      1,
    )} ms, p95 ${sequential.latency.p95.toFixed(1)} ms, ${
      sequential.requests
    } registry requests`,
  );
  log(
    `Images tab API: warm, one viewer: ${EXPIRED_VIEWS} page views ${EXPIRED_PAUSE_MS} ms apart (the row snapshot expired each time)`,
  );
  recorder.reset();
  const expired = await warmPhase(bench, h, completion, {
    clients: 1,
    views: EXPIRED_VIEWS,
    pauseMs: EXPIRED_PAUSE_MS,
  });
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
  const concurrent = await warmPhase(bench, h, completion, {
    clients: options.clients,
    views: options.clientViews,
  });
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
  return { sequential, expired, concurrent };
}

export type WarmPhases = Awaited<ReturnType<typeof warmPhases>>;
