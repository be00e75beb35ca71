/* Small helpers shared by the benchmark: cleanup on exit, a worker pool, timing, formatting, progress. */

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

export function sleep(ms: number): Promise<void> {
  return new Promise(resolvePromise => setTimeout(resolvePromise, ms));
}

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.round(ms)} ms`;
}

/** Milliseconds with a decimal below 10 ms (warm latencies). */
export function formatMs1(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : formatMs(ms);
}

export const MB = 1_000_000;

export function formatMB(bytes: number): string {
  return `${(bytes / MB).toFixed(bytes >= 10 * MB ? 0 : 1)} MB`;
}

export function log(message: string): void {
  process.stderr.write(`\x1b[2m[bench]\x1b[0m ${message}\n`);
}

/**
 * Runs Berth's and skopeo's side of a measurement `reps` times each (skopeo's when there is one), taking turns to go
 * first, so that neither always meets a registry that has just done the same work.
 */
export async function takeTurns<R>(
  reps: number,
  sides: {
    berth: (rep: number) => Promise<R>;
    skopeo?: (rep: number) => Promise<R>;
  },
): Promise<{ berth: R[]; skopeo: R[] }> {
  const runs = { berth: [] as R[], skopeo: [] as R[] };
  for (let rep = 1; rep <= reps; rep++) {
    const order =
      rep % 2 === 1
        ? (['berth', 'skopeo'] as const)
        : (['skopeo', 'berth'] as const);
    for (const who of order) {
      const side = sides[who];
      if (side) runs[who].push(await side(rep));
    }
  }
  return runs;
}
