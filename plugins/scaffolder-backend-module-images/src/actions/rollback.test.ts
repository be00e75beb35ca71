import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { pushTestImage } from '@berth/plugin-images-backend-test-utils';
import type { PromoteResponse } from '@berth/plugin-images-common';
import {
  APPROVER,
  DOTCA,
  exampleProblems,
  mockContext,
  ImagesTestBackend,
  startImagesTestBackend,
} from './__testUtils__/imagesTestBackend';
import { createRollbackImageAction } from './rollback';
import { examples } from './rollback.examples';

function outputOf(ctx: { output: unknown }, name: string): unknown {
  return (ctx.output as jest.Mock).mock.calls.find(([n]) => n === name)?.[1];
}

// The action calls a real images backend that rolls back in a real registry standing in for ghcr.io; what the
// environments run is checked in the registry itself.
describe('images:rollback', () => {
  let backend: ImagesTestBackend;
  // Everything is allowed except forcing, so that a forced rollback shows the force flag reached the backend.
  beforeAll(async () => {
    backend = await startImagesTestBackend({
      permissions: mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(request => ({
            result:
              request.permission.name === 'images.image.force'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      }).factory,
    });
    // Staging moved from v1 to v2: the move to undo.
    await backend.api<PromoteResponse>(`${DOTCA}/promotions`, {
      body: { environment: 'staging', source: 'v2', reason: 'Ship v2' },
    });
  });
  afterAll(() => backend?.stop());

  const action = () => createRollbackImageAction(backend.actionOptions);

  const input = {
    entityRef: 'component:default/dotca',
    environment: 'staging',
    reason: 'v2 breaks the checkout',
  };

  it('reports the plan in a dry run and writes nothing', async () => {
    const logger = mockServices.logger.mock();
    const ctx = {
      ...mockContext({ input, logger }),
      isDryRun: true,
    };
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('digest', backend.digests.old);
    expect(ctx.output).toHaveBeenCalledWith(
      'previousDigest',
      backend.digests.new,
    );
    expect(ctx.output).not.toHaveBeenCalledWith(
      'promotionId',
      expect.anything(),
    );
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining(
        `Dry run: ghcr.io/bxtech/dotca staging would move from ${backend.digests.new} to ${backend.digests.old}`,
      ),
    );
    expect(await backend.resolve('staging')).toBe(backend.digests.new);
  });

  it('moves the environment back to what it ran before, keeping a tag to undo it', async () => {
    const ctx = mockContext({
      input: { ...input, expectedCurrentDigest: backend.digests.new },
    });
    await action().handler(ctx);
    expect(await backend.resolve('staging')).toBe(backend.digests.old);
    expect(ctx.output).toHaveBeenCalledWith('digest', backend.digests.old);
    expect(ctx.output).toHaveBeenCalledWith(
      'previousDigest',
      backend.digests.new,
    );
    expect(ctx.output).toHaveBeenCalledWith('status', 'succeeded');
    expect(ctx.output).toHaveBeenCalledWith('promotionId', expect.any(String));
    const rollbackTag = outputOf(ctx, 'rollbackTag') as string;
    expect(rollbackTag).toMatch(/^rollback-\d{8}-\d{6}-/);
    expect(await backend.resolve(rollbackTag)).toBe(backend.digests.new);

    // The rollback tag it kept is a target in turn: undo the rollback.
    const undo = mockContext({
      input: { ...input, target: rollbackTag, reason: 'v2 was fine after all' },
    });
    await action().handler(undo);
    expect(await backend.resolve('staging')).toBe(backend.digests.new);
    expect(undo.output).toHaveBeenCalledWith('digest', backend.digests.new);
  });

  it("fails with the backend's own words when the environment moved since the user looked", async () => {
    const ctx = mockContext({
      input: { ...input, expectedCurrentDigest: backend.digests.old },
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      `moved to ${backend.digests.new} since ${backend.digests.old} was seen`,
    );
    expect(await backend.resolve('staging')).toBe(backend.digests.new);
  });

  it('waits for a second person to approve a rollback of a protected environment to an image it never ran', async () => {
    // An older build with a rollback tag that Berth never put in production (CI tagged it).
    const older = await pushTestImage(
      backend.direct,
      'bxtech/dotca',
      ['rollback-20261101-090000-before-berth'],
      { layer: 'v0' },
    );
    const logger = mockServices.logger.mock();
    const ctx = mockContext({
      input: {
        ...input,
        environment: 'production',
        target: 'rollback-20261101-090000-before-berth',
        waitForApproval: 1,
      },
      logger,
    });
    const before = await backend.resolve('latest');
    const { pending, step } = await backend.startWaitingStep(ctx, () =>
      action().handler(ctx),
    );
    expect(logger.info).toHaveBeenCalledWith(
      `production is protected: rollback ${pending.id} is waiting for approval by a second person, on the Images tab of component:default/dotca`,
    );
    expect(await backend.resolve('latest')).toBe(before);
    await backend.api(`${DOTCA}/promotions/${pending.id}/approve`, {
      as: APPROVER,
      body: {},
    });
    await step;
    expect(await backend.resolve('latest')).toBe(older);
    expect(ctx.output).toHaveBeenCalledWith('status', 'succeeded');
    expect(ctx.output).toHaveBeenCalledWith('digest', older);
  });

  it('rolls a protected environment back to the image it ran before without waiting: on call, one person may', async () => {
    const ranBefore = await backend.resolve('latest');
    // Production moved to v2, approved by a second person.
    const { promotion } = await backend.api<
      PromoteResponse & { dryRun: false }
    >(`${DOTCA}/promotions`, {
      body: { environment: 'production', source: 'v2', reason: 'Ship v2' },
    });
    await backend.api(`${DOTCA}/promotions/${promotion.id}/approve`, {
      as: APPROVER,
      body: {},
    });
    expect(await backend.resolve('latest')).toBe(backend.digests.new);

    const ctx = mockContext({
      input: { ...input, environment: 'production' },
    });
    await action().handler(ctx);
    expect(await backend.resolve('latest')).toBe(ranBefore);
    expect(ctx.output).toHaveBeenCalledWith('status', 'succeeded');
    expect(ctx.output).toHaveBeenCalledWith('digest', ranBefore);
  });

  it('asks the backend to force, which checks the force permission', async () => {
    const ctx = mockContext({ input: { ...input, force: true } });
    await expect(action().handler(ctx)).rejects.toThrow(
      'You may not force promotions past failed gates of component:default/dotca',
    );
  });

  it('refuses a malformed entity reference before calling anything', async () => {
    const ctx = mockContext({
      input: { ...input, entityRef: 'component:' },
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      '"component:" is not an entity reference',
    );
  });

  it('has examples that are valid steps of this action', () => {
    expect(exampleProblems(action(), examples)).toEqual([]);
  });
});
