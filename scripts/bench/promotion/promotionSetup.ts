/*
 * What the promotion part works on: two registries behind the latency proxy, the big image as `staging` and another
 * 2-platform index in the environment (both straight into registry 1), and one database for the whole part, as one
 * backend keeps it.
 */
import { RegistryClient } from '@berth/plugin-images-backend';
import { pushTestIndex } from '@berth/plugin-images-backend-test-utils';
import { Knex } from 'knex';
import { memoryDatabase } from '../backend';
import { blobSizes } from '../checks';
import { BigImage, seedBigImage } from '../image';
import { formatMB, formatMs, log, onCleanup, timed } from '../lib';
import {
  LatencyProxy,
  directClient,
  startProxiedRegistries,
} from '../registries';
import { Skopeo, optionalSkopeo } from '../skopeo';

export const REPOSITORY = 'bench/app';
export const SOURCE_TAG = 'staging';
export const ENVIRONMENT = {
  name: 'production',
  tag: 'latest',
  alsoTag: ['main'],
};
export const ENVIRONMENT_TAGS = [ENVIRONMENT.tag, ...ENVIRONMENT.alsoTag];

export interface PromotionOptions {
  rtt: number;
  imageMB: number;
  /** Runs of the same-repository promotion. */
  reps: number;
  /** Runs of the cross-repository and cross-registry promotions (they move the big image). */
  copyReps: number;
  skopeo: boolean;
}

/** What the scenarios share. */
export interface PromotionBench {
  options: PromotionOptions;
  skopeo?: Skopeo;
  /** Registry 1 (the image's) and registry 2, through their latency proxies. */
  proxies: [LatencyProxy, LatencyProxy];
  /** The same registries without the proxies, for seeding and checks. */
  direct: [RegistryClient, RegistryClient];
  /** The audit trail and the locks: one database for every backend of the part. */
  db: Knex;
  /** The source image (`staging`) and the digest the environment holds before each same-repository run. */
  big: BigImage;
  current: string;
  seededMs: number;
  /** Digest → size of every blob under both images, to count the bytes uploaded. */
  sizes: Map<string, number>;
  /** The source, as skopeo reads it: `host/repository@digest` through proxy 1. */
  source: string;
  /** Puts the environment back on the current image (untimed, straight to the registry). */
  resetEnvironment(): Promise<void>;
}

export async function setUpPromotion(
  options: PromotionOptions,
): Promise<PromotionBench> {
  const skopeo = optionalSkopeo(
    options.skopeo,
    'promotion: skopeo is missing: measuring Berth only',
  );
  log(
    'promotion: starting two registries and a latency proxy in front of each',
  );
  const { registries, proxies } = await startProxiedRegistries(2, options.rtt);
  const [direct1, direct2] = registries.map(registry =>
    directClient(registry, 16),
  );
  const db = memoryDatabase();
  onCleanup(() => db.destroy());

  log(
    `promotion: seeding a 2-platform image of ~${
      options.imageMB
    } MB as ${REPOSITORY}:${SOURCE_TAG} (layers streamed), and another index as ${ENVIRONMENT_TAGS.join(
      ', ',
    )}`,
  );
  const seeded = await timed(async () => {
    const big = await seedBigImage(direct1, REPOSITORY, SOURCE_TAG, {
      totalMB: options.imageMB,
      platforms: ['linux/amd64', 'linux/arm64'],
      layersPerPlatform: 3,
    });
    const current = await pushTestIndex(direct1, REPOSITORY, ENVIRONMENT_TAGS, {
      layerPrefix: 'bench production now',
    });
    return { big, current };
  });
  const { big, current } = seeded.value;
  log(
    `  ${formatMB(big.totalBytes)} in ${big.layerCount} layers, ${formatMs(
      seeded.ms,
    )}; source ${big.digest}, environment ${current}`,
  );
  const sizes = await blobSizes(direct1, REPOSITORY, [big.digest, current]);
  const currentManifest = await direct1.getManifest(REPOSITORY, current);
  return {
    options,
    skopeo,
    proxies: [proxies[0], proxies[1]],
    direct: [direct1, direct2],
    db,
    big,
    current,
    seededMs: seeded.ms,
    sizes,
    source: `${proxies[0].host}/${REPOSITORY}@${big.digest}`,
    async resetEnvironment() {
      for (const tag of ENVIRONMENT_TAGS)
        await direct1.putManifest(
          REPOSITORY,
          tag,
          currentManifest.bytes,
          currentManifest.mediaType,
        );
    },
  };
}
