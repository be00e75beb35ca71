/*
 * The indexing part: what completing the tag index of a repository of CI builds costs (a tag and a distinct digest
 * per build, every tenth multi-arch), through the OCI Distribution API and through each registry product's own tag
 * API (replayed: see vendorListings.ts), behind the latency proxy; then what re-indexing costs after 100 new builds.
 * The backend is started as the tests start it, one per scenario on a fresh database; the index is asked as the
 * scheduled refresh asks it (a fresh listing, then completion).
 */
import { startVendorApiReplay } from '@berth/plugin-images-backend-test-utils';
import { check } from '../checks';
import { formatMs, log, onCleanup, timed } from '../lib';
import { memoryDatabase, startBenchBackend } from '../backend';
import { startProxiedRegistries } from '../registries';
import {
  environmentInfo,
  machineNote,
  PartResult,
  renderTable,
  writeResults,
} from '../report';
import { breakdown, formatBreakdown } from '../requests';
import { seedCiBuilds, SeededBuild } from '../seedBuilds';
import {
  AUTH_REQUESTS,
  LISTING_SCENARIOS,
  ListingScenario,
  NEWEST_FIRST,
  PAGE_SIZES,
  registryConfig,
  replayListing,
} from './vendorListings';

export interface IndexingOptions {
  rtt: number;
  /** Builds (tags, distinct digests) in each scenario's repository. */
  builds: number;
  /** Builds added before the re-index. */
  newBuilds: number;
  /** The listings measured. */
  listings: ListingScenario[];
}

export const INDEXING_DEFAULTS = {
  builds: 10_000,
  newBuilds: 100,
  listings: LISTING_SCENARIOS,
};

const HOST = 'registry.bench';
/** Requests per digest a description may take on average: a manifest and a config, an index's child too. */
const PER_DIGEST = 2.3;

interface Measured {
  ms: number;
  api: number;
  registry: number;
  breakdown: Record<string, number>;
}

interface ScenarioResult {
  scenario: ListingScenario;
  full: Measured & { target: string; pass: boolean };
  again: Measured & { target: string; pass: boolean };
}

export async function runIndexing(
  options: IndexingOptions,
  context: { distribution: string },
): Promise<PartResult> {
  const {
    registries: [registry],
    proxies: [proxy],
  } = await startProxiedRegistries(1, options.rtt, '/dev/shm');
  const replay = await startVendorApiReplay();
  onCleanup(() => replay.stop());

  const results: ScenarioResult[] = [];
  for (const scenario of options.listings) {
    const repository = `bench/builds-${scenario}`;
    log(`indexing: seeding ${options.builds} builds into ${repository}`);
    const seeded = await seedCiBuilds(registry.url, repository, {
      builds: options.builds,
      storageDir: registry.storageDir,
    });
    const builds: SeededBuild[] = [...seeded.builds];
    replayListing(replay, scenario, repository, () => builds, options.rtt);

    const backend = await startBenchBackend({
      database: memoryDatabase(),
      images: {
        registries: [registryConfig(scenario, HOST, proxy.url, replay.url)],
        environments: [{ name: 'production', tag: 'latest' }],
      },
      entities: [],
    });
    const { index } = backend.services;
    const image = { registry: HOST, repository };
    const measure = async (): Promise<Measured> => {
      proxy.reset();
      replay.requests.length = 0;
      const run = await timed(async () => {
        await index.ensureListed(image, 0);
        await index.complete(image);
      });
      const counts = breakdown(proxy.requests);
      return {
        ms: run.ms,
        api: replay.requests.length,
        registry: proxy.requests.length,
        breakdown: counts,
      };
    };
    const verify = async (expected: SeededBuild[]) => {
      const snapshot = await index.snapshot(image);
      check(snapshot.complete, `${scenario}: the index is not complete`);
      check(
        snapshot.tags.length === expected.length,
        `${scenario}: ${snapshot.tags.length} tags indexed, ${expected.length} pushed`,
      );
      for (const build of expected) {
        check(
          snapshot.byTag.get(build.tag)?.digest === build.digest,
          `${scenario}: ${build.tag} indexed at the wrong digest`,
        );
      }
    };

    log(`indexing: ${scenario}, complete index`);
    const full = await measure();
    await verify(builds);
    const pagesOf = (tags: number) =>
      scenario === 'distribution' ? 1 : Math.ceil(tags / PAGE_SIZES[scenario]);
    const pages = pagesOf(builds.length) + AUTH_REQUESTS[scenario];
    const described = scenario === 'dockerhub' || scenario === 'harbor';
    const fullTarget =
      scenario === 'distribution'
        ? { target: 'baseline', pass: true }
        : {
            target: `≤ ${pages + 1} API + ${
              described ? 0 : Math.round(PER_DIGEST * builds.length)
            } registry`,
            pass:
              full.api <= pages + 1 &&
              full.registry <=
                (described ? 0 : Math.round(PER_DIGEST * builds.length)),
          };

    log(`indexing: ${scenario}, ${options.newBuilds} new builds`);
    const added = await seedCiBuilds(registry.url, repository, {
      builds: options.newBuilds,
      storageDir: registry.storageDir,
      tagOf: n => `build-new-${String(n).padStart(5, '0')}`,
      firstCreated: new Date(
        Date.parse(builds[builds.length - 1].created) + 60_000,
      ),
      multiArchEvery: 10,
    });
    builds.push(...added.builds);
    const again = await measure();
    await verify(builds);
    // A newest-first listing stops at the first page it knows; the others list every page again.
    const listingPages = NEWEST_FIRST[scenario] ? 2 : pagesOf(builds.length);
    // Each new build described once (a HEAD first where the listing has no digests); nothing where it describes.
    const perBuild =
      (described ? 0 : PER_DIGEST) + (scenario === 'distribution' ? 1 : 0);
    const budget = listingPages + Math.round(perBuild * options.newBuilds);
    results.push({
      scenario,
      full: { ...full, ...fullTarget },
      again: {
        ...again,
        target: `≤ ${budget} in all`,
        pass: again.api + again.registry <= budget,
      },
    });
    await backend.stop();
  }
  return report(results, options, context);
}

function report(
  results: ScenarioResult[],
  options: IndexingOptions,
  context: { distribution: string },
): PartResult {
  const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');
  const rows = results.flatMap(({ scenario, full, again }) => [
    [
      scenario,
      `complete index, ${options.builds.toLocaleString('en-US')} builds`,
      String(full.api),
      String(full.registry),
      formatMs(full.ms),
      full.target,
      full.target === 'baseline' ? '—' : verdict(full.pass),
    ],
    [
      scenario,
      `re-index after ${options.newBuilds} new builds`,
      String(again.api),
      String(again.registry),
      formatMs(again.ms),
      again.target,
      verdict(again.pass),
    ],
  ]);
  const table = renderTable(
    `Indexing a repository of CI builds (a digest per build, every 10th multi-arch), RTT ${options.rtt} ms`,
    [
      'listing',
      'work',
      'API requests',
      'registry requests',
      'time',
      'target',
      'verdict',
    ],
    rows,
    column => column >= 2 && column <= 4,
  );
  const details = [
    'Registry requests by kind (complete index | re-index):',
    ...results.map(
      r =>
        `  ${r.scenario}: ${formatBreakdown(
          r.full.breakdown,
        )} | ${formatBreakdown(r.again.breakdown)}`,
    ),
    'Product APIs are replayed in their documented shapes (they cannot run here); the registry is CNCF Distribution',
    `${context.distribution}. ${machineNote()}`,
  ].join('\n');
  const json = {
    ...environmentInfo(context.distribution),
    options,
    results,
  };
  writeResults('indexing', json);
  return { table, details, json };
}
