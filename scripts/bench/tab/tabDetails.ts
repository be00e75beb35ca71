/* The lines below the tab part's table: how it is measured, where the cold and the warm time go, the latencies. */
import { formatMs, formatMs1 } from '../lib';
import { formatBreakdown } from '../requests';
import { ColdSeries } from './cold';
import { ProfileSummary } from './cpuProfile';
import { CallPart } from './spans';
import { TabMeasurements } from './tabTable';
import {
  EXPIRED_PROFILE_VIEWS,
  INDEX_OPTIONS,
  PROFILE_VIEWS,
  TAG_PAGE,
} from './tabScenario';
import { EXPIRED_PAUSE_MS } from './warm';
import { ProfiledCalls } from './warmCalls';

const fmtParts = (parts: Record<string, CallPart>): string[] => [
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
  const entries = Object.entries(background).sort((a, b) => b[1].ms - a[1].ms);
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
      `      ${e.selfMs.toFixed(1).padStart(7)} ms  ${e.function}  ${e.where}`,
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
  series: ColdSeries,
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
const coldWork = (series: ColdSeries): string[] => [
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

/** One kind of call made alone: its mean time, its spans and the background work it started. */
const callDetails = (title: string, calls: ProfiledCalls): string[] => [
  `${title}: ${formatMs1(calls.breakdown.meanMs)} per call`,
  ...fmtParts(calls.breakdown.parts),
  ...fmtBackground(calls.background),
];

export function tabDetails(m: TabMeasurements): string[] {
  const { options, cold, paged, completion, calls, sortCheck } = m;
  const { sequential, expired, concurrent } = m.warm;
  const phases = [sequential, expired, concurrent];
  return [
    '',
    'How it is measured: the images backend runs in this process as its tests start it (startTestBackend: the plugin and',
    "its default service factories); the tab's EnvironmentLanesService and TagTableService → TagIndex → TagIndexStore run",
    "on knex + better-sqlite3 (in memory, one connection, each store's migrations), calling the registry as ghcr.io through",
    `the proxy. The ghcr.io flavour asks for tags in pages of n=${TAG_PAGE}, but Distribution ${m.distribution} ignores n and sends all`,
    `tags in one response; the second cold row has the proxy cut that listing into pages of ${TAG_PAGE} with Link headers, as ghcr.io`,
    "pages it. The catalog (getEntityByRef), permission (authorize → ALLOW) and cache services are the test backend's",
    'in-memory mocks: they are Backstage services, not what is measured. HTTP and express overhead are not included (the',
    "services are called directly, not through the plugin's router). A page view = overview() and tags(page 0, 20, sort",
    'by created) started together, as the tab does; its time is until both answered. Cold = a fresh backend (database,',
    "index and registry client) per run (Node's fetch connection pool is process-wide, so TCP connections are reused).",
    'Round trips = waves of the requests the answers needed (a request that starts after every earlier one finished',
    "opens a wave); the tags call's background completion HEADs are counted in the requests but not in the waves.",
    "Berth's own time = wall time minus the time during which at least one registry request (background ones included)",
    'was in flight at the proxy (RecordedRequest.startedAt/finishedAt, 1 ms resolution); the proxy runs in this process,',
    'so work that blocks the event loop while a request is in flight counts as registry time: a lower bound.',
    `Warm: the background completion ran with the proxy at RTT 0 (${formatMs(
      completion.ms,
    )}, ${completion.requests.length} requests${
      completion.complete
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
    }). At the end of each phase the environment tags had been resolved ${phases
      .map(phase => formatMs(phase.envAgeAtEndMs))
      .join(' / ')} before and the listing ${phases
      .map(phase => formatMs(phase.listAgeAtEndMs))
      .join(' / ')} before (${
      phases.every(phase => phase.insideWindows)
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
    ...fmtProfile(m.coldProfile),
    '',
    `Warm, each call alone: own and total time of each span, nested as called, mean per call ([n] = rows returned).`,
    ...callDetails(
      `  overview, ${PROFILE_VIEWS} calls 100 ms apart (so that each starts after the previous one's background work)`,
      calls.overview,
    ),
    ...callDetails(
      `  tags, ${PROFILE_VIEWS} calls in a row (snapshot fresh after the first)`,
      calls.tags,
    ),
    ...callDetails(
      `  tags, ${EXPIRED_PROFILE_VIEWS} calls ${EXPIRED_PAUSE_MS} ms apart (snapshot expired)`,
      calls.tagsExpired,
    ),
    `  Sorting the ${sortCheck.names.toLocaleString(
      'en-US',
    )} build tags' names as displayOrder does (bench-side, same input): compareTagVersions ${formatMs1(
      sortCheck.compareTagVersionsMs,
    )}; b.localeCompare(a, undefined, { numeric: true }) alone ${formatMs1(
      sortCheck.localeCompareMs,
    )}; one shared Intl.Collator(undefined, { numeric: true }).compare(b, a) ${formatMs1(
      sortCheck.collatorMs,
    )} (same order as compareTagVersions: ${
      sortCheck.sameOrder ? 'yes' : 'NO'
    }).`,
    `  The warm first page has ${
      calls.firstPage.totalRows
    } rows (one per digest); its JSON is ${(
      calls.firstPage.jsonBytes / 1000
    ).toFixed(0)} kB, the largest row carrying ${
      calls.firstPage.largestRowTags
    } tags.`,
    `  CPU profile of the ${PROFILE_VIEWS} overview calls and the background work they started (idle = the pauses):`,
    ...fmtProfile(calls.overview.profile),
    `  CPU profile of the ${EXPIRED_PROFILE_VIEWS} tags calls with the snapshot expired (idle = the pauses):`,
    ...fmtProfile(calls.tagsExpired.profile),
    '',
    `Warm latencies: one viewer mean ${formatMs1(
      sequential.latency.mean,
    )}, max ${formatMs1(sequential.latency.max)} over ${formatMs(
      sequential.durationMs,
    )}; snapshot expired mean ${formatMs1(
      expired.latency.mean,
    )}, max ${formatMs1(expired.latency.max)}; ${
      options.clients
    } viewers mean ${formatMs1(concurrent.latency.mean)}, max ${formatMs1(
      concurrent.latency.max,
    )} over ${formatMs(concurrent.durationMs)}.`,
    `Full reads of the 10,000 tag rows during the warm phases (snapshot for the tags call + rows rebuilt / by background completions): one viewer ${sequential.snapshotReads} + ${sequential.backgroundTagReads}, snapshot expired ${expired.snapshotReads} + ${expired.backgroundTagReads}, concurrent ${concurrent.snapshotReads} + ${concurrent.backgroundTagReads}.`,
    m.warnings.length
      ? `Service warnings: ${m.warnings.length} (first: ${m.warnings[0]})`
      : undefined,
    `Seeding (direct, no proxy): ${formatMs(m.seeding.ms)}. Tab part ${formatMs(
      performance.now() - m.started,
    )}.`,
  ].filter((l): l is string => typeof l === 'string');
}
