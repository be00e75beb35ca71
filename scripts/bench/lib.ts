/* Small helpers shared by the benchmark: cleanup on exit, registries behind latency proxies, a worker pool, timing,
 * formatting. */
import { dirname, join } from 'node:path';
import {
  RecordedRequest,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';

/** The images backend's migrations, for the parts that run its database code on their own database. */
export const MIGRATIONS = join(
  dirname(require.resolve('@berth/plugin-images-backend/package.json')),
  'migrations',
);

type Cleanup = () => void | Promise<void>;

const cleanups: Cleanup[] = [];
let cleaning: Promise<void> | undefined;

/** Registers something to undo at the end, on failure or on SIGINT/SIGTERM (run in reverse order). */
export function onCleanup(cleanup: Cleanup): void {
  cleanups.push(cleanup);
}

/**
 * Runs every cleanup registered so far once, newest first; errors are reported, not thrown. Calls during a cleanup
 * share it; a later call runs what was registered since (one part of the benchmark cleans up before the next).
 */
export function cleanupAll(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const cleanup = cleanups.pop()!;
      try {
        await cleanup();
      } catch (error) {
        process.stderr.write(`bench: cleanup failed: ${String(error)}\n`);
      }
    }
  })().finally(() => {
    cleaning = undefined;
  });
  return cleaning;
}

// The handler stays installed: a Ctrl-C reaches this process more than once (from the terminal, and relayed by yarn
// and tsx), and without a listener the second one would end the process halfway through the cleanup.
let stopping = false;

/** True once a signal asked the run to stop (operations in flight then fail, which is no news). */
export function isStopping(): boolean {
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(
      `\nbench: ${signal}, stopping registries and removing temporary folders\n`,
    );
    cleanupAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

/** Runs `fn` over `items` with at most `concurrency` calls in flight; results keep the input order. */
export async function mapPool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, worker),
  );
  return results;
}

export async function timed<T>(
  fn: () => Promise<T>,
): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

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

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.round(ms)} ms`;
}

export const MB = 1_000_000;

export function formatMB(bytes: number): string {
  return `${(bytes / MB).toFixed(bytes >= 10 * MB ? 0 : 1)} MB`;
}

export function log(message: string): void {
  process.stderr.write(`\x1b[2m[bench]\x1b[0m ${message}\n`);
}

/** Starts `count` registries, each behind a proxy that adds `latencyMs` to every request; all stopped at cleanup. */
export async function startProxiedRegistries(
  count: number,
  latencyMs: number,
): Promise<{ registries: RunningRegistry[]; proxies: RegistryProxy[] }> {
  const registries: RunningRegistry[] = [];
  for (let i = 0; i < count; i++) {
    const registry = await startRegistry();
    onCleanup(() => registry.stop());
    registries.push(registry);
  }
  const proxies: RegistryProxy[] = [];
  for (const registry of registries) {
    const proxy = await startRegistryProxy({ target: registry.url, latencyMs });
    onCleanup(() => proxy.stop());
    proxies.push(proxy);
  }
  return { registries, proxies };
}
