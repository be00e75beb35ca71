/*
 * The events part: what a registry's push event costs compared with the scheduled refresh it spares, for a fleet of
 * onboarded entities (each its own repository, with three environments whose tags point at two builds), behind the
 * latency proxy. The backend is started as the tests start it; the event goes to the same service the
 * `/events/{registry}` route calls, and "an open tab shows it" is the signal the tab listens to, then the tags page
 * it reads again.
 */
import { pushTestImage } from '@berth/plugin-images-backend-test-utils';
import type { TagPage } from '@berth/plugin-images-common';
import { mockCredentials } from '@backstage/backend-test-utils';
import { SignalPayload } from '@backstage/plugin-signals-node';
import { benchEntity, memoryDatabase, startBenchBackend } from '../backend';
import { check } from '../checks';
import { formatMs, log, mapPool, onCleanup, sleep, timed } from '../lib';
import {
  directClient,
  startProxiedRegistries,
  BENCH_ENVIRONMENTS,
} from '../registries';
import {
  environmentInfo,
  machineNote,
  PartResult,
  renderTable,
  writeResults,
} from '../report';
import { breakdown, formatBreakdown } from '../requests';
import { median } from '../stats';

export interface EventsOptions {
  rtt: number;
  /** Onboarded entities, one repository each. */
  entities: number;
  /** Push events measured (each a different repository). */
  pushes: number;
}

export const EVENTS_DEFAULTS = { entities: 1000, pushes: 5 };

const TOKEN = 'bench-events-token';
const ENVIRONMENTS = BENCH_ENVIRONMENTS;
const ENV_TAGS = ENVIRONMENTS.map(env => env.tag);
const CREDENTIALS = mockCredentials.user('user:default/bench');
const repositoryOf = (i: number) => `fleet/svc-${i}`;

export async function runEvents(
  options: EventsOptions,
  context: { distribution: string },
): Promise<PartResult> {
  const {
    registries: [registry],
    proxies: [proxy],
  } = await startProxiedRegistries(1, options.rtt);
  const direct = directClient(registry, 16);

  // Each service: an older build production runs, a newer one in development and staging.
  log(`events: seeding ${options.entities} repositories, two builds each`);
  const seeding = await timed(() =>
    mapPool(
      Array.from({ length: options.entities }, (_, i) => i),
      8,
      async i => {
        await pushTestImage(direct, repositoryOf(i), ['latest'], {
          layer: `svc ${i} build 1`,
        });
        await pushTestImage(
          direct,
          repositoryOf(i),
          ['latest-dev', 'staging'],
          {
            layer: `svc ${i} build 2`,
          },
        );
      },
    ),
  );
  log(`events: seeded in ${formatMs(seeding.ms)}`);

  const signals: Array<{ at: number; signal: SignalPayload }> = [];
  const backend = await startBenchBackend({
    database: memoryDatabase(),
    images: {
      registries: [
        {
          host: 'ghcr.io',
          endpoint: proxy.url,
          insecure: true,
          events: { token: TOKEN },
        },
      ],
      environments: ENVIRONMENTS,
      // The scheduled refresh is run by the benchmark, not by the scheduler.
      index: { refreshMinutes: 24 * 60 },
    },
    entities: Array.from({ length: options.entities }, (_, i) =>
      benchEntity(`svc-${i}`, `ghcr.io/${repositoryOf(i)}`),
    ),
    onSignal: signal => signals.push({ at: performance.now(), signal }),
  });
  onCleanup(() => backend.stop());
  const { index, events, tagTable } = backend.services;

  // The scheduled refresh as the plugin runs it: every onboarded image in turn, listing and environment tags.
  const scheduledRefresh = async () => {
    proxy.reset();
    const run = await timed(async () => {
      for (let i = 0; i < options.entities; i++) {
        await index.refresh(
          { registry: 'ghcr.io', repository: repositoryOf(i) },
          ENV_TAGS,
        );
      }
    });
    // The index completes in the background after a refresh: wait until the registry hears nothing more.
    let seen = -1;
    while (proxy.requests.length !== seen) {
      seen = proxy.requests.length;
      await sleep(500);
    }
    return { ms: run.ms, requests: breakdown(proxy.requests), total: seen };
  };
  log('events: the first scheduled refresh (cold index)');
  const cold = await scheduledRefresh();
  log('events: the next scheduled refresh (nothing changed)');
  const steady = await scheduledRefresh();

  log(`events: ${options.pushes} push events`);
  const pushes: Array<{
    toSignalMs: number;
    toVisibleMs: number;
    requests: number;
    kinds: Record<string, number>;
  }> = [];
  for (let p = 0; p < options.pushes; p++) {
    const repository = repositoryOf(p);
    // CI builds and tags a new image for staging, straight to the registry (not through the proxy).
    const pushed = await pushTestImage(direct, repository, ['staging'], {
      layer: `svc ${p} build 3`,
    });
    proxy.reset();
    const before = signals.length;
    const started = performance.now();
    await events.receive(
      'ghcr.io',
      { authorization: `Bearer ${TOKEN}` },
      {
        events: [
          {
            action: 'push',
            target: { repository, tag: 'staging', digest: pushed },
          },
        ],
      },
    );
    while (signals.length === before) await sleep(5);
    const toSignalMs = signals[before].at - started;
    const page = (await tagTable.tags(
      `component:default/svc-${p}`,
      CREDENTIALS,
      { page: 0, pageSize: 20 },
    )) as TagPage;
    const toVisibleMs = performance.now() - started;
    const row = page.rows.find(r => r.digest === pushed);
    check(
      row?.tags.some(tag => tag.name === 'staging'),
      `the tags page of ${repository} shows staging on ${pushed}`,
    );
    pushes.push({
      toSignalMs,
      toVisibleMs,
      requests: proxy.requests.length,
      kinds: breakdown(proxy.requests),
    });
  }

  const envTags = options.entities * ENV_TAGS.length;
  const rows = [
    [
      'push event (one tag)',
      String(median(pushes.map(p => p.requests))),
      '-',
      `${formatMs(
        median(pushes.map(p => p.toSignalMs)),
      )} to the signal, ${formatMs(
        median(pushes.map(p => p.toVisibleMs)),
      )} until the tags page shows it`,
    ],
    [
      'scheduled refresh, first (cold index)',
      String(cold.total),
      (cold.total / envTags).toFixed(2),
      formatMs(cold.ms),
    ],
    [
      'scheduled refresh, nothing changed',
      String(steady.total),
      (steady.total / envTags).toFixed(2),
      `${formatMs(
        steady.ms,
      )} (a push waits up to the refresh interval, 10 min by default)`,
    ],
  ];
  const table = renderTable(
    `Registry events vs the scheduled refresh (${options.entities} entities × ${
      ENV_TAGS.length
    } environments; RTT ${
      options.rtt
    } ms via loopback proxy; CNCF Distribution ${
      context.distribution
    }; ${machineNote()})`,
    ['what', 'registry requests', 'per environment tag', 'time'],
    rows,
    column => column === 1 || column === 2,
  );
  const details = [
    'Requests by kind',
    `  push event: ${formatBreakdown(pushes[0]?.kinds ?? {})}`,
    `  scheduled refresh, cold: ${formatBreakdown(cold.requests)}`,
    `  scheduled refresh, nothing changed: ${formatBreakdown(steady.requests)}`,
    'The push event includes the 500 ms window in which events for one repository are gathered.',
  ].join('\n');
  const json = {
    environment: environmentInfo(context.distribution),
    options,
    pushEvents: pushes,
    scheduledRefresh: { cold, steady },
  };
  writeResults('events', json);
  return { table, details, json };
}
