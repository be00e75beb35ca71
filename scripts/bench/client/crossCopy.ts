/*
 * (d) The 2-platform image copied from registry 1 to registry 2, each run into a fresh repository, Berth (copyImage
 * alone in a child process, for its memory) and skopeo taking turns to go first; each copy checked afterwards,
 * straight against registry 2 (the tag and every manifest and blob under the index).
 */
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { checkImageComplete } from '../checks';
import { MB, formatMB, log, onCleanup, takeTurns } from '../lib';
import { ProxiedRun, requestsDuring, summarizeRuns } from '../requests';
import { SkopeoRun, skopeoCopy } from '../skopeo';
import { BIG_REPO, ClientBench, Side } from './clientSetup';
import type { CopyJob, CopyWorkerResult } from './copyWorker';

export const MEMORY_SAMPLE_MS = 20;

function runCopyWorker(job: CopyJob): Promise<CopyWorkerResult> {
  return new Promise((resolvePromise, reject) => {
    let child: ChildProcess | undefined = fork(
      join(__dirname, 'copyWorker.ts'),
      [JSON.stringify(job)],
      {
        execArgv: [...process.execArgv, '--expose-gc'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    onCleanup(() => {
      child?.kill('SIGKILL');
    });
    let result: CopyWorkerResult | undefined;
    child.on('message', message => {
      result = message as CopyWorkerResult;
    });
    child.once('error', reject);
    child.once('exit', code => {
      child = undefined;
      if (result) resolvePromise(result);
      else
        reject(
          new Error(
            `the Berth copy worker exited with ${code} without a result`,
          ),
        );
    });
  });
}

/** The copies of one side: median time, requests of the last one at the source's and the target's proxy. */
function combine(
  runs: Array<ProxiedRun<unknown> & { ms: number }>,
  what: string,
  totalBytes: number,
): Side {
  const summary = summarizeRuns(runs, what);
  const last = runs[runs.length - 1];
  return {
    ...summary,
    extra: {
      sourceRequests: last.perProxy[0].length,
      targetRequests: last.perProxy[1].length,
      throughputMBs: totalBytes / MB / (summary.ms / 1000),
    },
  };
}

export interface CrossCopy {
  berth: Side;
  skopeo?: Side;
  workers: CopyWorkerResult[];
  berthPeakDelta: number;
  skopeoPeakRss: number;
}

export async function crossRegistryCopy(
  bench: ClientBench,
): Promise<CrossCopy> {
  const { options, skopeo, proxies, big } = bench;
  const [proxy1, proxy2] = proxies;
  const copying = (rep: number, who: string) =>
    log(
      `(d) cross-registry copy of ${formatMB(big.totalBytes)}, run ${rep}/${
        options.copyReps
      }: ${who}`,
    );
  const runs = await takeTurns<
    ProxiedRun<unknown> & { worker?: CopyWorkerResult }
  >(options.copyReps, {
    berth: async rep => {
      copying(rep, 'Berth (child process)');
      const repository = `bench/copy-berth-${rep}`;
      const copied = await requestsDuring(proxies, () =>
        runCopyWorker({
          source: {
            host: proxy1.host,
            baseUrl: proxy1.url,
            repository: BIG_REPO,
            digest: big.digest,
          },
          target: {
            host: proxy2.host,
            baseUrl: proxy2.url,
            repository,
            tag: 'v1',
          },
          sampleMs: MEMORY_SAMPLE_MS,
        }),
      );
      await checkImageComplete(
        bench.direct[1],
        repository,
        ['v1'],
        big.digest,
        'Berth',
      );
      // The worker's own time: without starting the child process.
      return { ...copied, ms: copied.value.ms, worker: copied.value };
    },
    skopeo:
      skopeo &&
      (async rep => {
        copying(rep, 'skopeo');
        const repository = `bench/copy-skopeo-${rep}`;
        const copied = await requestsDuring(proxies, () =>
          skopeoCopy(
            skopeo,
            `${proxy1.host}/${BIG_REPO}@${big.digest}`,
            `${proxy2.host}/${repository}:v1`,
          ),
        );
        await checkImageComplete(
          bench.direct[1],
          repository,
          ['v1'],
          big.digest,
          'skopeo',
        );
        return { ...copied, ms: copied.value.ms };
      }),
  });
  const workers = runs.berth.map(run => run.worker!);
  const peaks = runs.skopeo.map(run => (run.value as SkopeoRun).peakRss);
  const berthPeakDelta = Math.max(
    ...workers.map(w => w.peakRss - w.baselineRss),
  );
  const berth = combine(
    runs.berth,
    'cross-registry copy, Berth',
    big.totalBytes,
  );
  berth.extra = {
    ...berth.extra,
    peakRssDeltaMB: berthPeakDelta / MB,
    peakRssDeltaMBPerRun: workers.map(w =>
      Math.round((w.peakRss - w.baselineRss) / MB),
    ),
    baselineRssMB: workers.map(w => Math.round(w.baselineRss / MB)),
    maxRssMB: workers.map(w => Math.round(w.maxRss / MB)),
    result: workers[0].result,
  };
  const skopeoPeakRss = Math.max(0, ...peaks);
  const other =
    runs.skopeo.length > 0
      ? combine(runs.skopeo, 'cross-registry copy, skopeo', big.totalBytes)
      : undefined;
  if (other) other.extra = { ...other.extra, peakRssMB: skopeoPeakRss / MB };
  return { berth, skopeo: other, workers, berthPeakDelta, skopeoPeakRss };
}
