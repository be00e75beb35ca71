import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';
import { RegistryClient } from '../registry';
import {
  pushTestImage,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { imageEntity, imagesTestBackends } from '../__testUtils__/testBackends';

const ada = mockCredentials.user.header('user:default/ada');

// POST /verify in a test backend: entities from an in-memory catalog, a real registry (standing in for ghcr.io)
// behind a proxy that records every request, and a permission policy that denies what a test names.
describe('POST /verify', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  const digests: Record<string, string> = {};
  const registryRequests = () =>
    proxy.requests.filter(r => r.path.startsWith('/v2/'));

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
    const client = new RegistryClient({
      host: registry.host,
      baseUrl: registry.url,
    });
    digests.staging = await pushTestImage(client, 'bxtech/dotca', ['staging']);
    // Production's tags live in another repository (images.environments[].repository below).
    digests.production = await pushTestImage(
      client,
      'prod/bxtech/dotca',
      ['latest'],
      { layer: 'production' },
    );
    digests.secret = await pushTestImage(client, 'acme/secret', ['v1'], {
      layer: 'secret',
    });
  }, 60_000);
  afterEach(() => proxy.reset());
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  const backends = imagesTestBackends(() => proxy.url);
  afterEach(() => backends.stopAll());
  const backend = (
    options: {
      deny?: string[];
      auditor?: ReturnType<typeof mockServices.auditor.mock>;
    } = {},
  ) =>
    backends.start({
      denied: options.deny ?? [],
      auditor: options.auditor,
      entities: [
        imageEntity('dotca', 'ghcr.io/bxtech/dotca'),
        imageEntity('secret', 'ghcr.io/acme/secret'),
      ],
      environments: [
        { name: 'staging', tag: 'staging' },
        {
          name: 'production',
          tag: 'latest',
          protected: true,
          repository: 'ghcr.io/prod/{repository}',
        },
      ],
    });

  const verify = (server: Awaited<ReturnType<typeof backend>>, body: object) =>
    request(server)
      .post('/api/images/verify')
      .set('authorization', ada)
      .send(body);

  it("verifies an entity's image for a user who may read the entity", async () => {
    const server = await backend({ deny: ['images.image.verify'] });
    const response = await verify(server, {
      entityRef: 'component:default/dotca',
      image: 'ghcr.io/bxtech/dotca',
      tag: 'staging',
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      reference: 'ghcr.io/bxtech/dotca:staging',
      status: 'GREEN',
      digest: digests.staging,
    });
    // An environment's own repository counts as the entity's; the reference may omit the namespace.
    const production = await verify(server, {
      entityRef: 'component:dotca',
      image: 'ghcr.io/prod/bxtech/dotca',
      tag: 'latest',
    });
    expect(production.body).toEqual({
      reference: 'ghcr.io/prod/bxtech/dotca:latest',
      status: 'GREEN',
      digest: digests.production,
    });
  });

  it('refuses, without asking the registry, an entity the user may not read', async () => {
    const server = await backend({
      deny: ['images.image.read component:default/secret'],
    });
    const response = await verify(server, {
      entityRef: 'component:default/secret',
      image: 'ghcr.io/acme/secret',
      tag: 'v1',
    });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe(
      'You may not read the images of component:default/secret',
    );
    const unknown = await verify(server, {
      entityRef: 'component:default/nobody',
      image: 'ghcr.io/acme/secret',
      tag: 'v1',
    });
    expect(unknown.status).toBe(404);
    expect(registryRequests()).toEqual([]);
  });

  it('refuses, without asking the registry, an image the entity does not name, or a malformed entity reference', async () => {
    const server = await backend();
    // dotca may be read, but it does not make acme/secret readable.
    const other = await verify(server, {
      entityRef: 'component:default/dotca',
      image: 'ghcr.io/acme/secret',
      tag: 'v1',
    });
    expect(other.status).toBe(400);
    expect(other.body.error.message).toBe(
      'ghcr.io/acme/secret is not an image of component:default/dotca (ghcr.io/bxtech/dotca, ghcr.io/prod/bxtech/dotca)',
    );
    const malformed = await verify(server, {
      entityRef: 'component:default/dotca/extra',
      image: 'ghcr.io/bxtech/dotca',
      tag: 'staging',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toBe(
      'The entity name in entityRef, "dotca/extra", is not valid: write letters and digits, with - _ or . between them, at most 63 characters',
    );
    const noKind = await verify(server, {
      entityRef: 'dotca',
      image: 'ghcr.io/bxtech/dotca',
      tag: 'staging',
    });
    expect(noKind.status).toBe(400);
    expect(noKind.body.error.message).toBe(
      'entityRef "dotca" is not an entity reference: write it as kind:namespace/name, such as component:default/dotca',
    );
    const notAString = await verify(server, {
      entityRef: 42,
      image: 'ghcr.io/bxtech/dotca',
      tag: 'staging',
    });
    expect(notAString.status).toBe(400);
    expect(registryRequests()).toEqual([]);
  });

  it('verifies an image no entity names with images.image.verify, and reports it to the auditor', async () => {
    const events: Array<{
      eventId: string;
      meta: Record<string, unknown>;
      outcome?: string;
    }> = [];
    const auditor = mockServices.auditor.mock({
      createEvent: async options => {
        const event = {
          eventId: options.eventId,
          meta: { ...options.meta } as Record<string, unknown>,
          outcome: undefined as string | undefined,
        };
        events.push(event);
        return {
          success: async result => {
            event.outcome = 'success';
            Object.assign(event.meta, result?.meta);
          },
          fail: async ({ error }) => {
            event.outcome = `fail: ${error.message}`;
          },
        };
      },
    });
    const server = await backend({ auditor });
    const green = await verify(server, {
      image: 'ghcr.io/acme/secret',
      tag: 'v1',
    });
    expect(green.body).toEqual({
      reference: 'ghcr.io/acme/secret:v1',
      status: 'GREEN',
      digest: digests.secret,
    });
    const red = await verify(server, {
      image: 'ghcr.io/acme/unclaimed',
      tag: 'latest',
    });
    expect(red.body.status).toBe('RED');
    expect(events).toEqual([
      {
        eventId: 'image-verify',
        meta: {
          actor: 'user:default/ada',
          image: 'ghcr.io/acme/secret:v1',
          status: 'GREEN',
          digest: digests.secret,
        },
        outcome: 'success',
      },
      {
        eventId: 'image-verify',
        meta: {
          actor: 'user:default/ada',
          image: 'ghcr.io/acme/unclaimed:latest',
          status: 'RED',
        },
        outcome: 'success',
      },
    ]);
  });

  it('refuses an image no entity names when a policy denies images.image.verify: no registry request, audited', async () => {
    const events: Array<{ eventId: string; outcome?: string }> = [];
    const auditor = mockServices.auditor.mock({
      createEvent: async options => {
        const event = { eventId: options.eventId, outcome: 'open' };
        events.push(event);
        return {
          success: async () => {
            event.outcome = 'success';
          },
          fail: async ({ error }) => {
            event.outcome = `fail: ${error.name}`;
          },
        };
      },
    });
    const server = await backend({
      deny: ['images.image.verify'],
      auditor,
    });
    const response = await verify(server, {
      image: 'ghcr.io/bxtech/dotca',
      tag: 'staging',
    });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toMatch(
      /^You may not verify ghcr.io\/bxtech\/dotca:staging: verifying an image that no entity names needs the images.image.verify permission/,
    );
    expect(registryRequests()).toEqual([]);
    expect(events).toEqual([
      { eventId: 'image-verify', outcome: 'fail: NotAllowedError' },
    ]);
  });

  it('registers images.image.verify as a basic permission a policy can name', async () => {
    const server = await backend();
    const response = await request(server).get(
      '/api/images/.well-known/backstage/permissions/metadata',
    );
    expect(response.status).toBe(200);
    expect(response.body.permissions).toContainEqual({
      type: 'basic',
      name: 'images.image.verify',
      attributes: { action: 'read' },
    });
  });
});
