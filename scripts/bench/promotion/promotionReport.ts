/* The promotion part's summaries of the runs (time, requests, bytes moved), its table, details and result file. */
import {
  RecordedRequest,
  roundTripLevels,
  sequentialRoundTrips,
} from '@berth/plugin-images-backend-test-utils';
import { check } from '../checks';
import { formatMB, formatMs } from '../lib';
import {
  PartResult,
  comparisonTitle,
  environmentInfo,
  renderTable,
  requestsByKind,
  writeResults,
} from '../report';
import {
  breakdown as countByKind,
  formatBreakdown,
  summarizeRuns,
} from '../requests';
import { median } from '../stats';
import { PromotionRun } from './berthPromotion';
import { PromotionBench } from './promotionSetup';
import { ScenarioRuns } from './promotionScenarios';

/** One tool's runs of one scenario: median time, and what one run did at the registries. */
export interface Side {
  ms: number;
  runsMs: number[];
  /** Median over the runs (they should not vary). */
  requests: number;
  /** Round trips one after another (requests in flight together count once), median over the runs. */
  roundTrips: number;
  /** The last run's requests by round trip: `2 HEAD manifest | 2 GET manifest | …`. */
  steps: string;
  /** Per registry, in the order of the proxies. */
  requestsPerRegistry: number[];
  breakdown: Record<string, number>;
  /** Layer and config bytes uploaded (completed blob uploads), median over the runs. */
  bytesUploaded: number;
  blobsUploaded: number;
  blobsMounted: number;
  /** skopeo processes per run. */
  processes?: number;
}

/** Issue 13: a same-repository promotion takes at most this many round trips one after another. */
export const SAME_REPOSITORY_MAX_ROUND_TRIPS = 5;

export interface Scenario {
  key: 'same-repository' | 'cross-repository' | 'cross-registry';
  /** Berth's round-trip target, where there is one, and whether its median run met it. */
  target?: { roundTrips: number; pass: boolean };
  operation: string;
  berth: Side;
  skopeo?: Side;
  note: string;
}

/** What the requests of one run moved: completed uploads (PUT …?digest=, 201) and mounts (POST …?mount=, 201). */
function transfers(
  requests: RecordedRequest[],
  sizes: Map<string, number>,
): { bytesUploaded: number; blobsUploaded: number; blobsMounted: number } {
  let bytesUploaded = 0;
  let blobsUploaded = 0;
  let blobsMounted = 0;
  for (const request of requests) {
    if (request.status !== 201 || !request.path.includes('/blobs/uploads/'))
      continue;
    const query = new URLSearchParams(request.path.split('?')[1] ?? '');
    if (request.method === 'POST' && query.has('mount')) blobsMounted++;
    const digest = query.get('digest');
    if (request.method === 'PUT' && digest) {
      blobsUploaded++;
      const size = sizes.get(digest);
      check(size !== undefined, `an upload of an unknown blob ${digest}`);
      bytesUploaded += size;
    }
  }
  return { bytesUploaded, blobsUploaded, blobsMounted };
}

function summarize(
  runs: PromotionRun[],
  sizes: Map<string, number>,
  who: string,
): Side {
  const { ms, runsMs, requests, breakdown } = summarizeRuns(runs, who);
  const moved = runs.map(run => transfers(run.requests, sizes));
  const last = runs[runs.length - 1];
  return {
    ms,
    runsMs,
    requests,
    roundTrips: median(runs.map(run => sequentialRoundTrips(run.requests))),
    steps: roundTripLevels(last.requests)
      .map(level => formatBreakdown(countByKind(level)))
      .join(' | '),
    requestsPerRegistry: last.perProxy.map(perProxy => perProxy.length),
    breakdown,
    bytesUploaded: median(moved.map(m => m.bytesUploaded)),
    blobsUploaded: moved[moved.length - 1].blobsUploaded,
    blobsMounted: moved[moved.length - 1].blobsMounted,
    processes: last.processes,
  };
}

/** A scenario's row: both sides summarised (skopeo's when it ran). */
export function scenario(
  bench: PromotionBench,
  runs: ScenarioRuns,
  row: Omit<Scenario, 'berth' | 'skopeo' | 'note' | 'target'> & {
    note: (skopeo?: Side) => string;
    maxRoundTrips?: number;
  },
): Scenario {
  const skopeo = runs.skopeo.length
    ? summarize(runs.skopeo, bench.sizes, 'skopeo')
    : undefined;
  const berth = summarize(runs.berth, bench.sizes, 'Berth');
  return {
    key: row.key,
    operation: row.operation,
    target:
      row.maxRoundTrips === undefined
        ? undefined
        : {
            roundTrips: row.maxRoundTrips,
            pass: berth.roundTrips <= row.maxRoundTrips,
          },
    berth,
    skopeo,
    note: row.note(skopeo),
  };
}

function renderPromotionTable(title: string, scenarios: Scenario[]): string {
  const upload = (side: Side) => {
    const mounted = side.blobsMounted ? ` (${side.blobsMounted} mounted)` : '';
    return side.bytesUploaded === 0
      ? `0${mounted}`
      : `${formatMB(side.bytesUploaded)}${mounted}`;
  };
  return renderTable(
    title,
    [
      'promotion',
      'Berth time',
      'Berth reqs',
      'Berth RT',
      'target',
      'result',
      'Berth upload',
      'skopeo time',
      'skopeo reqs',
      'skopeo upload',
      'notes',
    ],
    scenarios.map(s => [
      s.operation,
      formatMs(s.berth.ms),
      String(s.berth.requests),
      String(s.berth.roundTrips),
      s.target ? `≤ ${s.target.roundTrips} RT` : '-',
      verdict(s),
      upload(s.berth),
      s.skopeo ? formatMs(s.skopeo.ms) : '-',
      s.skopeo ? String(s.skopeo.requests) : '-',
      s.skopeo ? upload(s.skopeo) : '-',
      s.note,
    ]),
    column => column > 0 && column !== 4 && column !== 5,
  );
}

function verdict(s: Scenario): string {
  if (!s.target) return '-';
  return s.target.pass ? 'PASS' : `MISS (${s.berth.roundTrips} RT)`;
}

export function promotionReport(
  bench: PromotionBench,
  scenarios: Scenario[],
  context: { distribution: string; started: number },
): PartResult {
  const { options, skopeo, big } = bench;
  const title = comparisonTitle('Berth promotion benchmark', {
    rtt: options.rtt,
    distribution: context.distribution,
    skopeoVersion: skopeo?.version,
  });
  const table = renderPromotionTable(title, scenarios);
  const perRun = (side: Side) => side.runsMs.map(formatMs).join(', ');
  const crossRegistry = scenarios[2];
  const details = [
    '',
    'Requests by kind (one run), and times of every run:',
    ...requestsByKind(scenarios, side => `; ${perRun(side)}`),
    '',
    'Cross-repository and cross-registry runs each promote into an empty repository of their own (no rollback tag).',
    `Berth RT: round trips one after another in the timed call (requests in flight together count once; median run);` +
      ` target (issue 13) for the same repository: ≤ ${SAME_REPOSITORY_MAX_ROUND_TRIPS} RT. Berth's requests by round trip:`,
    ...scenarios.map(s => `  ${s.operation}: ${s.berth.steps}`),
    `Cross-registry requests to source/target registry: Berth ${crossRegistry.berth.requestsPerRegistry.join(
      '/',
    )}${
      crossRegistry.skopeo
        ? `, skopeo ${crossRegistry.skopeo.requestsPerRegistry.join('/')}`
        : ''
    }. Upload: blob bytes of completed uploads (PUT …?digest=) seen by the proxies; mounted: POST …?mount= answered 201.`,
    `Berth: the images backend's PromotionService in test backends on one SQLite database in memory (its audit trail` +
      ` and locks); the environment is protected, so one backend records the request (untimed) and a second one, with` +
      ` new registry clients, approves it: approve() runs the promotion, and its time includes the plan (resolving the` +
      ` source and the environment), the rollback tag, the tags and their verification.` +
      ` skopeo: one \`copy --all --preserve-digests\` process per tag written (times include starting it), from the` +
      ` source digest; it neither resolves the environment nor checks the result.`,
    `Times: median of ${options.reps} runs (same repository) and of ${options.copyReps} (the big image). Each cross` +
      ` run writes into a repository of its own. Seeding (direct, no proxy): ${formatMB(
        big.totalBytes,
      )} in ${formatMs(bench.seededMs)}. Whole part ${formatMs(
        performance.now() - context.started,
      )}.`,
  ].join('\n');
  const json = {
    benchmark: 'promotion',
    date: new Date().toISOString(),
    options,
    environment: environmentInfo(context.distribution, skopeo ?? null),
    seed: {
      image: big,
      currentDigest: bench.current,
      ms: Math.round(bench.seededMs),
    },
    scenarios,
    totalMs: Math.round(performance.now() - context.started),
  };
  writeResults('promotion', json);
  return { table, details, json };
}
