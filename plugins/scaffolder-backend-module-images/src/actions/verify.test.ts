import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import imagesPlugin, { RegistryClient } from '@berth/plugin-images-backend';
import {
  pushTestImage,
  RunningRegistry,
  startRegistry,
} from '@berth/plugin-images-backend/testUtils';
import { Server } from 'node:http';
import yaml from 'yaml';
import { createVerifyImageAction } from './verify';
import { examples } from './verify.examples';

// The action calls a real images backend (in a test backend) that reads a real registry standing in for ghcr.io.
describe('images:verify', () => {
  let registry: RunningRegistry;
  let server: Server;
  let digest: string;

  beforeAll(async () => {
    registry = await startRegistry();
    const client = new RegistryClient({
      host: registry.host,
      baseUrl: registry.url,
    });
    digest = await pushTestImage(client, 'bxtech/dotca', ['staging']);
    ({ server } = await startTestBackend({
      features: [
        imagesPlugin,
        mockServices.rootConfig.factory({
          data: {
            images: {
              registries: [
                { host: 'ghcr.io', endpoint: registry.url, insecure: true },
              ],
            },
          },
        }),
      ],
    }));
  });
  afterAll(() => registry?.stop());

  function action() {
    const { port } = server.address() as { port: number };
    return createVerifyImageAction({
      discovery: {
        getBaseUrl: async () => `http://localhost:${port}/api/images`,
        getExternalBaseUrl: async () => '',
      },
      auth: mockServices.auth(),
    });
  }

  it('outputs GREEN and the digest for a tag that exists', async () => {
    const ctx = createMockActionContext({
      input: { image: 'ghcr.io/bxtech/dotca', tag: 'staging' },
    });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('status', 'GREEN');
    expect(ctx.output).toHaveBeenCalledWith('digest', digest);
    expect(ctx.output).toHaveBeenCalledWith(
      'reference',
      'ghcr.io/bxtech/dotca:staging',
    );
  });

  it('outputs RED for a missing tag, and fails only when asked to', async () => {
    const ctx = createMockActionContext({
      input: { image: 'ghcr.io/bxtech/dotca', tag: 'production' },
    });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('status', 'RED');
    const strict = createMockActionContext({
      input: {
        image: 'ghcr.io/bxtech/dotca',
        tag: 'production',
        failIfMissing: true,
      },
    });
    await expect(action().handler(strict)).rejects.toThrow(
      'ghcr.io/bxtech/dotca:production does not exist',
    );
  });

  it("surfaces the backend's precise error for a registry that is not configured", async () => {
    const ctx = createMockActionContext({
      input: { image: 'quay.io/acme/app', tag: 'v1' },
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      /The registry quay.io is not configured/,
    );
  });

  it('has examples that are valid steps of this action', () => {
    for (const example of examples) {
      const [step] = yaml.parse(example.example).steps;
      expect(step.action).toBe('images:verify');
      expect(typeof step.input.image).toBe('string');
      expect(typeof step.input.tag).toBe('string');
    }
  });
});
