import {
  EVE,
  McpTestBackend,
  startMcpTestBackend,
} from './__testUtils__/mcpTestBackend';

// The reading actions as an agent calls them: MCP over HTTP to the real MCP actions backend, the images plugin in the
// same test backend reading a real registry.
describe('images:get-environments and images:verify through the MCP actions backend', () => {
  let backend: McpTestBackend;

  beforeAll(async () => {
    backend = await startMcpTestBackend();
  });
  afterAll(() => backend?.stop());

  it('lists the four tools, with hints that say which only read and which change the registry', async () => {
    const init = await backend.mcp.initialize();
    expect(init.capabilities.tools).toBeDefined();
    const tools = await backend.mcp.listTools();
    const byName = Object.fromEntries(tools.map(tool => [tool.name, tool]));
    expect(Object.keys(byName).sort()).toEqual([
      'images.get-environments',
      'images.promote',
      'images.rollback',
      'images.verify',
    ]);
    const reads = { readOnlyHint: true, destructiveHint: false };
    const writes = { readOnlyHint: false, destructiveHint: true };
    expect(byName['images.get-environments'].annotations).toMatchObject({
      ...reads,
      idempotentHint: true,
    });
    expect(byName['images.verify'].annotations).toMatchObject({
      ...reads,
      idempotentHint: true,
    });
    expect(byName['images.promote'].annotations).toMatchObject(writes);
    expect(byName['images.rollback'].annotations).toMatchObject(writes);
    expect(byName['images.promote'].inputSchema.required?.sort()).toEqual([
      'entityRef',
      'environment',
      'reason',
      'source',
    ]);
    expect(byName['images.verify'].inputSchema.required?.sort()).toEqual([
      'image',
      'tag',
    ]);
  });

  it("answers an entity's environments with the digests the registry has", async () => {
    const result = await backend.mcp.callTool('images.get-environments', {
      entityRef: 'component:default/shop',
    });
    expect(result.isError).toBeUndefined();
    expect(JSON.parse(result.content[0].text)).toEqual(
      result.structuredContent,
    );
    const [image] = result.structuredContent.images;
    expect(result.structuredContent.entityRef).toBe('component:default/shop');
    expect(image.image).toBe('ghcr.io/acme/shop');
    expect(image.environments).toMatchObject([
      {
        name: 'staging',
        tag: 'staging',
        protected: false,
        status: 'GREEN',
        digest: await backend.resolve('shop', 'staging'),
      },
      {
        name: 'production',
        tag: 'latest',
        protected: true,
        status: 'GREEN',
        digest: await backend.resolve('shop', 'latest'),
      },
    ]);
    expect(image.environments[0].digest).toBe(backend.digests.shop.one);
  });

  it("verifies a tag: GREEN with the registry's digest, RED when the registry has no such tag", async () => {
    const verify = (args: Record<string, unknown>) =>
      backend.mcp.callTool('images.verify', {
        image: 'ghcr.io/acme/shop',
        entityRef: 'component:default/shop',
        ...args,
      });
    expect((await verify({ tag: 'build-2' })).structuredContent).toEqual({
      status: 'GREEN',
      digest: backend.digests.shop.two,
      reference: 'ghcr.io/acme/shop:build-2',
    });
    expect((await verify({ tag: 'build-9' })).structuredContent).toEqual({
      status: 'RED',
      reference: 'ghcr.io/acme/shop:build-9',
    });
    const missing = await verify({ tag: 'build-9', failIfMissing: true });
    expect(missing.isError).toBe(true);
    expect(missing.content[0].text).toBe(
      'NotFoundError: ghcr.io/acme/shop:build-9 does not exist in the registry',
    );
    const notItsImage = await verify({
      image: 'ghcr.io/acme/cart',
      tag: 'build-2',
    });
    expect(notItsImage.isError).toBe(true);
    expect(notItsImage.content[0].text).toMatch(
      /^InputError: ghcr.io\/acme\/cart is not an image of component:default\/shop/,
    );
  });

  it('refuses a user denied images.image.read', async () => {
    const read = await backend.mcp.callTool(
      'images.get-environments',
      { entityRef: 'component:default/shop' },
      EVE,
    );
    expect(read.isError).toBe(true);
    expect(read.content[0].text).toBe(
      'NotAllowedError: You may not read the images of component:default/shop',
    );
    const verified = await backend.mcp.callTool(
      'images.verify',
      {
        image: 'ghcr.io/acme/shop',
        tag: 'staging',
        entityRef: 'component:default/shop',
      },
      EVE,
    );
    expect(verified.content[0].text).toBe(
      'NotAllowedError: You may not read the images of component:default/shop',
    );
  });

  it('answers a malformed entity reference with an InputError', async () => {
    const result = await backend.mcp.callTool('images.get-environments', {
      entityRef: 'shop',
    });
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toBe(
      'InputError: entityRef "shop" is not an entity reference: write it as kind:namespace/name, such as component:default/dotca',
    );
  });
});
