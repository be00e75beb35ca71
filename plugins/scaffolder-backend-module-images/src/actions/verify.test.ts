import { mockServices } from '@backstage/backend-test-utils';
import { InputError, NotFoundError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { Server } from 'node:http';
import yaml from 'yaml';
import {
  exampleProblems,
  ImagesTestBackend,
  startImagesTestBackend,
} from './__testUtils__/imagesTestBackend';
import { createVerifyImageAction } from './verify';
import { examples } from './verify.examples';

// The action calls a real images backend (in a test backend) that reads a real registry standing in for ghcr.io.
describe('images:verify', () => {
  let backend: ImagesTestBackend;
  let server: Server;
  let digest: string;

  beforeAll(async () => {
    backend = await startImagesTestBackend();
    server = backend.server;
    digest = backend.digests.old;
  }, 60_000);
  afterAll(() => backend?.stop());

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
      new NotFoundError(
        'ghcr.io/bxtech/dotca:production does not exist in the registry',
      ),
    );
  });

  it("verifies an entity's image for a user who may read the entity", async () => {
    const ctx = createMockActionContext({
      input: {
        entityRef: 'component:default/dotca',
        image: 'ghcr.io/bxtech/dotca',
        tag: 'staging',
      },
    });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('status', 'GREEN');
    expect(ctx.output).toHaveBeenCalledWith('digest', digest);
  });

  it("fails with the backend's status as an error of @backstage/errors and its sentence, without the response", async () => {
    const unconfigured = action().handler(
      createMockActionContext({
        input: { image: 'quay.io/acme/app', tag: 'v1' },
      }),
    );
    await expect(unconfigured).rejects.toThrow(InputError);
    await expect(unconfigured).rejects.toThrow(
      /^The registry quay.io is not configured/,
    );
    await expect(unconfigured).rejects.toHaveProperty('cause', undefined);

    const unknown = action().handler(
      createMockActionContext({
        input: {
          entityRef: 'component:default/nobody',
          image: 'ghcr.io/bxtech/dotca',
          tag: 'staging',
        },
      }),
    );
    await expect(unknown).rejects.toThrow(NotFoundError);
    await expect(unknown).rejects.toThrow(
      'No entity component:default/nobody, or you may not see it',
    );

    const notTheEntitys = action().handler(
      createMockActionContext({
        input: {
          entityRef: 'component:default/dotca',
          image: 'ghcr.io/bxtech/other',
          tag: 'staging',
        },
      }),
    );
    await expect(notTheEntitys).rejects.toThrow(
      'ghcr.io/bxtech/other is not an image of component:default/dotca (ghcr.io/bxtech/dotca)',
    );
  });

  it('has examples that are valid steps of this action', () => {
    expect(exampleProblems(action(), examples)).toEqual([]);
    expect(
      examples.map(e => yaml.parse(e.example).steps[0].input.entityRef),
    ).toContain('component:default/dotca');
  });
});
