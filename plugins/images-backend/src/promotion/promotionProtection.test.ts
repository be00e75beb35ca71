import request from 'supertest';
import { RegistryClient } from '../registry';
import {
  pushTestImage,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { imagesTestBackends } from '../__testUtils__/testBackends';

// Attempts to get around a protected environment's approval and gates through annotations and request bodies,
// against a real registry standing in for ghcr.io: each is refused with a message naming the conflict, writes
// nothing, and is kept in the history.
describe('Protection follows the tags', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  let direct: RegistryClient;
  const backends = imagesTestBackends(() => proxy.url);
  const base = '/api/images/entities/component/default/shop';
  let live: string;
  let build: string;

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
    direct = new RegistryClient({ host: registry.host, baseUrl: registry.url });
    live = await pushTestImage(
      direct,
      'acme/guarded',
      ['latest', 'main', 'staging'],
      { layer: 'guarded live' },
    );
    build = await pushTestImage(direct, 'acme/guarded', ['build-9'], {
      layer: 'guarded build',
    });
  }, 60_000);
  afterEach(() => backends.stopAll());
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  const tags = async () => (await direct.listTags('acme/guarded')).tags.sort();

  it.each([
    [
      'staging=staging,hotfix=latest',
      'hotfix',
      'hotfix of ghcr.io/acme/guarded may not write "latest": it is the tag of production, which is protected. Give hotfix a tag of its own',
    ],
    [
      'hotfix=main',
      'hotfix',
      'hotfix of ghcr.io/acme/guarded may not write "main": it is an alsoTag of production, which is protected. Give hotfix a tag of its own',
    ],
    [
      // The entity moves production to another tag; production's configured tags stay production's.
      'staging=latest,production=prod-live',
      'staging',
      'staging of ghcr.io/acme/guarded may not write "latest": it is the tag of production, which is protected. Give staging a tag of its own',
    ],
    [
      'staging=staging,production=staging',
      'production',
      'production of ghcr.io/acme/guarded may not write "staging": it is the tag of staging. Give production a tag of its own',
    ],
  ])(
    'refuses %j promoting to %s, naming the conflict, and writes nothing',
    async (annotation, environment, message) => {
      const server = await backends.start({
        image: 'ghcr.io/acme/guarded',
        environmentsAnnotation: annotation,
      });
      const before = await tags();
      for (const dryRun of [true, false]) {
        const response = await request(server)
          .post(`${base}/promotions`)
          .send({ environment, source: 'build-9', reason: 'Hotfix', dryRun });
        expect(response.status).toBe(400);
        expect(response.body.error.message).toBe(message);
      }
      expect(await tags()).toEqual(before);
      expect(await direct.resolveDigest('acme/guarded', 'latest')).toBe(live);
      // The refused attempt is in the history (the dry run is not).
      const history = await request(server).get(`${base}/promotions`);
      expect(history.body.items).toEqual([
        expect.objectContaining({ status: 'failed', error: message }),
      ]);
    },
  );

  it.each([
    [
      `sign=sha256-${'a'.repeat(64)}.sig`,
      'has the form of a signature or attestation tag',
    ],
    ['undo=rollback-20261122-143005-old', 'has the form of a rollback tag'],
  ])(
    'refuses an annotation that names a reserved tag (%s)',
    async (annotation, message) => {
      const server = await backends.start({
        image: 'ghcr.io/acme/guarded',
        environmentsAnnotation: annotation,
      });
      const response = await request(server)
        .post(`${base}/promotions`)
        .send({
          environment: annotation.split('=')[0],
          source: 'build-9',
          reason: 'Sign it',
        });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain(message);
      // The tab says the same, rather than show the annotation's environments.
      const overview = await request(server).get(`${base}/overview`);
      expect(overview.status).toBe(400);
      expect(overview.body.error.message).toContain(message);
    },
  );

  it("refuses an extra tag template that would write another environment's tag from the request's source", async () => {
    const server = await backends.start({
      image: 'ghcr.io/acme/guarded',
      images: { promotion: { extraTags: ['{sourceTag}'] } },
    });
    const response = await request(server)
      .post(`${base}/promotions`)
      .send({ environment: 'staging', source: 'latest', reason: 'Copy' });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe(
      'staging of ghcr.io/acme/guarded may not write "latest": it is the tag of production, which is protected. Give staging a tag of its own',
    );
    expect(await direct.resolveDigest('acme/guarded', 'staging')).toBe(live);
  });

  it('refuses a signature-form tag from an extra tag template', async () => {
    const server = await backends.start({
      image: 'ghcr.io/acme/guarded',
      images: { promotion: { extraTags: ['sha256-{shortDigest}.sig'] } },
    });
    const response = await request(server)
      .post(`${base}/promotions`)
      .send({ environment: 'staging', source: 'build-9', reason: 'Sign' });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe(
      `staging of ghcr.io/acme/guarded may not write "sha256-${build.slice(
        7,
        19,
      )}.sig" has the form of a signature or attestation tag (sha256-<hex>.sig, .att, .sbom): Berth never writes such tags`,
    );
    expect(await direct.resolveDigest('acme/guarded', 'staging')).toBe(live);
  });

  it('still promotes an environment to its own tags', async () => {
    const server = await backends.start({
      image: 'ghcr.io/acme/guarded',
      environmentsAnnotation: 'staging=staging,production=latest',
    });
    const response = await request(server).post(`${base}/promotions`).send({
      environment: 'staging',
      source: 'build-9',
      reason: 'Regular',
      expectedCurrentDigest: live,
    });
    expect(response.status).toBe(200);
    expect(await direct.resolveDigest('acme/guarded', 'staging')).toBe(build);
  });
});
