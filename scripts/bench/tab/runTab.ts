/*
 * The Images tab API part of `yarn bench`: the images backend started in this process as its tests start it, on
 * SQLite in memory, reading a 10,000-tag repository of a CNCF Distribution registry behind the latency proxy. It
 * measures what the tab does when it opens (the environments overview and the first tags page, started together):
 * cold (fresh backend: database, index and registry client) and warm (index complete), one viewer at a time and 50
 * at once. The catalog and permission services are the test backend's in-memory mocks; no HTTP request is made.
 *
 * Run by registry.ts (`yarn bench`, or `yarn bench --only=tab`); prints a table and writes bench-results/tab.json.
 */
import { log, onCleanup } from '../lib';
import { startProxiedRegistries } from '../registries';
import { PartResult, writeResults } from '../report';
import { coldRun, coldSeries } from './cold';
import { cpuProfile } from './cpuProfile';
import { Recorder } from './spans';
import { Harness, TabBench, startHarness } from './tabBackend';
import { tabDetails } from './tabDetails';
import { tabResults } from './tabResults';
import { ENV_TAGS, TabOptions, seedTabRepository } from './tabScenario';
import { TabMeasurements, renderTabTable } from './tabTable';
import { completeIndex, warmPhases } from './warm';
import { compareSorts, profileWarmCalls } from './warmCalls';

export { TAB_DEFAULTS } from './tabScenario';
export type { TabOptions } from './tabScenario';

export async function runTab(
  options: TabOptions,
  context: { distribution: string },
): Promise<PartResult> {
  const started = performance.now();
  log('Images tab API: starting a registry and a latency proxy');
  const {
    registries: [registry],
    proxies: [proxy],
  } = await startProxiedRegistries(1, options.rtt);
  const { seeded, ms, listedTags } = await seedTabRepository(
    registry,
    options.tags,
  );
  const sortCheck = compareSorts(listedTags.filter(tag => !ENV_TAGS.has(tag)));

  const warnings: string[] = [];
  const recorder = new Recorder();
  const harnesses: Harness[] = [];
  onCleanup(async () => {
    for (const h of harnesses) await h.close().catch(() => {});
  });
  const bench: TabBench = {
    options,
    proxy,
    recorder,
    seeded,
    listedTags,
    async newHarness() {
      const h = await startHarness(proxy, recorder, warnings);
      harnesses.push(h);
      return h;
    },
  };

  const cold = await coldSeries(bench, false, true);
  // The backend of the last cold run goes on warm: its index completes, then the warm phases and calls.
  const h = cold.kept!;
  const completion = await completeIndex(bench, h);
  const warm = await warmPhases(bench, h, completion);
  const calls = await profileWarmCalls(bench, h);
  await h.close();

  // Cold again, with the listing paged as ghcr.io pages it.
  const paged = await coldSeries(bench, true, false);

  // Where the cold time goes: one more cold run (not counted), under the CPU profiler.
  log('Images tab API: profiling one more cold run (not counted)');
  const profiledCold = await bench.newHarness();
  const coldProfile = await cpuProfile(() => coldRun(bench, profiledCold));
  await profiledCold.close();

  const measurements: TabMeasurements = {
    options,
    distribution: context.distribution,
    seeding: { seeded, ms },
    sortCheck,
    cold,
    paged,
    coldProfile: coldProfile.profile,
    completion,
    warm,
    calls,
    warnings,
    started,
  };
  const table = renderTabTable(measurements);
  const details = tabDetails(measurements).join('\n');
  const json = tabResults(measurements);
  writeResults('tab', json);
  return { table, details, json };
}
