/*
 * `yarn bench`, in seven parts:
 *  - registry: Berth's OCI registry client against a real CNCF Distribution registry behind a loopback proxy that
 *    adds a round-trip time, side by side with skopeo doing the same thing through the same proxy
 *    (client/; bench-results/registry.json);
 *  - tab: the Images tab API (the images backend's environment lanes and tag table on its tag index, in a test
 *    backend) over a 10,000-tag repository behind the same kind of proxy, cold and warm (tab/;
 *    bench-results/tab.json);
 *  - promotion: the backend's promotion service (plan, rollback tag, tags, verification) within a repository, into
 *    another repository and into another registry, side by side with skopeo copies doing the same registry writes
 *    (promotion/; bench-results/promotion.json);
 *  - events: a registry's push event against the scheduled refresh it spares, for 1,000 onboarded entities with
 *    three environments each (events/; bench-results/events.json);
 *  - http: the Images tab's page views through the real backend (built, NODE_ENV=production, on SQLite and on
 *    PostgreSQL) over HTTP, beside two catalog entity GETs, for a small repository and one of 10,000 CI builds
 *    (http/; bench-results/http.json);
 *  - indexing: a repository of CI builds indexed through the Distribution API and each product's listing API
 *    (indexing/; bench-results/indexing.json);
 *  - fleet: the Images page through the real backend over HTTP for 1,000 onboarded entities with three environments
 *    each, warm and after a start, with the backend's memory, beside the catalog's own views (fleet/;
 *    bench-results/fleet.json).
 * Not a test: it prints the tables (stdout) and writes the JSON files. Progress goes to stderr.
 *
 *   yarn bench [--only=registry|tab|promotion|events|http|indexing|fleet] [--rtt=50] [--tags=10000] [--image-mb=200] [--reps=3] [--copy-reps=3]
 *              [--no-skopeo] [--cold-reps=5] [--warm-views=50] [--clients=50] [--client-views=20] [--entities=1000]
 *              [--pushes=5] [--http-builds=10000] [--http-views=200] [--http-profile-views=300]
 *              [--fleet-entities=1000] [--fleet-views=200]
 */
import { runRegistryClient } from './client/runClient';
import { runEvents } from './events/runEvents';
import { runFleet } from './fleet/runFleet';
import { runHttp } from './http/runHttp';
import { runIndexing } from './indexing/runIndexing';
import { cleanupAll, isStopping } from './lib';
import { Options, parseOptions } from './options';
import { runPromotion } from './promotion/runPromotion';
import { distributionVersion } from './registries';
import { PartResult } from './report';
import { runTab } from './tab/runTab';

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const distribution = distributionVersion();
  const parts: Record<
    NonNullable<Options['only']>,
    () => Promise<PartResult>
  > = {
    registry: () => runRegistryClient(options, { distribution }),
    tab: () =>
      runTab(
        { ...options.tab, rtt: options.rtt, tags: options.tags },
        { distribution },
      ),
    promotion: () =>
      runPromotion(
        {
          rtt: options.rtt,
          imageMB: options.imageMB,
          reps: options.reps,
          copyReps: options.copyReps,
          skopeo: options.skopeo,
        },
        { distribution },
      ),
    events: () =>
      runEvents({ ...options.events, rtt: options.rtt }, { distribution }),
    http: () =>
      runHttp({ ...options.http, rtt: options.rtt }, { distribution }),
    indexing: () =>
      runIndexing({ ...options.indexing, rtt: options.rtt }, { distribution }),
    fleet: () =>
      runFleet({ ...options.fleet, rtt: options.rtt }, { distribution }),
  };
  const tables: string[] = [];
  for (const [part, run] of Object.entries(parts)) {
    if (options.only && options.only !== part) continue;
    const result = await run();
    process.stdout.write(`\n${result.table}\n${result.details}\n`);
    tables.push(result.table);
    // The registries, proxies and folders of one part go before the next starts.
    await cleanupAll();
  }
  // The tables once more at the end, so that the first ones do not scroll away behind the later ones' details.
  if (tables.length > 1)
    process.stdout.write(`\nSummary\n\n${tables.join('\n\n')}\n`);
}

main()
  .catch(error => {
    if (isStopping()) return;
    process.stderr.write(
      `bench failed: ${
        error instanceof Error ? error.stack ?? error.message : String(error)
      }\n`,
    );
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
