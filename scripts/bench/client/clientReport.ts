/* The registry client part's table, the lines below it and bench-results/registry.json. */
import { MB, formatMB, formatMs } from '../lib';
import {
  PartResult,
  comparisonTitle,
  environmentInfo,
  renderTable,
  requestsByKind,
  writeResults,
} from '../report';
import { ClientBench, Row } from './clientSetup';
import { CrossCopy, MEMORY_SAMPLE_MS } from './crossCopy';

function renderClientTable(title: string, rows: Row[]): string {
  return renderTable(
    title,
    [
      'operation',
      'Berth time',
      'Berth reqs',
      'skopeo time',
      'skopeo reqs',
      'notes',
    ],
    rows.map(row => [
      row.operation,
      row.berth ? formatMs(row.berth.ms) : '-',
      row.berth ? String(row.berth.requests) : '-',
      row.skopeo ? formatMs(row.skopeo.ms) : row.skopeoNote ?? '-',
      row.skopeo ? String(row.skopeo.requests) : '-',
      row.note ?? '',
    ]),
    column => column > 0,
  );
}

/** The cross-registry copy's row: its note says the throughputs, their ratio and Berth's memory. */
export function crossCopyRow(bench: ClientBench, copy: CrossCopy): Row {
  const mbps = (side: NonNullable<Row['berth']>) =>
    `${(side.extra!.throughputMBs as number).toFixed(0)} MB/s`;
  const ratio = copy.skopeo ? copy.berth.ms / copy.skopeo.ms : undefined;
  return {
    operation: `cross-registry copy 2-platform ~${formatMB(
      bench.big.totalBytes,
    )}`,
    berth: copy.berth,
    skopeo: copy.skopeo,
    note: [
      `Berth ${mbps(copy.berth)}`,
      copy.skopeo && `skopeo ${mbps(copy.skopeo)}`,
      ratio !== undefined && `time ratio Berth/skopeo ${ratio.toFixed(2)}`,
      `Berth peak memory +${(copy.berthPeakDelta / MB).toFixed(0)} MB`,
    ]
      .filter(Boolean)
      .join(', '),
  };
}

export function clientReport(
  bench: ClientBench,
  rows: Row[],
  copy: CrossCopy,
  context: { distribution: string; started: number; retagSkopeoPeak: number },
): PartResult {
  const { options, skopeo, big, seeding } = bench;
  const { berth, skopeo: other, workers } = copy;
  const worker = workers[0];
  const table = renderClientTable(
    comparisonTitle('Berth registry benchmark', {
      rtt: options.rtt,
      distribution: context.distribution,
      skopeoVersion: skopeo?.version,
    }),
    rows,
  );
  const details = [
    '',
    'Requests by kind (one run):',
    ...requestsByKind(rows),
    '',
    `Cross-registry copy: requests to source/target registry: Berth ${
      berth.extra!.sourceRequests
    }/${berth.extra!.targetRequests}${
      other
        ? `, skopeo ${other.extra!.sourceRequests}/${
            other.extra!.targetRequests
          }`
        : ''
    }; Berth uploaded ${worker.result.blobsUploaded} blobs (${formatMB(
      worker.result.bytesUploaded,
    )}) and wrote ${
      worker.result.manifestsWritten
    } manifests per copy; times per run: Berth ${berth.runsMs
      .map(formatMs)
      .join(', ')}${
      other ? `; skopeo ${other.runsMs.map(formatMs).join(', ')}` : ''
    }.`,
    `Berth memory: each copy ran alone in a child process (the proxies stay in this one); RSS sampled every ${MEMORY_SAMPLE_MS} ms ` +
      `minus the RSS before the copy: +${workers
        .map(w => formatMB(w.peakRss - w.baselineRss))
        .join(', +')} ` +
      `(baseline ${formatMB(worker.baselineRss)}; getrusage maxRSS ${formatMB(
        worker.maxRss,
      )}); the largest is in the table.`,
    other
      ? `skopeo memory: peak RSS of the whole process (VmHWM, sampled) ${formatMB(
          copy.skopeoPeakRss,
        )} for the cross-registry copy, ${formatMB(
          context.retagSkopeoPeak,
        )} for a retag.`
      : undefined,
    `Times: median of ${options.reps} runs for list/resolve/retag and of ${options.copyReps} for the big copy; skopeo times include starting its process.`,
    `Seeding (direct, no proxy): ${options.tags.toLocaleString(
      'en-US',
    )} tags in ${formatMs(seeding.tagsMs)}, ${formatMB(
      big.totalBytes,
    )} image in ${formatMs(seeding.imageMs)}. Whole run ${formatMs(
      performance.now() - context.started,
    )}.`,
  ]
    .filter((line): line is string => typeof line === 'string')
    .join('\n');
  const json = {
    benchmark: 'registry',
    date: new Date().toISOString(),
    options,
    environment: environmentInfo(context.distribution, skopeo ?? null),
    seed: {
      tags: options.tags,
      tagsMs: Math.round(seeding.tagsMs),
      image: big,
      imageMs: Math.round(seeding.imageMs),
    },
    rows,
    memory: {
      method: `Berth copy alone in a child process; process.memoryUsage().rss every ${MEMORY_SAMPLE_MS} ms minus the rss before the copy (after GC)`,
      berthPeakRssDeltaMB: workers.map(w => (w.peakRss - w.baselineRss) / MB),
      berthBaselineRssMB: workers.map(w => w.baselineRss / MB),
      berthMaxRssMB: workers.map(w => w.maxRss / MB),
      skopeoCrossPeakRssMB: other ? copy.skopeoPeakRss / MB : null,
      skopeoRetagPeakRssMB: skopeo ? context.retagSkopeoPeak / MB : null,
    },
    totalMs: Math.round(performance.now() - context.started),
  };
  writeResults('registry', json);
  return { table, details, json };
}
