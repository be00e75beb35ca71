/*
 * What the registry client part works on: two registries behind latency proxies, seeded straight (no proxy) with a
 * repository of many tags on one small image and a 2-platform image of about 200 MB; and how one measurement is
 * taken (runs, their median time, the requests one run made).
 */
import { RegistryClient } from '@berth/plugin-images-backend';
import { RegistryProxy } from '@berth/plugin-images-backend-test-utils';
import { BigImage, seedBigImage, seedTags } from '../image';
import { formatMB, formatMs, log, timed } from '../lib';
import type { Options } from '../options';
import {
  LatencyProxy,
  directClient,
  startProxiedRegistries,
} from '../registries';
import { RunsSummary, requestsDuring, summarizeRuns } from '../requests';
import { Skopeo, optionalSkopeo } from '../skopeo';

export const TAGS_REPO = 'bench/tags';
export const BIG_REPO = 'bench/big';
export const RESOLVE_COUNT = 20;
/** Berth's per-registry limit, so both sides get the same parallelism. */
export const SKOPEO_INSPECT_CONCURRENCY = 4;
const SEED_CONCURRENCY = 16;

/** A measured side of one row: median time over the runs, and requests of one run (they do not vary). */
export interface Side extends RunsSummary {
  extra?: Record<string, unknown>;
}

export interface Row {
  operation: string;
  berth?: Side;
  skopeo?: Side;
  skopeoNote?: string;
  note?: string;
}

export interface ClientBench {
  options: Options;
  skopeo?: Skopeo;
  proxies: [LatencyProxy, LatencyProxy];
  /** The registries without the proxies: registry 1 for seeding and checks, registry 2 for checks. */
  direct: [RegistryClient, RegistryClient];
  /** A new client of a registry through its proxy. */
  viaProxy(proxy: RegistryProxy): RegistryClient;
  /** The digest every tag of TAGS_REPO points at. */
  smallDigest: string;
  big: BigImage;
  seeding: { tagsMs: number; imageMs: number };
}

export async function setUpClient(options: Options): Promise<ClientBench> {
  const skopeo = optionalSkopeo(
    options.skopeo,
    'skopeo is missing (scripts/bench.sh installs it): measuring Berth only',
  );
  log('starting two registries and a latency proxy in front of each');
  const { registries, proxies } = await startProxiedRegistries(2, options.rtt);
  const direct1 = directClient(registries[0], SEED_CONCURRENCY);
  const direct2 = directClient(registries[1]);

  log(
    `seeding ${options.tags.toLocaleString(
      'en-US',
    )} tags in ${TAGS_REPO} (tag links written into the registry's storage)`,
  );
  const seededTags = await timed(() =>
    seedTags(direct1, registries[0].storageDir, TAGS_REPO, options.tags),
  );
  log(`  ${formatMs(seededTags.ms)}`);
  log(
    `seeding a 2-platform image of ~${options.imageMB} MB in ${BIG_REPO} (layers streamed)`,
  );
  const seededBig = await timed<BigImage>(() =>
    seedBigImage(direct1, BIG_REPO, 'v1', {
      totalMB: options.imageMB,
      platforms: ['linux/amd64', 'linux/arm64'],
      layersPerPlatform: 3,
    }),
  );
  const big = seededBig.value;
  log(
    `  ${formatMB(big.totalBytes)} in ${big.layerCount} layers, ${formatMs(
      seededBig.ms,
    )}; index ${big.digest}`,
  );
  return {
    options,
    skopeo,
    proxies: [proxies[0], proxies[1]],
    direct: [direct1, direct2],
    viaProxy: proxy =>
      RegistryClient.forEndpoint({ host: proxy.host, baseUrl: proxy.url }),
    smallDigest: seededTags.value.digest,
    big,
    seeding: { tagsMs: seededTags.ms, imageMs: seededBig.ms },
  };
}

/** Runs `fn` `reps` times; counts the requests each run made through the proxies. */
export async function measure(
  what: string,
  proxies: RegistryProxy[],
  reps: number,
  fn: (rep: number) => Promise<unknown>,
): Promise<Side> {
  const runs = [];
  for (let rep = 0; rep < reps; rep++)
    runs.push(await requestsDuring(proxies, () => fn(rep)));
  return summarizeRuns(runs, what);
}
