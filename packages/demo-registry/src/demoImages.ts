import { createHash } from 'node:crypto';

/**
 * Demo repositories modelled on four real teams' tagging conventions (see shared DESIGN.md, "The real-world
 * workflows Berth replaces"). Each build is an image; `tags` say which build each tag points at now.
 */

export interface DemoBuild {
  /** Key used by `tags` and `signed`. */
  id: string;
  /** Age of the build in hours, before the seeding day's midnight (UTC). */
  hoursAgo: number;
  version?: string;
  /** Platforms; more than one makes the build a multi-arch image index. */
  platforms?: ('amd64' | 'arm64')[];
  /** Size of the application layer, in bytes. */
  appLayerSize: number;
  /** Extra layers beyond base and application (dependencies, assets). */
  extraLayers?: number;
}

export interface DemoRepository {
  /** Name as the catalog annotation writes it. */
  image: string;
  /** Repository path in the registry. */
  repository: string;
  source: string;
  baseLayerSize: number;
  cmd: string[];
  user?: string;
  healthcheck?: string[];
  exposedPorts?: string[];
  builds: DemoBuild[];
  /** Tag → build id. */
  tags: Record<string, string>;
  /** Build ids that carry a cosign signature tag. */
  signed?: string[];
}

/** A stable, realistic-looking git commit id for a build. */
export function commitOf(repository: string, buildId: string): string {
  return createHash('sha1').update(`${repository}#${buildId}`).digest('hex');
}

const short = (repository: string, buildId: string) =>
  commitOf(repository, buildId).slice(0, 7);

const DAY = 24;

function keepkeySupportEmail(): DemoRepository {
  const repository = 'keepkey/support-email';
  const builds: DemoBuild[] = [
    { id: 'b1', hoursAgo: 26 * DAY, appLayerSize: 310_000 },
    { id: 'b2', hoursAgo: 19 * DAY + 5, appLayerSize: 322_000 },
    { id: 'b3', hoursAgo: 12 * DAY + 3, appLayerSize: 330_500 },
    { id: 'b4', hoursAgo: 6 * DAY + 7, appLayerSize: 341_000 },
    { id: 'b5', hoursAgo: 2 * DAY + 2, appLayerSize: 339_000 },
    { id: 'b6', hoursAgo: 5, appLayerSize: 352_000 },
  ];
  const tags: Record<string, string> = {};
  for (const build of builds)
    tags[`${short(repository, build.id)}-dev`] = build.id;
  // latest-dev follows every build; latest (production) was last moved to b4.
  tags['latest-dev'] = 'b6';
  tags.latest = 'b4';
  // Feature branches deploy to preview environments of their own.
  tags['feature-inbox-search'] = 'b5';
  tags['feature-sla-timer'] = 'b6';
  return {
    image: `registry.digitalocean.com/${repository}`,
    repository,
    source: 'https://github.com/keepkey/support-email',
    baseLayerSize: 2_400_000,
    cmd: ['node', 'dist/server.js'],
    user: 'node',
    exposedPorts: ['8080/tcp'],
    builds,
    tags,
  };
}

function theShop(
  service: 'web' | 'api' | 'worker',
  baseLayerSize: number,
  ages: number[],
): DemoRepository {
  const repository = `the-shop/${service}`;
  const builds = ages.map((hoursAgo, i) => ({
    id: `c${i + 1}`,
    hoursAgo,
    appLayerSize: 150_000 + i * 20_000 + baseLayerSize / 20,
    extraLayers: service === 'web' ? 2 : 1,
  }));
  const tags: Record<string, string> = {};
  for (const build of builds) tags[commitOf(repository, build.id)] = build.id;
  return {
    image: `registry.digitalocean.com/${repository}`,
    repository,
    source: 'https://github.com/the-shop/the-shop',
    baseLayerSize,
    cmd:
      service === 'web'
        ? ['nginx', '-g', 'daemon off;']
        : ['python', '-m', `shop.${service}`],
    user: service === 'web' ? undefined : 'app',
    exposedPorts: service === 'worker' ? undefined : ['8000/tcp'],
    builds,
    tags,
  };
}

function gatewayService(): DemoRepository {
  const repository = 'jordigilh/gateway-service';
  const builds: DemoBuild[] = [
    {
      id: 'v1.0.0',
      hoursAgo: 35 * DAY,
      version: '1.0.0',
      platforms: ['amd64', 'arm64'],
      appLayerSize: 1_200_000,
    },
    {
      id: 'v1.1.0',
      hoursAgo: 24 * DAY,
      version: '1.1.0',
      platforms: ['amd64', 'arm64'],
      appLayerSize: 1_250_000,
    },
    {
      id: 'main-1',
      hoursAgo: 15 * DAY,
      platforms: ['amd64'],
      appLayerSize: 1_260_000,
    },
    {
      id: 'v1.2.0',
      hoursAgo: 11 * DAY,
      version: '1.2.0',
      platforms: ['amd64', 'arm64'],
      appLayerSize: 1_300_000,
    },
    {
      id: 'pr-456',
      hoursAgo: 6 * DAY,
      platforms: ['amd64'],
      appLayerSize: 1_330_000,
    },
    {
      id: 'v1.2.3',
      hoursAgo: 4 * DAY,
      version: '1.2.3',
      platforms: ['amd64', 'arm64'],
      appLayerSize: 1_310_000,
    },
    {
      id: 'main-2',
      hoursAgo: 20,
      platforms: ['amd64'],
      appLayerSize: 1_340_000,
    },
  ];
  const tags: Record<string, string> = {
    'v1.0.0': 'v1.0.0',
    'v1.1.0': 'v1.1.0',
    'v1.2.0': 'v1.2.0',
    'v1.2.3': 'v1.2.3',
    'v1.2': 'v1.2.3',
    v1: 'v1.2.3',
    latest: 'v1.2.3',
    'pr-456': 'pr-456',
    'staging-v1.2.3': 'v1.2.3',
    'prod-v1.2.3': 'v1.2.3',
    'prod-v1.2.0': 'v1.2.0',
    dev: 'main-2',
  };
  for (const id of ['main-1', 'main-2', 'v1.2.3'])
    tags[`main-${short(repository, id)}`] = id;
  return {
    image: `quay.io/${repository}`,
    repository,
    source: 'https://github.com/jordigilh/gateway-service',
    baseLayerSize: 3_100_000,
    cmd: ['/usr/local/bin/gateway', '--config', '/etc/gateway/config.yaml'],
    user: '65532:65532',
    healthcheck: ['CMD', '/usr/local/bin/gateway', 'healthcheck'],
    exposedPorts: ['8443/tcp'],
    builds,
    tags,
    signed: ['v1.2.3', 'v1.2.0'],
  };
}

function dotca(): DemoRepository {
  const repository = 'bxtech/dotca';
  const builds: DemoBuild[] = [
    {
      id: 's1',
      hoursAgo: 30 * DAY,
      platforms: ['amd64'],
      appLayerSize: 2_600_000,
      extraLayers: 3,
    },
    {
      id: 's2',
      hoursAgo: 21 * DAY + 4,
      platforms: ['amd64'],
      appLayerSize: 2_650_000,
      extraLayers: 3,
    },
    {
      id: 's3',
      hoursAgo: 13 * DAY + 6,
      platforms: ['amd64', 'arm64'],
      appLayerSize: 2_700_000,
      extraLayers: 3,
    },
    {
      id: 's4',
      hoursAgo: 8 * DAY + 1,
      platforms: ['amd64', 'arm64'],
      appLayerSize: 2_720_000,
      extraLayers: 3,
    },
    {
      id: 's5',
      hoursAgo: 3 * DAY + 9,
      platforms: ['amd64', 'arm64'],
      appLayerSize: 2_760_000,
      extraLayers: 4,
    },
    {
      id: 's6',
      hoursAgo: 9,
      platforms: ['amd64', 'arm64'],
      appLayerSize: 2_800_000,
      extraLayers: 4,
    },
  ];
  const tags: Record<string, string> = {};
  for (const build of builds)
    tags[`staging-${short(repository, build.id)}`] = build.id;
  // Promotions so far: s2, s3 and s4 went to production (main-staging-<sha>); s4 is live; s3 was rolled back
  // once in favour of s2 and then re-promoted, which left a rollback tag for s3's predecessor.
  for (const id of ['s2', 's3', 's4'])
    tags[`main-staging-${short(repository, id)}`] = id;
  tags.staging = 's6';
  tags.canary = 's5';
  tags.main = 's4';
  tags.latest = 's4';
  tags['v1.2.3'] = 's4';
  tags['v1.2.2'] = 's3';
  tags['rollback-20261103-142210-checkout-5xx'] = 's3';
  tags['rollback-20261029-091502-pre-promote'] = 's2';
  return {
    image: `ghcr.io/${repository}`,
    repository,
    source: 'https://github.com/bxtech/dotca',
    baseLayerSize: 4_200_000,
    cmd: ['node', 'server.js'],
    user: 'node',
    healthcheck: [
      'CMD-SHELL',
      'wget -qO- http://127.0.0.1:3000/healthz || exit 1',
    ],
    exposedPorts: ['3000/tcp'],
    builds,
    tags,
    signed: ['s4'],
  };
}

/** All demo repositories. */
export function demoRepositories(): DemoRepository[] {
  return [
    keepkeySupportEmail(),
    theShop('web', 1_800_000, [22 * DAY, 14 * DAY, 7 * DAY, 2 * DAY, 3]),
    theShop('api', 2_900_000, [25 * DAY, 16 * DAY, 9 * DAY, 4 * DAY, 28]),
    theShop('worker', 2_200_000, [27 * DAY, 18 * DAY, 10 * DAY]),
    gatewayService(),
    dotca(),
  ];
}
