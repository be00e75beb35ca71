import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { imagesPlugin } from './plugin';
import { RegistryClient } from './registry';
import {
  pushTestImage,
  RunningRegistry,
  startRegistry,
} from '@berth/plugin-images-backend-test-utils';

// The backend plugin in a test backend, against a real registry on loopback that stands in for ghcr.io.
describe('images backend plugin', () => {
  let registry: RunningRegistry;
  let digest: string;

  beforeAll(async () => {
    registry = await startRegistry();
    const client = new RegistryClient({
      host: registry.host,
      baseUrl: registry.url,
    });
    digest = await pushTestImage(client, 'bxtech/dotca', ['staging']);
  });
  afterAll(() => registry?.stop());

  async function backend() {
    const { server } = await startTestBackend({
      features: [
        imagesPlugin,
        mockServices.rootConfig.factory({
          data: {
            images: {
              registries: [
                {
                  host: 'ghcr.io',
                  endpoint: registry.url,
                  insecure: true,
                  credentials: {
                    username: 'bot',
                    password: 'super-secret-token',
                  },
                },
              ],
            },
          },
        }),
      ],
    });
    return server;
  }

  it('tells anyone that it is up, and nothing of its configuration', async () => {
    const server = await backend();
    // Not signed in, and signed in: the same answer, with no registry host or environment name in it.
    for (const caller of [mockCredentials.none, mockCredentials.user]) {
      const response = await request(server)
        .get('/api/images/health')
        .set('authorization', caller.header());
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok' });
    }
  });

  it('verifies a tag through the mirror endpoint: GREEN with the digest, RED when missing', async () => {
    const server = await backend();
    const green = await request(server)
      .post('/api/images/verify')
      .send({ image: 'ghcr.io/bxtech/dotca', tag: 'staging' });
    expect(green.body).toEqual({
      reference: 'ghcr.io/bxtech/dotca:staging',
      status: 'GREEN',
      digest,
    });
    const red = await request(server)
      .post('/api/images/verify')
      .send({ image: 'ghcr.io/bxtech/dotca', tag: 'production' });
    expect(red.body).toEqual({
      reference: 'ghcr.io/bxtech/dotca:production',
      status: 'RED',
    });
  });

  it('refuses a registry that is not configured, with a clear message', async () => {
    const response = await request(await backend())
      .post('/api/images/verify')
      .send({ image: 'quay.io/someone/app', tag: 'latest' });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(
      /The registry quay.io is not configured: add it under images.registries/,
    );
  });

  it('refuses a malformed image or tag before any registry request', async () => {
    const server = await backend();
    const badImage = await request(server)
      .post('/api/images/verify')
      .send({ image: 'ghcr.io/BXTech/dotca', tag: 'x' });
    expect(badImage.status).toBe(400);
    expect(badImage.body.error.message).toMatch(
      /repository names are lowercase/,
    );
    const badTag = await request(server)
      .post('/api/images/verify')
      .send({ image: 'ghcr.io/bxtech/dotca', tag: '-oops' });
    expect(badTag.status).toBe(400);
    expect(badTag.body.error.message).toMatch(/invalid tag "-oops"/);
  });

  it('requires a caller', async () => {
    const response = await request(await backend())
      .post('/api/images/verify')
      .set('authorization', 'Bearer garbage')
      .send({ image: 'ghcr.io/bxtech/dotca', tag: 'staging' });
    expect(response.status).toBe(401);
  });
});
