import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import imagesPlugin, { RegistryClient } from '@berth/plugin-images-backend';
import {
  pushTestImage,
  RunningRegistry,
  startRegistry,
} from '@berth/plugin-images-backend/testUtils';
import { Server } from 'node:http';
import yaml from 'yaml';
import { createPromoteImageAction } from './promote';
import { examples } from './promote.examples';

// The action calls a real images backend (in a test backend, entity from an in-memory catalog) that promotes in a
// real registry standing in for ghcr.io.
describe('images:promote', () => {
  let registry: RunningRegistry;
  let server: Server;
  let direct: RegistryClient;
  const digests: Record<string, string> = {};

  beforeAll(async () => {
    registry = await startRegistry();
    direct = new RegistryClient({ host: registry.host, baseUrl: registry.url });
    digests.old = await pushTestImage(
      direct,
      'bxtech/dotca',
      ['v1', 'staging'],
      { layer: 'v1' },
    );
    digests.new = await pushTestImage(direct, 'bxtech/dotca', ['v2'], {
      layer: 'v2',
    });
    ({ server } = await startTestBackend({
      features: [
        imagesPlugin,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'dotca',
                namespace: 'default',
                annotations: { 'berth.dev/images': 'ghcr.io/bxtech/dotca' },
              },
              spec: {
                type: 'website',
                owner: 'bxtech',
                lifecycle: 'production',
              },
            },
          ],
        }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.rootConfig.factory({
          data: {
            images: {
              registries: [
                { host: 'ghcr.io', endpoint: registry.url, insecure: true },
              ],
              index: { refreshMinutes: 600 },
            },
          },
        }),
      ],
    }));
  });
  afterAll(() => registry?.stop());

  function action() {
    const { port } = server.address() as { port: number };
    return createPromoteImageAction({
      discovery: {
        getBaseUrl: async () => `http://localhost:${port}/api/images`,
        getExternalBaseUrl: async () => '',
      },
      auth: mockServices.auth(),
    });
  }

  const input = {
    entityRef: 'component:default/dotca',
    environment: 'staging',
    source: 'v2',
    reason: 'Ship v2',
  };

  it('reports the plan in a dry run and writes nothing', async () => {
    // The mock context has no dry-run option: set the flag the scaffolder sets.
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('digest', digests.new);
    expect(ctx.output).toHaveBeenCalledWith('previousDigest', digests.old);
    expect(ctx.output).toHaveBeenCalledWith('tags', ['staging']);
    expect(ctx.output).not.toHaveBeenCalledWith(
      'promotionId',
      expect.anything(),
    );
    expect(await direct.resolveDigest('bxtech/dotca', 'staging')).toBe(
      digests.old,
    );
  });

  it('promotes, keeps a rollback tag, and outputs what it did', async () => {
    const ctx = createMockActionContext({
      input: { ...input, expectedCurrentDigest: digests.old },
    });
    await action().handler(ctx);
    expect(await direct.resolveDigest('bxtech/dotca', 'staging')).toBe(
      digests.new,
    );
    expect(ctx.output).toHaveBeenCalledWith('digest', digests.new);
    expect(ctx.output).toHaveBeenCalledWith('promotionId', expect.any(String));
    const rollbackTag = (ctx.output as jest.Mock).mock.calls.find(
      ([name]) => name === 'rollbackTag',
    )?.[1];
    expect(rollbackTag).toMatch(/^rollback-\d{8}-\d{6}-ship-v2$/);
    expect(await direct.resolveDigest('bxtech/dotca', rollbackTag)).toBe(
      digests.old,
    );
  });

  it("fails with the backend's own words when the environment moved since the user looked", async () => {
    const ctx = createMockActionContext({
      input: { ...input, source: 'v1', expectedCurrentDigest: digests.old },
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      `staging of ghcr.io/bxtech/dotca moved to ${digests.new} since ${digests.old} was seen`,
    );
  });

  it('refuses a malformed entity reference before calling anything', async () => {
    const ctx = createMockActionContext({
      input: { ...input, entityRef: 'dotca' },
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      '"dotca" is not an entity reference: write it as kind:namespace/name, such as component:default/dotca',
    );
  });

  it('has examples that are valid template steps', () => {
    for (const example of examples) {
      const [step] = yaml.parse(example.example).steps;
      expect(step.action).toBe('images:promote');
      expect(Object.keys(step.input)).toEqual(
        expect.arrayContaining([
          'entityRef',
          'environment',
          'source',
          'reason',
        ]),
      );
    }
  });
});
