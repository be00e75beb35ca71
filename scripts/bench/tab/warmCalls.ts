/*
 * Where the warm time goes: each API call alone, with its spans nested as called, the background work it started
 * and a CPU profile; the size of the warm first page; and the comparator check of the tag sort.
 */
import { compareTagVersions } from '@berth/plugin-images-common';
import { log, sleep } from '../lib';
import { cpuProfile } from './cpuProfile';
import { callBreakdown } from './spans';
import { Harness, TabBench, readFirstPage, readOverview } from './tabBackend';
import { EXPIRED_PROFILE_VIEWS, PROFILE_VIEWS } from './tabScenario';
import { EXPIRED_PAUSE_MS, prime } from './warm';

/** `views` calls of one kind, `pauseMs` apart, under the CPU profiler. */
async function profiled(
  bench: TabBench,
  h: Harness,
  call: 'overview' | 'tags',
  views: number,
  pauseMs: number,
) {
  const { recorder } = bench;
  recorder.reset();
  const { profile } = await cpuProfile(async () => {
    for (let i = 0; i < views; i++) {
      if (pauseMs > 0) await sleep(pauseMs);
      await recorder.call<unknown>(call, () =>
        call === 'overview' ? readOverview(h) : readFirstPage(h),
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
}

export type ProfiledCalls = Awaited<ReturnType<typeof profiled>>;

/** Overview, tags with a fresh snapshot and tags with an expired one, each alone; then the first page's size. */
export async function profileWarmCalls(bench: TabBench, h: Harness) {
  log(
    `Images tab API: profiling warm calls one at a time: ${PROFILE_VIEWS} overview, ${PROFILE_VIEWS} tags (snapshot fresh), ${EXPIRED_PROFILE_VIEWS} tags (snapshot expired)`,
  );
  await prime(bench, h);
  // 100 ms apart, so that the background completion each overview starts has finished before the next one.
  const overview = await profiled(bench, h, 'overview', PROFILE_VIEWS, 100);
  await readFirstPage(h); // a fresh snapshot for the next 20
  const tags = await profiled(bench, h, 'tags', PROFILE_VIEWS, 0);
  const tagsExpired = await profiled(
    bench,
    h,
    'tags',
    EXPIRED_PROFILE_VIEWS,
    EXPIRED_PAUSE_MS,
  );
  const page = await readFirstPage(h);
  return {
    overview,
    tags,
    tagsExpired,
    firstPage: {
      totalRows: page.totalRows,
      jsonBytes: Buffer.byteLength(JSON.stringify(page)),
      largestRowTags: Math.max(...page.rows.map(r => r.tags.length)),
    },
  };
}

export type WarmCalls = Awaited<ReturnType<typeof profileWarmCalls>>;

/**
 * How long sorting the tag names of one digest takes, as displayOrder sorts them (compareTagVersions), against the
 * same fallback comparison with one shared collator: for the report, to show where the comparator's time goes.
 */
export function compareSorts(names: string[]) {
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

export type SortCheck = ReturnType<typeof compareSorts>;
