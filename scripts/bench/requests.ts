/* The registry requests the latency proxies saw: what kind each was, which ones a call made, and a summary of runs. */
import {
  RecordedRequest,
  RegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { log, timed } from './lib';
import { median } from './stats';

/** What kind of registry call a recorded request was, for the per-kind breakdown. */
export function requestKind(
  request: Pick<RecordedRequest, 'method' | 'path'>,
): string {
  const path = request.path.split('?')[0];
  let what = 'other';
  if (path === '/v2/' || path === '/v2') what = 'ping';
  else if (path.endsWith('/tags/list')) what = 'tags';
  else if (/\/manifests\/[^/]+$/.test(path)) what = 'manifest';
  else if (/\/blobs\/uploads\/?$/.test(path)) what = 'upload-start';
  else if (/\/blobs\/uploads\/[^/]+$/.test(path)) what = 'upload';
  else if (/\/blobs\/[^/]+$/.test(path)) what = 'blob';
  else if (path.includes('/referrers/')) what = 'referrers';
  return `${request.method} ${what}`;
}

/** Counts requests by kind: `{ "HEAD blob": 7, "PUT manifest": 3, ... }`, most frequent first. */
export function breakdown(
  requests: Pick<RecordedRequest, 'method' | 'path'>[],
): Record<string, number> {
  const counts = new Map<string, number>();
  for (const request of requests) {
    const kind = requestKind(request);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return Object.fromEntries(
    [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
  );
}

export function formatBreakdown(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
}

/** One call: its time, its value, and the requests that arrived at each proxy meanwhile. */
export interface ProxiedRun<T> {
  ms: number;
  value: T;
  /** Per proxy, in the order given. */
  perProxy: RecordedRequest[][];
  /** All of them, proxy after proxy. */
  requests: RecordedRequest[];
}

/** Runs `fn` and returns its time and the requests it made through each proxy. */
export async function requestsDuring<T>(
  proxies: RegistryProxy[],
  fn: () => Promise<T>,
): Promise<ProxiedRun<T>> {
  const before = proxies.map(proxy => proxy.requests.length);
  const { ms, value } = await timed(fn);
  const perProxy = proxies.map((proxy, i) => proxy.requests.slice(before[i]));
  return { ms, value, perProxy, requests: perProxy.flat() };
}

/** Runs of one measurement: the median time, and what one run asked of the registries (the runs should agree). */
export interface RunsSummary {
  ms: number;
  runsMs: number[];
  requests: number;
  breakdown: Record<string, number>;
}

export function summarizeRuns(
  runs: Array<{ ms: number; requests: RecordedRequest[] }>,
  what: string,
): RunsSummary {
  const counts = runs.map(run => run.requests.length);
  if (new Set(counts).size > 1)
    log(
      `  (${what}: request counts varied between runs: ${counts.join(', ')})`,
    );
  return {
    ms: median(runs.map(run => run.ms)),
    runsMs: runs.map(run => Math.round(run.ms)),
    requests: median(counts),
    breakdown: breakdown(runs[runs.length - 1].requests),
  };
}
