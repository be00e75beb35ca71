/*
 * The promotion part of `yarn bench`: the images backend's promotion path (PromotionService, started as the tests
 * start the backend, on SQLite in memory) against two CNCF Distribution registries behind the latency proxy, side by
 * side with `skopeo copy --all --preserve-digests` doing the same registry writes: within the repository, into
 * another repository and into another registry (promotionScenarios.ts). After every run the tags are checked
 * straight against the registry (and, across repositories, every manifest and blob under the index): the benchmark
 * fails if a tool left another digest.
 *
 * Run by registry.ts (`yarn bench`, or `yarn bench --only=promotion`); prints a table and writes
 * bench-results/promotion.json.
 */
import { formatMB } from '../lib';
import { PartResult } from '../report';
import {
  SAME_REPOSITORY_MAX_ROUND_TRIPS,
  promotionReport,
  scenario,
} from './promotionReport';
import { crossPromotion, sameRepository } from './promotionScenarios';
import { PromotionOptions, setUpPromotion } from './promotionSetup';

export type { PromotionOptions } from './promotionSetup';

export async function runPromotion(
  options: PromotionOptions,
  context: { distribution: string },
): Promise<PartResult> {
  const started = performance.now();
  const bench = await setUpPromotion(options);
  const size = formatMB(bench.big.totalBytes);

  const same = scenario(bench, await sameRepository(bench), {
    key: 'same-repository',
    operation: 'same repository, 2-platform index',
    maxRoundTrips: SAME_REPOSITORY_MAX_ROUND_TRIPS,
    note: () =>
      'latest + main over another image: Berth plans, keeps a rollback tag, verifies; skopeo: 3 copies (rollback, latest, main)',
  });
  const crossRepository = scenario(
    bench,
    await crossPromotion(
      bench,
      `(2) cross-repository promotion of ${size}`,
      'another repository',
    ),
    {
      key: 'cross-repository',
      operation: `other repository, ~${size}`,
      note: skopeo =>
        `{registry}/{repository}-prod: Berth mounts; skopeo: 2 copies, a fresh blob-info cache each${
          skopeo && skopeo.blobsMounted === 0 ? ', so it streams' : ''
        }`,
    },
  );
  const crossRegistry = scenario(
    bench,
    await crossPromotion(
      bench,
      `(3) cross-registry promotion of ${size}`,
      'another registry',
    ),
    {
      key: 'cross-registry',
      operation: `other registry, ~${size}`,
      note: () => 'registry 2: Berth streams; skopeo: 2 copies',
    },
  );

  return promotionReport(bench, [same, crossRepository, crossRegistry], {
    distribution: context.distribution,
    started,
  });
}
