import { Entity } from '@backstage/catalog-model';
import {
  EntityImagesOverview,
  ImageDetails,
  ImageOverview,
  PromotionInfo,
  PromotionPlanInfo,
  TagPage,
} from '@berth/plugin-images-common';
import { ImagesApi } from '../api';

/** Fixtures and a fake {@link ImagesApi} for the component tests. */

export const DIGEST_OLD = `sha256:${'a1b2c3d4e5f6'.repeat(5)}a1b2`;
export const DIGEST_NEW = `sha256:${'0f1e2d3c4b5a'.repeat(5)}0f1e`;
export const DIGEST_AMD64 = `sha256:${'1'.repeat(64)}`;
export const DIGEST_ARM64 = `sha256:${'2'.repeat(64)}`;

export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 24 * 3600 * 1000).toISOString();
}

export function entity(
  annotations: Record<string, string>,
  name = 'dotca',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'bxtech', lifecycle: 'production' },
  };
}

export const onboardedEntity = entity({
  'berth.dev/images': 'ghcr.io/bxtech/dotca',
});

export const dotcaOverview: ImageOverview = {
  image: 'ghcr.io/bxtech/dotca',
  registry: 'ghcr.io',
  repository: 'bxtech/dotca',
  environments: [
    {
      name: 'development',
      tag: 'latest-dev',
      protected: false,
      status: 'GREEN',
      digest: DIGEST_NEW,
      image: {
        digest: DIGEST_NEW,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        created: daysAgo(1),
        size: 45_200_000,
        platforms: ['linux/amd64', 'linux/arm64'],
        labels: {},
        source: {
          repository: 'https://github.com/bxtech/dotca',
          revision: '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c',
          commitUrl:
            'https://github.com/bxtech/dotca/commit/0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c',
        },
        signed: true,
        tags: ['latest-dev', 'v1.3.0', 'main-0f1e2d3'],
      },
    },
    {
      name: 'staging',
      tag: 'staging',
      protected: false,
      status: 'GREEN',
      digest: DIGEST_OLD,
      image: {
        digest: DIGEST_OLD,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        created: daysAgo(3),
        size: 44_000_000,
        platforms: ['linux/amd64'],
        labels: {},
        source: { repository: 'https://github.com/bxtech/dotca' },
        signed: false,
        tags: ['staging', 'latest', 'v1.2.3'],
      },
      drift: 'behind',
    },
    {
      name: 'production',
      tag: 'latest',
      protected: true,
      status: 'GREEN',
      digest: DIGEST_OLD,
      image: {
        digest: DIGEST_OLD,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        created: daysAgo(3),
        size: 44_000_000,
        platforms: ['linux/amd64'],
        labels: {},
        source: { repository: 'https://github.com/bxtech/dotca' },
        signed: false,
        tags: ['staging', 'latest', 'v1.2.3'],
      },
      drift: 'same',
    },
    {
      name: 'canary',
      tag: 'canary',
      protected: false,
      status: 'RED',
      message: 'ghcr.io/bxtech/dotca has no tag canary',
    },
  ],
};

export const workerOverview: ImageOverview = {
  image: 'registry.digitalocean.com/the-shop/worker',
  registry: 'registry.digitalocean.com',
  repository: 'the-shop/worker',
  environments: [
    {
      name: 'development',
      tag: 'latest-dev',
      protected: false,
      status: 'GREY',
      message: 'registry.digitalocean.com answered 401 Unauthorized',
    },
    {
      name: 'production',
      tag: 'latest',
      protected: true,
      status: 'GREY',
      message: 'registry.digitalocean.com answered 401 Unauthorized',
    },
  ],
  error: {
    kind: 'unauthorized',
    message:
      'registry.digitalocean.com refused the configured credentials (401): check the token of images.registries[registry.digitalocean.com]',
  },
};

export function overview(...images: ImageOverview[]): EntityImagesOverview {
  return { entityRef: 'component:default/dotca', images };
}

export function tagPage(overrides: Partial<TagPage> = {}): TagPage {
  return {
    image: 'ghcr.io/bxtech/dotca',
    rows: [
      {
        digest: DIGEST_NEW,
        tags: [
          { name: 'latest-dev', kind: 'environment' },
          { name: 'v1.3.0', kind: 'release' },
          { name: 'main-0f1e2d3', kind: 'commit' },
        ],
        created: daysAgo(1),
        size: 45_200_000,
        platforms: ['linux/amd64', 'linux/arm64'],
        signed: true,
        environments: ['development'],
      },
      {
        digest: DIGEST_OLD,
        tags: [
          { name: 'latest', kind: 'environment' },
          { name: 'staging', kind: 'environment' },
          { name: 'v1.2.3', kind: 'release' },
        ],
        created: daysAgo(3),
        size: 44_000_000,
        platforms: ['linux/amd64'],
        signed: false,
        environments: ['staging', 'production'],
      },
      {
        tags: [{ name: 'pr-456', kind: 'pull-request' }],
        environments: [],
      },
    ],
    totalRows: 3,
    page: 0,
    pageSize: 20,
    sort: 'created',
    index: {
      totalTags: 7,
      resolvedTags: 6,
      complete: false,
      truncated: false,
    },
    ...overrides,
  };
}

export const dotcaDetails: ImageDetails = {
  image: 'ghcr.io/bxtech/dotca',
  digest: DIGEST_NEW,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  tags: ['latest-dev', 'v1.3.0'],
  pullCommand: `docker pull ghcr.io/bxtech/dotca@${DIGEST_NEW}`,
  platforms: [
    {
      platform: 'linux/amd64',
      digest: DIGEST_AMD64,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      created: daysAgo(1),
      cmd: ['node', 'server.js'],
      entrypoint: ['/usr/bin/tini', '--'],
      user: 'node',
      healthcheck: ['CMD-SHELL', 'curl -f http://localhost:8080/health'],
      exposedPorts: ['8080/tcp'],
      labels: {
        'org.opencontainers.image.source': 'https://github.com/bxtech/dotca',
      },
      layers: [
        {
          digest: `sha256:${'3'.repeat(64)}`,
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          size: 30_000_000,
        },
        {
          digest: `sha256:${'4'.repeat(64)}`,
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          size: 15_200_000,
        },
      ],
      size: 45_200_000,
    },
    {
      platform: 'linux/arm64',
      digest: DIGEST_ARM64,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      created: daysAgo(1),
      cmd: ['node', 'server.js'],
      exposedPorts: [],
      labels: {},
      layers: [
        {
          digest: `sha256:${'5'.repeat(64)}`,
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          size: 29_000_000,
        },
      ],
      size: 29_000_000,
    },
  ],
  attachments: [
    {
      kind: 'signature',
      source: 'cosign tag',
      digest: `sha256:${'6'.repeat(64)}`,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      tag: `sha256-${'0f1e2d3c4b5a'.repeat(5)}0f1e.sig`,
    },
  ],
  manifest: '{\n  "schemaVersion": 2\n}',
};

export const DIGEST_ROLLBACK = `sha256:${'9e8d7c6b5a4f'.repeat(5)}9e8d`;

/** The gates of an image that passes all but the signature gate. */
export const gatesWithUnsigned = [
  { id: 'size', passed: true, message: '45.2 MB is within 100 MB–2 GB' },
  { id: 'cmd', passed: true, message: 'CMD is node server.js' },
  { id: 'signature', passed: false, message: 'no signature found' },
];

export function promotion(
  overrides: Partial<PromotionInfo> = {},
): PromotionInfo {
  return {
    id: 'p-1',
    image: 'ghcr.io/bxtech/dotca',
    environment: 'staging',
    kind: 'promotion',
    status: 'succeeded',
    requestedBy: 'user:default/alice',
    reason: 'release 1.3',
    source: 'v1.3.0',
    sourceDigest: DIGEST_NEW,
    previousDigest: DIGEST_OLD,
    rollbackTag: 'rollback-20260501-101500-release-1-3',
    tags: ['staging'],
    gates: gatesWithUnsigned.map(gate => ({ ...gate, passed: true })),
    forced: false,
    createdAt: daysAgo(2),
    finishedAt: daysAgo(2),
    ...overrides,
  };
}

export function plan(
  overrides: Partial<PromotionPlanInfo> = {},
): PromotionPlanInfo {
  return {
    image: 'ghcr.io/bxtech/dotca',
    environment: 'staging',
    sourceDigest: DIGEST_NEW,
    currentDigest: DIGEST_OLD,
    rollbackTag: 'rollback-20260501-101500-release-1-3',
    tags: ['staging'],
    noChange: false,
    gates: gatesWithUnsigned.map(gate => ({ ...gate, passed: true })),
    needsApproval: false,
    ...overrides,
  };
}

/** A fake {@link ImagesApi} whose methods are jest mocks, answering with the fixtures unless told otherwise. */
export function fakeImagesApi(
  overrides: Partial<ImagesApi> = {},
): jest.Mocked<ImagesApi> {
  return {
    getOverview: jest.fn(async () => overview(dotcaOverview)),
    getTags: jest.fn(async () => tagPage()),
    getDetails: jest.fn(async () => dotcaDetails),
    getPromotions: jest.fn(async () => []),
    getPromotion: jest.fn(async () => promotion()),
    promote: jest.fn(async (_entityRef, request) =>
      request.dryRun
        ? { dryRun: true as const, plan: plan() }
        : { dryRun: false as const, promotion: promotion() },
    ),
    rollback: jest.fn(async (_entityRef, request) =>
      request.dryRun
        ? {
            dryRun: true as const,
            plan: plan({
              sourceDigest: DIGEST_ROLLBACK,
              currentDigest: DIGEST_OLD,
              tags: [request.environment],
            }),
          }
        : {
            dryRun: false as const,
            promotion: promotion({ kind: 'rollback' }),
          },
    ),
    approvePromotion: jest.fn(async () => promotion()),
    rejectPromotion: jest.fn(async () => promotion({ status: 'rejected' })),
    getApprovalInbox: jest.fn(async () => []),
    getFleet: jest.fn(async () => ({
      environments: ['development', 'staging', 'production'],
      rows: [],
      totalRows: 0,
      page: 0,
      pageSize: 50,
    })),
    holdEnvironment: jest.fn(async (_ref, request: { reason: string }) => ({
      heldBy: 'user:default/guest',
      reason: request.reason,
      heldAt: '2026-12-02T10:00:00.000Z',
    })),
    releaseEnvironment: jest.fn(async () => ({
      heldBy: 'user:default/guest',
      reason: 'Investigating',
      heldAt: '2026-12-02T10:00:00.000Z',
    })),
    ...overrides,
  } as jest.Mocked<ImagesApi>;
}
