import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  ADA,
  GRACE,
  MALLORY,
  McpTestBackend,
  startMcpTestBackend,
} from './__testUtils__/mcpTestBackend';

// Promotions and rollbacks as an agent asks for them: MCP over HTTP to the real MCP actions backend, the images
// plugin in the same test backend moving tags in a real registry.
describe('images:promote and images:rollback through the MCP actions backend', () => {
  let backend: McpTestBackend;

  beforeAll(async () => {
    backend = await startMcpTestBackend();
  });
  afterAll(() => backend?.stop());

  it('plans a promotion, makes it in the registry, and rolls it back', async () => {
    const { one, two } = backend.digests.cart;
    const promote = (args: Record<string, unknown>) =>
      backend.mcp.callTool('images.promote', {
        entityRef: 'component:default/cart',
        environment: 'staging',
        source: 'build-2',
        reason: 'Ship the fix',
        ...args,
      });

    const plan = await promote({ dryRun: true });
    expect(plan.structuredContent).toMatchObject({
      dryRun: true,
      digest: two,
      previousDigest: one,
      tags: ['staging'],
      needsApproval: false,
    });
    expect(await backend.resolve('cart', 'staging')).toBe(one);

    const done = await promote({ expectedCurrentDigest: one });
    expect(done.isError).toBeUndefined();
    expect(done.structuredContent).toMatchObject({
      dryRun: false,
      status: 'succeeded',
      digest: two,
      previousDigest: one,
      tags: ['staging'],
      promotionId: expect.any(String),
    });
    expect(await backend.resolve('cart', 'staging')).toBe(two);
    const { rollbackTag } = done.structuredContent;
    expect(rollbackTag).toMatch(/^rollback-\d{8}-\d{6}-staging-ship-the-fix$/);
    expect(await backend.resolve('cart', rollbackTag)).toBe(one);
    // The same history as the Images tab's, naming the user the agent acted for.
    const history = await request(backend.server)
      .get('/api/images/entities/component/default/cart/promotions')
      .set('authorization', mockCredentials.user.header(ADA));
    expect(history.body.items[0]).toMatchObject({
      id: done.structuredContent.promotionId,
      requestedBy: ADA,
      reason: 'Ship the fix',
    });

    const undone = await backend.mcp.callTool('images.rollback', {
      entityRef: 'component:default/cart',
      environment: 'staging',
      reason: 'The fix broke checkout',
    });
    expect(undone.structuredContent).toMatchObject({
      status: 'succeeded',
      digest: one,
      previousDigest: two,
    });
    expect(await backend.resolve('cart', 'staging')).toBe(one);
  });

  it('refuses a user denied images.image.promote, and the tag does not move', async () => {
    const promoted = await backend.mcp.callTool(
      'images.promote',
      {
        entityRef: 'component:default/shop',
        environment: 'staging',
        source: 'build-2',
        reason: 'Sneak it in',
      },
      MALLORY,
    );
    expect(promoted.isError).toBe(true);
    expect(promoted.content[0].text).toBe(
      'NotAllowedError: You may not promote the images of component:default/shop',
    );
    const rolledBack = await backend.mcp.callTool(
      'images.rollback',
      {
        entityRef: 'component:default/shop',
        environment: 'staging',
        target: 'build-2',
        reason: 'Sneak it in',
      },
      MALLORY,
    );
    expect(rolledBack.content[0].text).toBe(
      'NotAllowedError: You may not roll back the images of component:default/shop',
    );
    expect(await backend.resolve('shop', 'staging')).toBe(
      backend.digests.shop.one,
    );
    // Reading is still Mallory's to do.
    const read = await backend.mcp.callTool(
      'images.get-environments',
      { entityRef: 'component:default/shop' },
      MALLORY,
    );
    expect(read.isError).toBeUndefined();
  });

  it('leaves a promotion to a protected environment pending until a second person approves it', async () => {
    const { one, two } = backend.digests.checkout;
    const asked = await backend.mcp.callTool('images.promote', {
      entityRef: 'component:default/checkout',
      environment: 'production',
      source: 'build-2',
      reason: 'Release 2',
    });
    expect(asked.structuredContent).toMatchObject({
      dryRun: false,
      status: 'pending-approval',
      tags: ['latest', 'main'],
    });
    expect(asked.structuredContent.digest).toBeUndefined();
    expect(asked.structuredContent.message).toMatch(
      /^production is protected: promotion \S+ is waiting for approval by a second person/,
    );
    expect(await backend.resolve('checkout', 'latest')).toBe(one);
    expect(await backend.resolve('checkout', 'main')).toBe(one);

    // The pending promotion is the Images tab's to decide on.
    const approved = await request(backend.server)
      .post(
        `/api/images/entities/component/default/checkout/promotions/${asked.structuredContent.promotionId}/approve`,
      )
      .set('authorization', mockCredentials.user.header(GRACE))
      .send({ comment: 'Checked the canary' });
    expect(approved.body).toMatchObject({
      status: 'succeeded',
      requestedBy: ADA,
    });
    expect(await backend.resolve('checkout', 'latest')).toBe(two);
  });
});
