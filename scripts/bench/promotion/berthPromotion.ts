/*
 * One Berth promotion through the images backend's PromotionService and PromotionApprovalService, on backends started as the tests start them,
 * all on the part's database. The environment is protected, so that the run splits in two: a first backend records
 * the request (promote(): the service's own checks and dry plan, then a pending approval; untimed), and a second
 * backend, with new registry clients and connections as skopeo starts afresh, approves it: approve() runs the
 * promotion under the lock (plan, rollback tag, tags, verification), as Promoter.promote() does. That call is timed
 * and its registry requests counted.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import type { PromotionInfo } from '@berth/plugin-images-common';
import { BenchServices, benchEntity, startBenchBackend } from '../backend';
import { check } from '../checks';
import { ProxiedRun, requestsDuring } from '../requests';
import { LatencyProxy } from '../registries';
import {
  ENVIRONMENT,
  PromotionBench,
  REPOSITORY,
  SOURCE_TAG,
} from './promotionSetup';

const ENTITY_REF = 'component:default/bench';
const REQUESTER = mockCredentials.user('user:default/bench');
const APPROVER = mockCredentials.user('user:default/bench-approver');

/** A run of either tool: its time, its requests through the measured proxies, the skopeo processes it started. */
export type PromotionRun = ProxiedRun<unknown> & { processes?: number };

/** The backend's config: both registries, and the one environment promoted to (protected, maybe elsewhere). */
function imagesConfig(
  proxies: LatencyProxy[],
  repository: string | undefined,
): JsonObject {
  return {
    registries: proxies.map(proxy => ({
      host: proxy.host,
      endpoint: proxy.url,
      insecure: true,
    })),
    environments: [
      { ...ENVIRONMENT, protected: true, ...(repository && { repository }) },
    ],
    index: { refreshMinutes: 600 },
  };
}

async function onBackend<T>(
  bench: PromotionBench,
  images: JsonObject,
  fn: (services: BenchServices) => Promise<T>,
): Promise<T> {
  const backend = await startBenchBackend({
    database: bench.db,
    images,
    entities: [benchEntity('bench', `${bench.proxies[0].host}/${REPOSITORY}`)],
  });
  try {
    return await fn(backend.services);
  } finally {
    await backend.stop();
  }
}

/**
 * Promotes `staging` to the environment (its tags in `repository` when given, a template or `host/repository`),
 * counting the requests through `measured`; fails unless the source digest is now there.
 */
export async function promoteWithBerth(
  bench: PromotionBench,
  run: {
    rep: number;
    repository?: string;
    expectedCurrentDigest: string;
    measured: LatencyProxy[];
  },
): Promise<{ run: PromotionRun; rollbackTag?: string }> {
  const images = imagesConfig(bench.proxies, run.repository);
  const requested = await onBackend(bench, images, ({ promotions }) =>
    promotions.promote(ENTITY_REF, REQUESTER, {
      environment: ENVIRONMENT.name,
      source: SOURCE_TAG,
      reason: `bench run ${run.rep}`,
      expectedCurrentDigest: run.expectedCurrentDigest,
    }),
  );
  check(
    !requested.dryRun && requested.promotion.status === 'pending-approval',
    `Berth's promotion request should wait for approval: ${JSON.stringify(
      requested,
    )}`,
  );
  const { id } = (requested as { promotion: PromotionInfo }).promotion;
  const approved = await onBackend(bench, images, ({ approvals }) =>
    requestsDuring(run.measured, () =>
      approvals.approve(ENTITY_REF, APPROVER, id),
    ),
  );
  const record = approved.value;
  check(
    record.status === 'succeeded' && record.sourceDigest === bench.big.digest,
    `Berth's promotion ended ${record.status} with ${record.sourceDigest}: ${
      record.error ?? ''
    }`,
  );
  return { run: approved, rollbackTag: record.rollbackTag };
}
