/* The tab part's measurements, their verdicts against the targets, and its table. */
import { formatMs, formatMs1 } from '../lib';
import { machineNote, renderTable } from '../report';
import { ColdSeries } from './cold';
import { ProfileSummary } from './cpuProfile';
import {
  Seeded,
  TabOptions,
  TAG_PAGE,
  TARGETS,
  EXPIRED_VIEWS,
} from './tabScenario';
import { Completion, EXPIRED_PAUSE_MS, WarmPhase, WarmPhases } from './warm';
import { SortCheck, WarmCalls } from './warmCalls';

/** Everything the tab part measured, for its table, its details and its result file. */
export interface TabMeasurements {
  options: TabOptions;
  distribution: string;
  seeding: { seeded: Seeded; ms: number };
  sortCheck: SortCheck;
  cold: ColdSeries;
  paged: ColdSeries;
  coldProfile: ProfileSummary;
  completion: Completion;
  warm: WarmPhases;
  calls: WarmCalls;
  warnings: string[];
  /** performance.now() when the part started. */
  started: number;
}

export function tabVerdicts({ cold, paged, warm }: TabMeasurements) {
  const coldPasses = (series: ColdSeries) =>
    series.roundTrips <= TARGETS.coldRoundTrips &&
    series.ownMs <= TARGETS.coldOwnMs;
  const warmPasses = (phase: WarmPhase) =>
    phase.latency.p95 <= TARGETS.warmP95Ms && phase.requests === 0;
  return {
    cold: coldPasses(cold),
    paged: coldPasses(paged),
    sequential: warmPasses(warm.sequential),
    expired: warmPasses(warm.expired),
    concurrent: warmPasses(warm.concurrent),
  };
}

function verdict(pass: boolean, why: string[]): string {
  return pass ? 'PASS' : `MISS (${why.join('; ')})`;
}

function coldRow(measure: string, series: ColdSeries, pass: boolean) {
  return {
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
  };
}

function warmRow(
  measure: string,
  phase: WarmPhase,
  pass: boolean,
  time: string,
) {
  return {
    measure,
    time,
    requests: String(phase.requests),
    roundTrips: '',
    own: '',
    target: `p95 ≤ ${TARGETS.warmP95Ms} ms, 0 requests`,
    result: verdict(pass, [
      ...(phase.latency.p95 > TARGETS.warmP95Ms
        ? [`p95 ${formatMs1(phase.latency.p95)}`]
        : []),
      ...(phase.requests > 0 ? [`${phase.requests} requests`] : []),
    ]),
  };
}

const p50p95 = (phase: WarmPhase) =>
  `p50 ${formatMs1(phase.latency.p50)}, p95 ${formatMs1(phase.latency.p95)}`;

export function renderTabTable(m: TabMeasurements): string {
  const { options, cold, paged, warm } = m;
  const { sequential, expired, concurrent } = warm;
  const pass = tabVerdicts(m);
  const rows = [
    coldRow(
      `cold: environments + first tags page (median of ${options.coldReps})`,
      cold,
      pass.cold,
    ),
    coldRow(
      `cold, listing paged by ${TAG_PAGE} as on ghcr.io (median of ${options.coldReps})`,
      paged,
      pass.paged,
    ),
    warmRow(
      `warm: one viewer, ${options.warmViews} page views in a row`,
      sequential,
      pass.sequential,
      p50p95(sequential),
    ),
    warmRow(
      `warm: one viewer, ${EXPIRED_VIEWS} views ${EXPIRED_PAUSE_MS} ms apart (row snapshot expired)`,
      expired,
      pass.expired,
      p50p95(expired),
    ),
    warmRow(
      `warm: ${options.clients} concurrent viewers × ${options.clientViews}`,
      concurrent,
      pass.concurrent,
      `${p50p95(concurrent)}, p99 ${formatMs1(
        concurrent.latency.p99,
      )}; ${concurrent.viewsPerSecond.toFixed(1)} views/s`,
    ),
  ];
  const title = `Images tab API (${options.tags.toLocaleString(
    'en-US',
  )} tags, RTT ${
    options.rtt
  } ms via loopback proxy; in-process images backend (lanes and tag table services), SQLite in memory; CNCF Distribution ${
    m.distribution
  }; ${machineNote()})`;
  return renderTable(
    title,
    [
      'measure',
      'time',
      'registry requests',
      'round trips',
      "Berth's own time",
      'target',
      'result',
    ],
    rows.map(r => [
      r.measure,
      r.time,
      r.requests,
      r.roundTrips,
      r.own,
      r.target,
      r.result,
    ]),
  );
}
