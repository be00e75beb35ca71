/* bench-results/tab.json: the tab part's options, method, measurements and verdicts. */
import { breakdown } from '../requests';
import { environmentInfo } from '../report';
import { INDEX_OPTIONS, TAG_PAGE, TARGETS } from './tabScenario';
import { TabMeasurements, tabVerdicts } from './tabTable';
import { EXPIRED_PAUSE_MS } from './warm';

export function tabResults(m: TabMeasurements) {
  const { options, cold, paged, completion, calls } = m;
  const { sequential, expired, concurrent } = m.warm;
  const pass = tabVerdicts(m);
  return {
    benchmark: 'images-tab-api',
    date: new Date().toISOString(),
    options,
    environment: environmentInfo(m.distribution),
    method: {
      service:
        'EnvironmentLanesService and TagTableService → TagIndex → TagIndexStore of the images plugin in a test backend (startTestBackend, default service factories), knex better-sqlite3 :memory: (pool 1), each store migrating its tables; registry host ghcr.io (github flavour) via the latency proxy',
      standIns:
        "catalog.getEntityByRef, permissions.authorize (ALLOW) and the cache are the test backend's in-memory mocks; no HTTP/express",
      pageView:
        'overview(entity) and tags(entity, {page 0, pageSize 20, sort created}) started together; time until both answered',
      roundTrips:
        'waves of the requests the answers needed (background completion HEADs left out): a request that starts after every earlier one finished opens a wave',
      ownTime:
        'wall time minus the union of [startedAt, finishedAt] of every request that started before the answers (clipped to the window)',
      warm: `background completion at RTT 0, then RTT ${
        options.rtt
      }; TagIndex windows ${JSON.stringify(
        INDEX_OPTIONS,
      )}; each phase starts as after the scheduled refresh (ensureListed(0), resolveTags(0)) and an untimed page view; a fourth pass profiles overview (100 ms apart) and tags (snapshot fresh / expired) alone`,
    },
    targets: TARGETS,
    seed: {
      ...m.seeding.seeded,
      tags: options.tags,
      ms: Math.round(m.seeding.ms),
    },
    cold: {
      ...cold,
      kept: undefined,
      pass: pass.cold,
      profile: m.coldProfile,
    },
    coldPagedListing: {
      ...paged,
      kept: undefined,
      pageSize: TAG_PAGE,
      pass: pass.paged,
    },
    completion: {
      ms: Math.round(completion.ms),
      complete: completion.complete,
      requests: completion.requests.length,
      breakdown: breakdown(completion.requests),
      latencyMs: 0,
    },
    warm: {
      sequential: { ...sequential, pass: pass.sequential },
      snapshotExpired: {
        ...expired,
        pauseMs: EXPIRED_PAUSE_MS,
        pass: pass.expired,
      },
      concurrent: { ...concurrent, pass: pass.concurrent },
      eachCallAlone: {
        overview: calls.overview,
        tags: calls.tags,
        tagsSnapshotExpired: calls.tagsExpired,
      },
      firstPage: calls.firstPage,
    },
    comparatorCheck: m.sortCheck,
    warnings: m.warnings,
    totalMs: Math.round(performance.now() - m.started),
  };
}
