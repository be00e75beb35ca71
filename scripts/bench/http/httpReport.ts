/* The http part's table, details and result file. */
import { formatMs, formatMs1 } from '../lib';
import { environmentInfo, machineNote, renderTable } from '../report';
import { formatBreakdown } from '../requests';
import type { ProfileSummary } from '../tab/cpuProfile';
import type { ViewsBlock } from './httpViews';

/** Tab view p95 at most this times two catalog GETs' p95. */
export const RATIO_TARGET = 1.5;

interface Run {
  database: string;
  startupMs: number;
  warmupMs: number;
  blocks: ViewsBlock[];
}

export function httpReport(input: {
  options: { rtt: number; builds: number; views: number; viewers: number[] };
  context: { distribution: string };
  runs: Run[];
  profile?: ProfileSummary;
  buildMs: number;
}) {
  const { options, context, runs, profile } = input;
  const rows: string[][] = [];
  const results = runs.flatMap(run =>
    run.blocks.map(block => {
      const ratio = block.tab.p95 / block.catalog.p95;
      const ratioPass = ratio <= RATIO_TARGET;
      // Views ask the registry nothing; windows lapsing during the block are revalidated, within their budget.
      const viewRequests = block.registryRequests - block.windowRequests;
      const requestsPass =
        viewRequests === 0 && block.windowRequests <= block.windowBudget;
      rows.push([
        run.database,
        block.entity,
        String(block.viewers),
        String(block.views),
        `${formatMs1(block.tab.p50)} / ${formatMs1(block.tab.p95)}`,
        `${formatMs1(block.catalog.p50)} / ${formatMs1(block.catalog.p95)}`,
        `${ratio.toFixed(2)} (≤ ${RATIO_TARGET}) ${
          ratioPass ? 'PASS' : 'MISS'
        }`,
        `${viewRequests} + ${block.windowRequests} window (0 + ≤ ${
          block.windowBudget
        }) ${requestsPass ? 'PASS' : 'MISS'}${
          block.indexComplete ? '' : ' (index incomplete)'
        }`,
      ]);
      return {
        database: run.database,
        ...block,
        ratio,
        ratioPass,
        requestsPass,
      };
    }),
  );
  const table = renderTable(
    `Images tab over HTTP vs two catalog GETs (built backend, NODE_ENV=production; RTT ${
      options.rtt
    } ms via loopback proxy; CNCF Distribution ${
      context.distribution
    }; ${machineNote()})`,
    [
      'database',
      'repository',
      'viewers',
      'views',
      'tab view p50 / p95',
      '2 catalog GETs p50 / p95',
      'p95 tab/catalog (target)',
      'registry requests warm: views + lapsed windows (target)',
    ],
    rows,
    column => column === 2 || column === 3,
  );
  const details = [
    'A tab view: GET overview, then GET the first tags page (page 0, 20 rows, newest first) of the image it names,',
    "with the guest user's token, as the Images tab does on open. Against it, in the same run and interleaved per",
    'viewer: GET the component, then its system, from /api/catalog/entities/by-name. Registry requests are those the',
    'proxy saw during the timed views; each block starts with one untimed tab view (revalidating lapsed windows) and',
    'waits for the registry requests it started. Requests within a block are split: those of views (target 0), and',
    'revalidations of windows that lapsed during it (environment tags 30 s, listing 60 s: images.index defaults), at',
    'most one per environment tag and one listing per lapse; the lanes answer from the lapsed value meanwhile',
    '(stale-while-revalidate, up to 2 minutes). All viewers are the one guest user.',
    ...runs.map(
      run =>
        `  ${run.database}: backend ready in ${formatMs(
          run.startupMs,
        )}, index warm in ${formatMs(
          run.warmupMs,
        )} (RTT 0); priming views made ${run.blocks
          .map(b => b.primeRequests)
          .join(', ')} registry requests`,
    ),
    ...results
      .filter(r => r.registryRequests > 0)
      .map(
        r =>
          `  ${r.database}, ${r.entity}, ${
            r.viewers
          } viewers: ${formatBreakdown(r.registryBreakdown)}`,
      ),
    `Build of the backend and its workspace packages: ${formatMs(
      input.buildMs,
    )}.`,
    ...(profile
      ? [
          `Backend CPU profile of warm tab views (last database, largest repository; ${profile.sampledMs} ms sampled, ${profile.idleMs} ms idle)`,
          '  top self time:',
          ...profile.bySelf
            .slice(0, 12)
            .map(
              e =>
                `    ${e.selfMs.toFixed(1).padStart(8)} ms  ${e.function}  ${
                  e.where
                }`,
            ),
          '  by area (ms): ' +
            Object.entries(profile.byArea)
              .slice(0, 10)
              .map(([area, ms]) => `${area} ${ms}`)
              .join(', '),
        ]
      : []),
  ].join('\n');
  const json = {
    environment: environmentInfo(context.distribution),
    options,
    targets: { ratioP95: RATIO_TARGET, registryRequestsWarm: 0 },
    runs: runs.map(run => ({
      database: run.database,
      startupMs: Math.round(run.startupMs),
      warmupMs: Math.round(run.warmupMs),
    })),
    results: results.map(r => ({
      database: r.database,
      repository: r.entity,
      viewers: r.viewers,
      views: r.views,
      tab: r.tab,
      catalog: r.catalog,
      ratioP95: r.ratio,
      ratioPass: r.ratioPass,
      registryRequests: r.registryRequests,
      registryBreakdown: r.registryBreakdown,
      registryRequestsPass: r.requestsPass,
      primeRequests: r.primeRequests,
      indexComplete: r.indexComplete,
      wallMs: Math.round(r.wallMs),
    })),
    profile,
  };
  return { table, details, json };
}
