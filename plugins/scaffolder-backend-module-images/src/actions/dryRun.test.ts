import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { readFileSync } from 'node:fs';
import { Server } from 'node:http';
import { join, resolve } from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { scaffolderModuleImages } from '../module';
import {
  ImagesTestBackend,
  startImagesTestBackend,
} from './__testUtils__/imagesTestBackend';

// Templates dry-run through the real scaffolder backend, with Berth's actions calling a real images backend (in the
// same test backend) that reads a real registry standing in for ghcr.io. The dry run answers with the images
// backend's status and sentence, as the template editor shows them.
describe('a scaffolder dry run of the images actions', () => {
  let backend: ImagesTestBackend;
  let server: Server;
  let digest: string;
  /** Whether the policy lets users verify an image that no entity names. */
  let mayVerifyUnclaimed = false;

  beforeAll(async () => {
    backend = await startImagesTestBackend({
      features: [scaffolderPlugin, scaffolderModuleImages],
      // The policy allows everything but, unless a test says so, verifying an image that no entity names.
      permissions: mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result:
              r.permission.name === 'images.image.verify' && !mayVerifyUnclaimed
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
        authorizeConditional: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      }).factory,
    });
    server = backend.server;
    digest = backend.digests.old;
  }, 60_000);
  afterAll(() => backend?.stop());
  afterEach(() => {
    mayVerifyUnclaimed = false;
  });

  function dryRun(step: { action: string; input: Record<string, unknown> }) {
    return request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('authorization', mockCredentials.user.header())
      .send({
        template: {
          apiVersion: 'scaffolder.backstage.io/v1beta3',
          kind: 'Template',
          metadata: { name: 'images-dry-run' },
          spec: {
            type: 'service',
            steps: [{ id: 'step', name: 'The step', ...step }],
          },
        },
        values: {},
        directoryContents: [],
      });
  }

  /** The dry run's error body: the backend's status, error name and sentence, and nothing else. */
  function expectError(
    response: request.Response,
    status: number,
    name: string,
    message: string,
  ) {
    expect(response.body).toEqual({
      error: { name, message },
      request: { method: 'POST', url: '/v2/dry-run' },
      response: { statusCode: status },
    });
    expect(response.status).toBe(status);
  }

  it("verifies an entity's image", async () => {
    const response = await dryRun({
      action: 'images:verify',
      input: {
        entityRef: 'component:default/dotca',
        image: 'ghcr.io/bxtech/dotca',
        tag: 'staging',
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.steps).toHaveLength(1);
    expect(JSON.stringify(response.body.log)).toContain(
      `GREEN: ghcr.io/bxtech/dotca:staging exists, digest ${digest}`,
    );
  });

  it('answers a malformed image with the backend 400', async () => {
    const response = await dryRun({
      action: 'images:verify',
      input: {
        entityRef: 'component:default/dotca',
        image: 'ghcr.io/BXTech/dotca',
        tag: 'staging',
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('InputError');
    expect(response.body.error.message).toMatch(
      /repository names are lowercase/,
    );
  });

  it('answers a denied verification with the backend 403', async () => {
    const response = await dryRun({
      action: 'images:verify',
      input: { image: 'ghcr.io/bxtech/dotca', tag: 'staging' },
    });
    expectError(
      response,
      403,
      'NotAllowedError',
      "You may not verify ghcr.io/bxtech/dotca:staging: verifying an image that no entity names needs the images.image.verify permission; to verify an entity's image, name the entity (entityRef)",
    );
  });

  it('answers an unknown entity with the backend 404', async () => {
    const response = await dryRun({
      action: 'images:promote',
      input: {
        entityRef: 'component:default/nobody',
        environment: 'staging',
        source: 'v2',
        reason: 'Ship',
      },
    });
    expectError(
      response,
      404,
      'NotFoundError',
      'No entity component:default/nobody, or you may not see it',
    );
  });

  it('answers a stale promotion with the backend 409', async () => {
    const response = await dryRun({
      action: 'images:promote',
      input: {
        entityRef: 'component:default/dotca',
        environment: 'staging',
        source: 'v2',
        reason: 'Ship',
        expectedCurrentDigest: `sha256:${'0'.repeat(64)}`,
      },
    });
    expect(response.status).toBe(409);
    expect(response.body.error.name).toBe('ConflictError');
    expect(response.body.error.message).toMatch(
      /^staging of ghcr.io\/bxtech\/dotca moved/,
    );
  });

  it('answers a malformed entity reference with a 400, before calling the backend', async () => {
    const response = await dryRun({
      action: 'images:rollback',
      input: {
        entityRef: 'dotca',
        environment: 'staging',
        reason: 'Undo',
      },
    });
    expectError(
      response,
      400,
      'InputError',
      '"dotca" is not an entity reference: write it as kind:namespace/name, such as component:default/dotca',
    );
  });

  describe('of the onboarding template', () => {
    const dir = resolve(
      __dirname,
      '../../../../examples/templates/onboard-service',
    );
    const skeleton = 'skeleton/catalog-info.yaml.njk';
    const onboard = () =>
      request(server)
        .post('/api/scaffolder/v2/dry-run')
        .set('authorization', mockCredentials.user.header())
        .send({
          template: yaml.parse(
            readFileSync(join(dir, 'template.yaml'), 'utf8'),
          ),
          values: {
            name: 'dotca-next',
            owner: 'group:default/bxtech',
            image: 'ghcr.io/bxtech/dotca',
            environments: [],
          },
          directoryContents: [
            {
              path: skeleton,
              base64Content: readFileSync(join(dir, skeleton)).toString(
                'base64',
              ),
            },
          ],
        });

    it('verifies the image no entity names yet, for a user with images.image.verify', async () => {
      mayVerifyUnclaimed = true;
      const response = await onboard();
      expect(response.status).toBe(200);
      const [table] = response.body.output.text.map(
        (t: { content: string }) => t.content,
      );
      expect(table).toContain('| `ghcr.io/bxtech/dotca:staging` | **GREEN** |');
      expect(table).toContain('| `ghcr.io/bxtech/dotca:latest` | **GREEN** |');
      expect(table).toContain(
        '| `ghcr.io/bxtech/dotca:latest-dev` | **RED** |',
      );
    });

    it('is refused with a 403 where a policy denies images.image.verify', async () => {
      const response = await onboard();
      expect(response.status).toBe(403);
      expect(response.body.error.message).toMatch(
        /needs the images.image.verify permission/,
      );
    });
  });
});
