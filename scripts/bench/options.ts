/* The command line of `yarn bench`: which parts run, and with how many tags, megabytes, runs and viewers. */
import { RESOLVE_COUNT } from './client/clientSetup';
import { EVENTS_DEFAULTS, EventsOptions } from './events/runEvents';
import { FLEET_DEFAULTS, FleetOptions } from './fleet/runFleet';
import { HTTP_DEFAULTS, HttpOptions } from './http/runHttp';
import { INDEXING_DEFAULTS, IndexingOptions } from './indexing/runIndexing';
import { LISTING_SCENARIOS, ListingScenario } from './indexing/vendorListings';
import { TAB_DEFAULTS, TabOptions } from './tab/tabScenario';

export interface Options {
  only?:
    | 'registry'
    | 'tab'
    | 'promotion'
    | 'events'
    | 'http'
    | 'indexing'
    | 'fleet';
  rtt: number;
  tags: number;
  imageMB: number;
  reps: number;
  copyReps: number;
  skopeo: boolean;
  tab: Omit<TabOptions, 'rtt' | 'tags'>;
  events: Omit<EventsOptions, 'rtt'>;
  http: Omit<HttpOptions, 'rtt'>;
  indexing: Omit<IndexingOptions, 'rtt'>;
  fleet: Omit<FleetOptions, 'rtt'>;
}

export function parseOptions(argv: string[]): Options {
  const options: Options = {
    rtt: 50,
    tags: 10_000,
    imageMB: 200,
    reps: 3,
    copyReps: 3,
    skopeo: true,
    tab: { ...TAB_DEFAULTS },
    events: { ...EVENTS_DEFAULTS },
    http: { ...HTTP_DEFAULTS },
    indexing: { ...INDEXING_DEFAULTS },
    fleet: { ...FLEET_DEFAULTS },
  };
  for (const arg of argv) {
    const [name, value] = arg.split('=', 2);
    const number = () => {
      const n = Number(value);
      if (!value || !Number.isFinite(n) || n < 0)
        throw new Error(`${name} needs a number: ${arg}`);
      return n;
    };
    if (name === '--rtt') options.rtt = number();
    else if (name === '--tags')
      options.tags = Math.max(RESOLVE_COUNT, Math.round(number()));
    else if (name === '--image-mb') options.imageMB = Math.max(1, number());
    else if (name === '--reps')
      options.reps = Math.max(1, Math.round(number()));
    else if (name === '--copy-reps')
      options.copyReps = Math.max(1, Math.round(number()));
    else if (name === '--no-skopeo') options.skopeo = false;
    else if (name === '--only') {
      if (
        value !== 'registry' &&
        value !== 'tab' &&
        value !== 'promotion' &&
        value !== 'events' &&
        value !== 'http' &&
        value !== 'indexing' &&
        value !== 'fleet'
      )
        throw new Error(
          `--only takes registry, tab, promotion, events, http, indexing or fleet: ${arg}`,
        );
      options.only = value;
    } else if (name === '--cold-reps')
      options.tab.coldReps = Math.max(1, Math.round(number()));
    else if (name === '--warm-views')
      options.tab.warmViews = Math.max(1, Math.round(number()));
    else if (name === '--clients')
      options.tab.clients = Math.max(1, Math.round(number()));
    else if (name === '--client-views')
      options.tab.clientViews = Math.max(1, Math.round(number()));
    else if (name === '--entities')
      options.events.entities = Math.max(1, Math.round(number()));
    else if (name === '--pushes')
      options.events.pushes = Math.max(1, Math.round(number()));
    else if (name === '--index-builds')
      options.indexing.builds = Math.max(10, Math.round(number()));
    else if (name === '--index-new-builds')
      options.indexing.newBuilds = Math.max(1, Math.round(number()));
    else if (name === '--index-listings') {
      const wanted = (value ?? '').split(',');
      const unknown = wanted.filter(
        w => !LISTING_SCENARIOS.includes(w as ListingScenario),
      );
      if (unknown.length > 0 || !value)
        throw new Error(
          `--index-listings takes some of ${LISTING_SCENARIOS.join(
            ',',
          )}: ${arg}`,
        );
      options.indexing.listings = wanted as ListingScenario[];
    } else if (name === '--http-builds')
      options.http.builds = Math.max(10, Math.round(number()));
    else if (name === '--http-views')
      options.http.views = Math.max(1, Math.round(number()));
    else if (name === '--http-profile-views')
      options.http.profileViews = Math.round(number());
    else if (name === '--http-warm-timeout')
      options.http.warmTimeoutS = Math.max(1, Math.round(number()));
    else if (name === '--fleet-entities')
      options.fleet.entities = Math.max(2, Math.round(number()));
    else if (name === '--fleet-views')
      options.fleet.views = Math.max(1, Math.round(number()));
    else if (name === '--help' || name === '-h') {
      process.stdout.write(
        'yarn bench [--only=registry|tab|promotion|events|http|indexing|fleet] [--rtt=50] [--tags=10000] [--image-mb=200] [--reps=3]\n' +
          '           [--copy-reps=3] [--no-skopeo] [--cold-reps=5] [--warm-views=50] [--clients=50] [--client-views=20]\n' +
          '           [--entities=1000] [--pushes=5] [--http-builds=10000] [--http-views=200] [--http-profile-views=300]\n' +
          '           [--fleet-entities=1000] [--fleet-views=200]\n' +
          '  --only         run one part: registry (client vs skopeo), tab (Images tab API), promotion (promotions vs\n' +
          '                 skopeo), events (push events vs the scheduled refresh) http (the Images tab through the\n' +
          '                 built backend over HTTP vs catalog GETs) or indexing (a repository of CI builds through\n' +
          '                 the Distribution API and each product API) or fleet (the Images page for 1,000 entities\n' +
          '                 through the built backend over HTTP vs the catalog); all seven by default\n' +
          '  --rtt          round-trip time the loopback proxy adds to every request, in ms\n' +
          '  --tags         tags in the listing repository (tab: the three environment tags included)\n' +
          '  --image-mb     size of the 2-platform image copied between registries and promoted across them\n' +
          '  --reps         runs of list, resolve, retag and the same-repository promotion (the median is shown)\n' +
          '  --copy-reps    runs of the cross-registry copy and of the cross-repository and cross-registry\n' +
          '                 promotions, each way (the median is shown)\n' +
          '  --no-skopeo    Berth only\n' +
          '  --cold-reps    tab: cold page views, each on a fresh database and index (the median is shown)\n' +
          '  --warm-views   tab: warm page views by one viewer, one after another\n' +
          '  --clients      tab: concurrent viewers in the warm concurrent run\n' +
          '  --client-views tab: page views per concurrent viewer\n' +
          '  --entities     events: onboarded entities, one repository and three environments each\n' +
          '  --pushes       events: push events measured (the median is shown)\n' +
          '  --index-builds indexing: CI builds (tags, distinct digests) per listing scenario\n' +
          '  --index-new-builds  indexing: builds added before the re-index\n' +
          '  --index-listings    indexing: the listings to run, comma-separated (all by default)\n' +
          '  --http-builds  http: CI builds (distinct digests) in the large repository\n' +
          '  --http-views   http: tab views (and as many pairs of catalog GETs) per database, repository and viewer count\n' +
          '  --http-profile-views  http: warm tab views profiled in the backend (0: no profile)\n' +
          '  --http-warm-timeout   http: seconds the index may take to complete before the views start anyway\n' +
          '  --fleet-entities      fleet: onboarded entities, one repository of CI builds and three environments each\n' +
          '  --fleet-views  fleet: views of each kind (Images page, digest search, catalog GET, catalog page) per block\n',
      );
      process.exit(0);
    } else throw new Error(`unknown option ${arg} (try --help)`);
  }
  return options;
}
