/*
 * What the tab part reads and expects: a 10,000-tag repository served as ghcr.io, an entity naming it, the
 * environments, the first tags page, the index's windows and the targets; the seeding, and the check of each answer.
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  RunningRegistry,
  pushTestImage,
  pushTestIndex,
} from '@berth/plugin-images-backend-test-utils';
import type {
  EntityImagesOverview,
  EnvironmentDefinition,
} from '@berth/plugin-images-common';
import { check } from '../checks';
import { seedTags } from '../image';
import { formatMs, log, timed } from '../lib';
import { directClient } from '../registries';

export const REPOSITORY = 'bench/tags';
export const IMAGE = { registry: 'ghcr.io', repository: REPOSITORY };
export const ENTITY_REF = 'component:default/bench';
export const ENVIRONMENTS: EnvironmentDefinition[] = [
  { name: 'development', tag: 'latest-dev' },
  { name: 'staging', tag: 'staging' },
  { name: 'production', tag: 'latest', protected: true },
];
export const ENV_TAGS = new Set(ENVIRONMENTS.map(env => env.tag));
export const FIRST_PAGE = { page: 0, pageSize: 20, sort: 'created' as const };
/**
 * The index's windows during the warm runs: TagIndex's defaults. The two ages are set in the backend's config
 * (`images.index`), so that the report says which windows the warm runs had; the snapshot's age is not a setting.
 */
export const INDEX_OPTIONS = {
  listMaxAgeMs: 60_000,
  environmentMaxAgeMs: 30_000,
  snapshotMaxAgeMs: 1000,
};
/** Page size of the emulated ghcr.io listing (the flavour's maxTagPageSize). */
export const TAG_PAGE = 1000;
/** Warm page views each after the index's row snapshot expired, as a lone viewer meets them. */
export const EXPIRED_VIEWS = 10;
/** Warm calls profiled one at a time: overview and tags (snapshot fresh), and tags with the snapshot expired. */
export const PROFILE_VIEWS = 20;
export const EXPIRED_PROFILE_VIEWS = 5;
export const TARGETS = {
  coldRoundTrips: 5,
  coldOwnMs: 150,
  warmP95Ms: 25,
};
export const CREDENTIALS: BackstageCredentials = {
  $$type: '@backstage/BackstageCredentials',
  principal: { type: 'user', userEntityRef: 'user:default/bench' },
};

export interface TabOptions {
  rtt: number;
  /** Tags in the repository, the three environment tags included. */
  tags: number;
  coldReps: number;
  warmViews: number;
  clients: number;
  clientViews: number;
  /** How long the background completion of the index may take before the warm runs start anyway. */
  completionTimeoutS: number;
}

export const TAB_DEFAULTS: TabOptions = {
  rtt: 50,
  tags: 10_000,
  coldReps: 5,
  warmViews: 50,
  clients: 50,
  clientViews: 20,
  completionTimeoutS: 300,
};

/** The digests the environments' tags and the build tags point at. */
export interface Seeded {
  build: string;
  dev: string;
  staging: string;
  production: string;
}

/**
 * Seeds the repository straight into the registry: `tags` tags, three of them the environments' on three small
 * images (one a 2-platform index). Returns the digests, the time and the tags the registry lists.
 */
export async function seedTabRepository(
  registry: RunningRegistry,
  tags: number,
): Promise<{ seeded: Seeded; ms: number; listedTags: string[] }> {
  const direct = directClient(registry, 16);
  const buildTags = tags - ENVIRONMENTS.length;
  log(
    `Images tab API: seeding ${REPOSITORY}: ${buildTags.toLocaleString(
      'en-US',
    )} build tags on one image, and latest-dev, staging, latest (a 2-platform index)`,
  );
  const seeding = await timed(async (): Promise<Seeded> => {
    const build = await seedTags(
      direct,
      registry.storageDir,
      REPOSITORY,
      buildTags,
    );
    const dev = await pushTestImage(direct, REPOSITORY, ['latest-dev'], {
      layer: 'bench latest-dev',
      created: '2026-11-21T09:00:00Z',
      runConfig: {
        Labels: {
          'org.opencontainers.image.source': 'https://github.com/bench/tags',
          'org.opencontainers.image.revision': 'abc1234def5678',
        },
      },
    });
    const staging = await pushTestImage(direct, REPOSITORY, ['staging'], {
      layer: 'bench staging',
      created: '2026-11-20T09:00:00Z',
    });
    const production = await pushTestIndex(direct, REPOSITORY, ['latest'], {
      layerPrefix: 'bench production',
    });
    return { build: build.digest, dev, staging, production };
  });
  const listed = await direct.listTags(REPOSITORY);
  check(
    listed.tags.length === tags,
    `the registry lists ${listed.tags.length} tags, expected ${tags}`,
  );
  log(`  ${formatMs(seeding.ms)}`);
  return { seeded: seeding.value, ms: seeding.ms, listedTags: listed.tags };
}

/** The three lanes point at the seeded digests, all green, production a 2-platform index. */
export function checkOverview(
  overview: EntityImagesOverview,
  seeded: Seeded,
): void {
  const lanes = overview.images[0]?.environments ?? [];
  const got = lanes.map(l => `${l.name}=${l.status}:${l.digest}`).join(', ');
  check(
    lanes.length === 3 &&
      lanes[0].digest === seeded.dev &&
      lanes[1].digest === seeded.staging &&
      lanes[2].digest === seeded.production &&
      lanes.every(l => l.status === 'GREEN'),
    `unexpected environments: ${got}`,
  );
  check(
    lanes[2].image?.platforms.length === 2,
    `production should be a 2-platform index: ${JSON.stringify(
      lanes[2].image?.platforms,
    )}`,
  );
}
