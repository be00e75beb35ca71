import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TagIndex } from './TagIndex';
import { TagIndexStore } from './TagIndexStore';
import { RegistryClient } from '../registry/RegistryClient';
import { RegistryHosts } from '../registry/RegistryHosts';
import {
  createTestDatabases,
  pushTestImage,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { OnboardedEntities } from '../entities/OnboardedEntities';
import { RepositoryClaims } from '../entities/RepositoryClaims';
import { EnvironmentStayStore } from '../stays/EnvironmentStayStore';
import { EnvironmentStays } from '../stays/EnvironmentStays';
import { indexNewlyOnboarded, refreshOnboarded } from './scheduleIndexRefresh';

const entity = (name: string, images?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: images ? { 'berth.dev/images': images } : {},
  },
  spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
});

// What the scheduled task does: index every onboarded entity's images, skipping what it cannot read. A real CNCF
// registry stands in for ghcr.io; the catalog is Backstage's in-memory catalog service mock.
describe('refreshOnboarded', () => {
  let registry: RunningRegistry;
  let apiDigest: string;
  let webDigest: string;

  beforeAll(async () => {
    registry = await startRegistry();
    const client = new RegistryClient({
      host: registry.host,
      baseUrl: registry.url,
    });
    apiDigest = await pushTestImage(client, 'acme/api', ['latest', 'v1.0.0'], {
      layer: 'api',
    });
    webDigest = await pushTestImage(client, 'acme/web', ['staging'], {
      layer: 'web',
    });
  });
  afterAll(() => registry?.stop());

  it('indexes the images of every annotated entity, records what each environment runs, and logs the ones it cannot', async () => {
    const databases = createTestDatabases();
    const db = await databases.open('SQLite');
    const logger = mockServices.logger.mock();
    const index = new TagIndex({
      store: new TagIndexStore(db),
      registries: new RegistryHosts([
        { host: 'ghcr.io', baseUrl: registry.url },
      ]),
      logger,
    });
    const onboarded = new OnboardedEntities({
      catalog: catalogServiceMock({
        entities: [
          entity('api', 'ghcr.io/acme/api'),
          entity('web', 'ghcr.io/acme/web, ghcr.io/acme/api'),
          entity('broken', 'ghcr.io/acme/web,,'),
          entity('elsewhere', 'gcr.io/acme/app'),
          entity('plain'),
        ],
      }),
      permissions: mockServices.permissions(),
      environments: [
        { name: 'staging', tag: 'staging' },
        { name: 'production', tag: 'latest' },
      ],
      logger,
      claims: new RepositoryClaims(db),
    });

    const stays = new EnvironmentStays({ store: new EnvironmentStayStore(db) });
    await refreshOnboarded({
      onboarded,
      index,
      logger,
      auth: mockServices.auth(),
      stays,
    });

    // What runs where, for release policies: production of acme/api, staging of acme/web; nothing where no tag is.
    const stayIn = (image: string, environment: string, digest: string) =>
      stays.staysOf({ image, environment }, digest);
    expect(
      await stayIn('ghcr.io/acme/api', 'production', apiDigest),
    ).toMatchObject([{ digest: apiDigest, source: 'observed' }]);
    expect(
      (await stayIn('ghcr.io/acme/api', 'production', apiDigest))[0].leftAt,
    ).toBeUndefined();
    expect(await stayIn('ghcr.io/acme/web', 'staging', webDigest)).toHaveLength(
      1,
    );
    expect(await stayIn('ghcr.io/acme/api', 'staging', apiDigest)).toEqual([]);

    const api = await index.store.getTags({
      registry: 'ghcr.io',
      repository: 'acme/api',
    });
    expect(api.map(t => t.tag).sort()).toEqual(['latest', 'v1.0.0']);
    expect(api.every(t => t.digest)).toBe(true);
    const web = await index.store.getTags({
      registry: 'ghcr.io',
      repository: 'acme/web',
    });
    expect(web.map(t => [t.tag, Boolean(t.digest)])).toEqual([
      ['staging', true],
    ]);
    expect(
      (
        await index.store.getAllManifests({
          registry: 'ghcr.io',
          repository: 'acme/api',
        })
      ).size,
    ).toBe(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Skipping component:default/broken'),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Could not refresh the tag index of gcr.io/acme/app: The registry gcr.io is not configured',
      ),
    );
    await databases.stop();
  });

  it('indexes entities onboarded since the last refresh within a sweep, asks no registry when nothing is new, and tries a failing image again only after the refresh interval', async () => {
    const databases = createTestDatabases();
    const db = await databases.open('SQLite');
    const proxy = await startRegistryProxy({ target: registry.url });
    const logger = mockServices.logger.mock();
    const index = new TagIndex({
      store: new TagIndexStore(db),
      registries: new RegistryHosts([{ host: 'ghcr.io', baseUrl: proxy.url }]),
      logger,
    });
    // Backstage's catalog mock, replaced as entities arrive in the catalog.
    let catalog = catalogServiceMock({
      entities: [entity('api', 'ghcr.io/acme/api')],
    });
    const onboarded = new OnboardedEntities({
      catalog: {
        getEntities: (...args: Parameters<CatalogService['getEntities']>) =>
          catalog.getEntities(...args),
      } as CatalogService,
      permissions: mockServices.permissions(),
      environments: [
        { name: 'staging', tag: 'staging' },
        { name: 'production', tag: 'latest' },
      ],
      logger,
      claims: new RepositoryClaims(db),
    });
    let now = 1_000_000;
    const sweep = indexNewlyOnboarded({
      onboarded,
      index,
      logger,
      auth: mockServices.auth(),
      retryAfterMs: 10 * 60_000,
      now: () => now,
    });
    const listed = async () =>
      [
        ...(await index.store.getListed([
          { registry: 'ghcr.io', repository: 'acme/api' },
          { registry: 'ghcr.io', repository: 'acme/web' },
        ])),
      ].sort();

    try {
      await sweep();
      expect(await listed()).toEqual(['ghcr.io/acme/api']);

      // Nothing new: the catalog and the index are read, the registry is not.
      proxy.reset();
      await sweep();
      expect(proxy.requests).toHaveLength(0);

      // A service onboarded meanwhile is indexed by the next sweep, and only it; one whose registry fails is logged.
      catalog = catalogServiceMock({
        entities: [
          entity('api', 'ghcr.io/acme/api'),
          entity('web', 'ghcr.io/acme/web'),
          entity('elsewhere', 'gcr.io/acme/app'),
        ],
      });
      proxy.reset();
      await sweep();
      expect(await listed()).toEqual(['ghcr.io/acme/api', 'ghcr.io/acme/web']);
      expect(
        proxy.requests.every(r => r.path.startsWith('/v2/acme/web/')),
      ).toBe(true);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          'Could not refresh the tag index of gcr.io/acme/app',
        ),
      );

      // The failing image waits for the refresh interval, then is tried again.
      now += 60_000;
      await sweep();
      expect(logger.warn).toHaveBeenCalledTimes(1);
      now += 10 * 60_000;
      await sweep();
      expect(logger.warn).toHaveBeenCalledTimes(2);
    } finally {
      await proxy.stop();
      await databases.stop();
    }
  });
});
