import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createTestDatabases } from '@berth/plugin-images-backend-test-utils';
import { OnboardedEntities } from '../entities/OnboardedEntities';
import { RepositoryClaims } from '../entities/RepositoryClaims';
import { RegistryHosts } from '../registry/RegistryHosts';
import { EnvironmentStayStore } from '../stays/EnvironmentStayStore';
import { EnvironmentStays } from '../stays/EnvironmentStays';
import { TagIndex } from '../tagIndex/TagIndex';
import { TagIndexStore } from '../tagIndex/TagIndexStore';
import { FleetRows } from './FleetRows';
import {
  FLEET_MAX_AGE_MS,
  FLEET_STALE_MS,
  FleetSnapshot,
} from './FleetSnapshot';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const NEXT = `sha256:${'b'.repeat(64)}`;

// The fleet built once for all viewers, over Backstage's catalog mock and the index and stays on SQLite: what this
// replica records shows at the next view; what another replica records, within the fleet's maximum age, the view
// that finds it older answering at once and the next one seeing the rebuild.
describe('FleetSnapshot', () => {
  const databases = createTestDatabases();
  afterAll(() => databases.stop());

  it('answers views from one build, rebuilds at once after a change here, and behind the views once it is old', async () => {
    const db = await databases.open('SQLite');
    const logger = mockServices.logger.mock();
    const stays = new EnvironmentStays({ store: new EnvironmentStayStore(db) });
    // Another replica on the same database.
    const elsewhere = new EnvironmentStays({
      store: new EnvironmentStayStore(db),
    });
    const onboarded = new OnboardedEntities({
      catalog: catalogServiceMock({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'shop',
              annotations: { 'berth.dev/images': 'ghcr.io/acme/shop' },
            },
            spec: { owner: 'guests' },
          },
        ],
      }),
      permissions: mockServices.permissions(),
      environments: [{ name: 'production', tag: 'latest' }],
      claims: new RepositoryClaims(db),
      logger,
    });
    const reads = jest.spyOn(onboarded, 'readable');
    const rows = new FleetRows({
      index: new TagIndex({
        store: new TagIndexStore(db),
        registries: new RegistryHosts([]),
        logger,
      }),
      stays,
    });
    let now = 1_000_000;
    const snapshot = new FleetSnapshot({
      onboarded,
      rows,
      auth: mockServices.auth(),
      logger,
      stays,
      now: () => now,
    });
    const first = await snapshot.get();
    expect(first.rows.map(row => row.entityRef)).toEqual([
      'component:default/shop',
    ]);
    // Views together and soon after share the build.
    await Promise.all([snapshot.get(), snapshot.get()]);
    now += FLEET_MAX_AGE_MS - 1;
    expect(await snapshot.get()).toBe(first);
    expect(reads).toHaveBeenCalledTimes(1);

    // Another replica's promotion is not seen here until the fleet is old...
    await elsewhere.promoted(
      { image: 'ghcr.io/acme/shop', environment: 'production' },
      NEXT,
      new Date(),
    );
    expect(await snapshot.get()).toBe(first);
    // ...then the view that finds it old is answered at once, and the rebuild behind it serves the next.
    now += 2;
    expect(await snapshot.get()).toBe(first);
    await new Promise(resolve => setImmediate(resolve));
    await reads.mock.results[1].value;
    const rebuilt = await snapshot.get();
    expect(rebuilt).not.toBe(first);
    expect(reads).toHaveBeenCalledTimes(2);

    // What this replica records shows at the next view.
    await stays.observe(
      { image: 'ghcr.io/acme/shop', environment: 'production' },
      DIGEST,
    );
    const afterChange = await snapshot.get();
    expect(afterChange).not.toBe(rebuilt);
    expect(reads).toHaveBeenCalledTimes(3);

    // Far past its age, a view waits for a new build rather than showing a fleet minutes old.
    now += FLEET_MAX_AGE_MS + FLEET_STALE_MS;
    const late = await snapshot.get();
    expect(late).not.toBe(afterChange);
    expect(reads).toHaveBeenCalledTimes(4);
  });
});
