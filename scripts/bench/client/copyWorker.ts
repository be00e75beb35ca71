/* Child process of the registry client part (crossCopy.ts): runs one Berth cross-registry copy on its own, so that
 * its memory is measured without the latency proxies (which run in the parent and stream every byte too).
 * Input: a CopyJob as JSON in argv[2]. Output: a CopyWorkerResult sent over the IPC channel. */
import {
  copyImage,
  CopyImageResult,
  RegistryClient,
} from '@berth/plugin-images-backend';

export interface CopyJob {
  source: { host: string; baseUrl: string; repository: string; digest: string };
  target: { host: string; baseUrl: string; repository: string; tag: string };
  sampleMs: number;
}

export interface CopyWorkerResult {
  ms: number;
  result: CopyImageResult;
  /** RSS just before the copy (after a GC), in bytes. */
  baselineRss: number;
  /** Highest RSS seen by the sampler during the copy, in bytes. */
  peakRss: number;
  /** The process's maximum RSS over its whole life (getrusage), in bytes. */
  maxRss: number;
  samples: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]) as CopyJob;
  const source = RegistryClient.forEndpoint({
    host: job.source.host,
    baseUrl: job.source.baseUrl,
  });
  const target = RegistryClient.forEndpoint({
    host: job.target.host,
    baseUrl: job.target.baseUrl,
  });
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise(resolve => setTimeout(resolve, 100));
  gc?.();
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  let samples = 0;
  const sampler = setInterval(() => {
    samples++;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, job.sampleMs);
  const started = performance.now();
  const result = await copyImage({
    source: {
      client: source,
      repository: job.source.repository,
      digest: job.source.digest,
    },
    target: {
      client: target,
      repository: job.target.repository,
      tag: job.target.tag,
    },
  });
  const ms = performance.now() - started;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const message: CopyWorkerResult = {
    ms,
    result,
    baselineRss,
    peakRss,
    maxRss: process.resourceUsage().maxRSS * 1024,
    samples,
  };
  process.send!(message, () => process.exit(0));
}

main().catch(error => {
  process.stderr.write(
    `copy worker: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
