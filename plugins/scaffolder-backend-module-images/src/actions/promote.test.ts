import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { PromotionInfo } from '@berth/plugin-images-common';
import {
  APPROVER,
  DOTCA,
  exampleProblems,
  mockContext,
  ImagesTestBackend,
  startImagesTestBackend,
} from './__testUtils__/imagesTestBackend';
import { createPromoteImageAction } from './promote';
import { examples } from './promote.examples';

function outputOf(ctx: { output: unknown }, name: string): unknown {
  return (ctx.output as jest.Mock).mock.calls.find(([n]) => n === name)?.[1];
}

// The action calls a real images backend (in a test backend, entity from an in-memory catalog) that promotes in a
// real registry standing in for ghcr.io.
describe('images:promote', () => {
  let backend: ImagesTestBackend;

  beforeAll(async () => {
    backend = await startImagesTestBackend();
  });
  afterAll(() => backend?.stop());

  const action = () => createPromoteImageAction(backend.actionOptions);

  const input = {
    entityRef: 'component:default/dotca',
    environment: 'staging',
    source: 'v2',
    reason: 'Ship v2',
  };

  it('reports the plan in a dry run and writes nothing', async () => {
    const logger = mockServices.logger.mock();
    // The mock context has no dry-run option: set the flag the scaffolder sets.
    const ctx = {
      ...mockContext({ input, logger }),
      isDryRun: true,
    };
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('digest', backend.digests.new);
    expect(ctx.output).toHaveBeenCalledWith(
      'previousDigest',
      backend.digests.old,
    );
    expect(ctx.output).toHaveBeenCalledWith('tags', ['staging']);
    expect(ctx.output).toHaveBeenCalledWith('gates', expect.any(Array));
    expect(ctx.output).not.toHaveBeenCalledWith(
      'promotionId',
      expect.anything(),
    );
    const rollbackTag = outputOf(ctx, 'rollbackTag');
    expect(rollbackTag).toMatch(/^rollback-\d{8}-\d{6}-staging-ship-v2$/);
    expect(logger.info).toHaveBeenCalledWith(
      `Dry run: ghcr.io/bxtech/dotca staging would move from ${backend.digests.old} to ${backend.digests.new}, writing staging and keeping ${rollbackTag} on ${backend.digests.old}`,
    );
    expect(await backend.resolve('staging')).toBe(backend.digests.old);
  });

  it('promotes, keeps a rollback tag, and outputs what it did', async () => {
    const logger = mockServices.logger.mock();
    const ctx = mockContext({
      input: { ...input, expectedCurrentDigest: backend.digests.old },
      logger,
    });
    await action().handler(ctx);
    expect(await backend.resolve('staging')).toBe(backend.digests.new);
    expect(ctx.output).toHaveBeenCalledWith('digest', backend.digests.new);
    expect(ctx.output).toHaveBeenCalledWith('status', 'succeeded');
    expect(ctx.output).toHaveBeenCalledWith('tags', ['staging']);
    const promotionId = outputOf(ctx, 'promotionId');
    expect(promotionId).toEqual(expect.any(String));
    const rollbackTag = outputOf(ctx, 'rollbackTag') as string;
    expect(rollbackTag).toMatch(/^rollback-\d{8}-\d{6}-staging-ship-v2$/);
    expect(await backend.resolve(rollbackTag)).toBe(backend.digests.old);
    expect(logger.info).toHaveBeenCalledWith(
      `ghcr.io/bxtech/dotca staging now runs ${backend.digests.new} (promotion ${promotionId}); wrote staging`,
    );
    expect(logger.info).toHaveBeenCalledWith(
      `Kept ${rollbackTag} on ${backend.digests.old}, the digest staging ran before`,
    );
  });

  it('promotes only once when a resumed task replays the checkpoint', async () => {
    const stored = new Map<string, unknown>();
    const ctx = {
      ...mockContext({ input: { ...input, source: 'v1' } }),
      // What the scaffolder does: run fn the first time, return the stored result after a restart.
      async checkpoint<T>(opts: { key: string; fn: () => Promise<T> | T }) {
        if (!stored.has(opts.key)) stored.set(opts.key, await opts.fn());
        return stored.get(opts.key) as T;
      },
    };
    const before = (
      await backend.api<{ items: PromotionInfo[] }>(`${DOTCA}/promotions`)
    ).items.length;
    await action().handler(ctx);
    await action().handler(ctx);
    const after = (
      await backend.api<{ items: PromotionInfo[] }>(`${DOTCA}/promotions`)
    ).items.length;
    expect(after).toBe(before + 1);
    expect(await backend.resolve('staging')).toBe(backend.digests.old);
  });

  it("fails with the backend's own words when the environment moved since the user looked", async () => {
    const ctx = mockContext({
      input: { ...input, expectedCurrentDigest: backend.digests.new },
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      `staging of ghcr.io/bxtech/dotca moved to ${backend.digests.old} since ${backend.digests.new} was seen`,
    );
  });

  it('refuses a malformed entity reference before calling anything', async () => {
    const ctx = mockContext({
      input: { ...input, entityRef: 'dotca' },
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      '"dotca" is not an entity reference: write it as kind:namespace/name, such as component:default/dotca',
    );
  });

  describe('to a protected environment', () => {
    const production = {
      ...input,
      environment: 'production',
      reason: 'Ship to production',
    };

    it('says in a dry run that the promotion will need an approval', async () => {
      const logger = mockServices.logger.mock();
      const ctx = {
        ...mockContext({ input: production, logger }),
        isDryRun: true,
      };
      await action().handler(ctx);
      expect(logger.info).toHaveBeenCalledWith(
        'Dry run: production is protected, so the step would wait for approval by a second person',
      );
    });

    it('waits for a second person, then outputs the promotion they approved', async () => {
      const logger = mockServices.logger.mock();
      const ctx = mockContext({
        input: { ...production, waitForApproval: 1 },
        logger,
      });
      const { pending, step } = await backend.startWaitingStep(ctx, () =>
        action().handler(ctx),
      );
      // Still waiting, and nothing moved yet.
      expect(await backend.resolve('latest')).toBe(backend.digests.old);
      expect(logger.info).toHaveBeenCalledWith(
        `production is protected: promotion ${pending.id} is waiting for approval by a second person, on the Images tab of component:default/dotca`,
      );

      await backend.api(`${DOTCA}/promotions/${pending.id}/approve`, {
        as: APPROVER,
        body: { comment: 'Looks good' },
      });
      await step;
      expect(await backend.resolve('latest')).toBe(backend.digests.new);
      expect(logger.info).toHaveBeenCalledWith(
        `Promotion ${pending.id} was approved by ${APPROVER}: Looks good`,
      );
      expect(ctx.output).toHaveBeenCalledWith('status', 'succeeded');
      expect(ctx.output).toHaveBeenCalledWith('promotionId', pending.id);
      expect(ctx.output).toHaveBeenCalledWith('digest', backend.digests.new);
      expect(ctx.output).toHaveBeenCalledWith(
        'previousDigest',
        backend.digests.old,
      );
    });

    it('fails the step with who rejected it and why', async () => {
      const ctx = mockContext({
        input: { ...production, source: 'v1', waitForApproval: 1 },
      });
      const { pending, step } = await backend.startWaitingStep(ctx, () =>
        action().handler(ctx),
      );
      await backend.api(`${DOTCA}/promotions/${pending.id}/reject`, {
        as: APPROVER,
        body: { comment: 'Not during the freeze' },
      });
      await expect(step).rejects.toThrow(
        `Promotion ${pending.id} was rejected by ${APPROVER}: Not during the freeze`,
      );
      expect(await backend.resolve('latest')).toBe(backend.digests.new);
    });

    it('ends with status pending-approval when asked not to wait', async () => {
      const ctx = mockContext({
        input: { ...production, source: 'v1' },
      });
      const { pending, step } = await backend.startWaitingStep(ctx, () =>
        action().handler(ctx),
      );
      await step;
      expect(ctx.output).toHaveBeenCalledWith('status', 'pending-approval');
      expect(ctx.output).toHaveBeenCalledWith('promotionId', pending.id);
      expect(ctx.output).not.toHaveBeenCalledWith('digest', expect.anything());
      await backend.api(`${DOTCA}/promotions/${pending.id}/reject`, {
        as: APPROVER,
        body: { comment: 'Clean-up' },
      });
    });

    it('gives up after the wait, leaving the request pending', async () => {
      const ctx = mockContext({
        // 0.3 seconds.
        input: { ...production, source: 'v1', waitForApproval: 0.005 },
      });
      const { pending, step } = await backend.startWaitingStep(ctx, () =>
        action().handler(ctx),
      );
      await expect(step).rejects.toThrow(
        `Nobody approved promotion ${pending.id} within 0.005 minutes; the request stays pending and can still be approved on the Images tab of component:default/dotca`,
      );
      const still = await backend.api<PromotionInfo>(
        `${DOTCA}/promotions/${pending.id}`,
      );
      expect(still.status).toBe('pending-approval');
      await backend.api(`${DOTCA}/promotions/${pending.id}/reject`, {
        as: APPROVER,
        body: { comment: 'Clean-up' },
      });
    });

    it('stops waiting when the task is cancelled', async () => {
      const controller = new AbortController();
      const ctx = {
        ...mockContext({
          input: { ...production, source: 'v1', waitForApproval: 60 },
        }),
        signal: controller.signal,
      };
      const { pending, step } = await backend.startWaitingStep(ctx, () =>
        action().handler(ctx),
      );
      controller.abort();
      await expect(step).rejects.toThrow(
        `The task was cancelled while promotion ${pending.id} waited for approval; the request stays pending on the Images tab of component:default/dotca`,
      );
      await backend.api(`${DOTCA}/promotions/${pending.id}/reject`, {
        as: APPROVER,
        body: { comment: 'Clean-up' },
      });
    });

    it('keeps waiting when the backend cannot be reached for a while', async () => {
      const logger = mockServices.logger.mock();
      const baseUrl = await backend.actionOptions.discovery.getBaseUrl(
        'images',
      );
      // The request reaches the backend; the next three reads find nothing listening, as during a restart.
      let calls = 0;
      const flaky = createPromoteImageAction({
        ...backend.actionOptions,
        discovery: {
          getBaseUrl: async () => {
            calls += 1;
            return calls >= 2 && calls <= 4
              ? 'http://localhost:1/api/images'
              : baseUrl;
          },
          getExternalBaseUrl: async () => '',
        },
      });
      const ctx = mockContext({
        input: { ...production, source: 'v1', waitForApproval: 1 },
        logger,
      });
      const { pending, step } = await backend.startWaitingStep(ctx, () =>
        flaky.handler(ctx),
      );
      await backend.api(`${DOTCA}/promotions/${pending.id}/approve`, {
        as: APPROVER,
        body: {},
      });
      await step;
      expect(calls).toBeGreaterThan(4);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenCalledWith(
        `Could not read promotion ${pending.id} (fetch failed); trying again`,
      );
      expect(ctx.output).toHaveBeenCalledWith('status', 'succeeded');
      expect(await backend.resolve('latest')).toBe(backend.digests.old);
    });
  });

  it('has examples that are valid steps of this action', () => {
    expect(exampleProblems(action(), examples)).toEqual([]);
  });
});

// The test images set no command, so the cmd gate fails; the layers gate passes.
describe('images:promote past failed gates', () => {
  let backend: ImagesTestBackend;
  let forceAllowed = true;

  beforeAll(async () => {
    backend = await startImagesTestBackend({
      images: {
        promotion: { validation: { requireCmd: true, maxLayers: 5 } },
      },
      permissions: mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(request => ({
            result:
              request.permission.name === 'images.image.force' && !forceAllowed
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      }).factory,
    });
  });
  afterAll(() => backend?.stop());
  afterEach(() => {
    forceAllowed = true;
  });

  const action = () => createPromoteImageAction(backend.actionOptions);

  const input = {
    entityRef: 'component:default/dotca',
    environment: 'staging',
    source: 'v2',
    reason: 'Debug build on purpose',
  };
  const gates = [
    { id: 'layers', passed: true, message: '1 layers within the limit of 5' },
    {
      id: 'cmd',
      passed: false,
      message: 'sets no command (CMD or ENTRYPOINT) (linux/amd64)',
    },
  ];

  it("logs each gate's verdict in a dry run, and what force would do", async () => {
    const logger = mockServices.logger.mock();
    const ctx = {
      ...mockContext({ input, logger }),
      isDryRun: true,
    };
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('gates', gates);
    expect(logger.warn).toHaveBeenCalledWith(
      'Gate cmd: FAILED (sets no command (CMD or ENTRYPOINT) (linux/amd64))',
    );
    expect(logger.info).toHaveBeenCalledWith(
      'Gate layers: passed (1 layers within the limit of 5)',
    );
    expect(logger.warn).toHaveBeenCalledWith(
      'Dry run: the step would fail on the failed gates; set force (with the force permission) to go past them',
    );
  });

  it("fails on a failed gate with the backend's words when not forced", async () => {
    const ctx = mockContext({ input });
    await expect(action().handler(ctx)).rejects.toThrow(
      `ghcr.io/bxtech/dotca@${backend.digests.new} did not pass 1 of 2 gates for staging: cmd: sets no command (CMD or ENTRYPOINT) (linux/amd64). Fix the image, or force the promotion with a reason (needs the force permission)`,
    );
    expect(await backend.resolve('staging')).toBe(backend.digests.old);
  });

  it('refuses force to a user without the force permission', async () => {
    forceAllowed = false;
    const ctx = mockContext({ input: { ...input, force: true } });
    await expect(action().handler(ctx)).rejects.toThrow(
      'You may not force promotions past failed gates of component:default/dotca',
    );
    expect(await backend.resolve('staging')).toBe(backend.digests.old);
  });

  it('goes past failed gates when forced, and says so', async () => {
    const logger = mockServices.logger.mock();
    const ctx = mockContext({
      input: { ...input, force: true },
      logger,
    });
    await action().handler(ctx);
    expect(await backend.resolve('staging')).toBe(backend.digests.new);
    expect(ctx.output).toHaveBeenCalledWith('status', 'succeeded');
    expect(ctx.output).toHaveBeenCalledWith('gates', gates);
    expect(logger.warn).toHaveBeenCalledWith(
      'Gate cmd: FAILED (sets no command (CMD or ENTRYPOINT) (linux/amd64))',
    );
    expect(logger.warn).toHaveBeenCalledWith(
      'Forced past the failed gate cmd; the reason is kept in the history',
    );
    const promotion = await backend.api<PromotionInfo>(
      `${DOTCA}/promotions/${outputOf(ctx, 'promotionId')}`,
    );
    expect(promotion.forced).toBe(true);
  });
});
