import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PermissionEvaluator,
} from '@backstage/plugin-permission-common';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import {
  pushTestImage,
  startRegistry,
} from '@berth/plugin-images-backend-test-utils';
import { RegistryClient } from '../../registry';
import {
  imageEntity,
  imagesTestBackends,
} from '../../__testUtils__/testBackends';
import { mcpClient } from './mcpClient';

export const ADA = 'user:default/ada';
export const GRACE = 'user:default/grace';
/** May read the entities' images, may not promote them. */
export const MALLORY = 'user:default/mallory';
/** May not read the entities' images. */
export const EVE = 'user:default/eve';

// Everyone may do everything, but Mallory may not promote (nor roll back) and Eve may not read.
const policy = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: (): PermissionEvaluator => {
    const decide = (
      requests: Array<{ permission: { name: string } }>,
      options?: { credentials?: BackstageCredentials },
    ) => {
      const { userEntityRef } = (options?.credentials?.principal ?? {}) as {
        userEntityRef?: string;
      };
      return requests.map(({ permission: { name } }) => ({
        result:
          (userEntityRef === MALLORY && name === 'images.image.promote') ||
          (userEntityRef === EVE && name === 'images.image.read')
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      }));
    };
    return {
      authorize: async (requests, options) =>
        decide(requests as any, options as any) as any,
      authorizeConditional: async (requests, options) =>
        decide(requests as any, options as any) as any,
    };
  },
});

/**
 * Berth's actions as an agent reaches them: the real MCP actions backend and the images plugin in one test backend
 * (the actions service listing the images plugin's actions), the entities `shop`, `cart` and `checkout` in an
 * in-memory catalog, and a real CNCF registry standing in for ghcr.io. Each `acme/{entity}` repository has `one`
 * (build-1, staging, latest, main) and `two` (build-2).
 */
export async function startMcpTestBackend() {
  const registry = await startRegistry();
  const direct = new RegistryClient({
    host: registry.host,
    baseUrl: registry.url,
  });
  const digests: Record<string, { one: string; two: string }> = {};
  const backends = imagesTestBackends(() => registry.url);
  const stop = async () => {
    await backends.stopAll();
    await registry.stop();
  };
  try {
    // One push at a time: concurrent pushes of a shared config blob can fail.
    for (const repository of ['shop', 'cart', 'checkout']) {
      digests[repository] = {
        one: await pushTestImage(
          direct,
          `acme/${repository}`,
          ['build-1', 'staging', 'latest', 'main'],
          { layer: `${repository} one` },
        ),
        two: await pushTestImage(direct, `acme/${repository}`, ['build-2'], {
          layer: `${repository} two`,
        }),
      };
    }
    const server = await backends.start({
      entities: [
        imageEntity('cart', 'ghcr.io/acme/cart'),
        imageEntity('checkout', 'ghcr.io/acme/checkout'),
      ],
      features: [mcpActionsPlugin],
      config: { backend: { actions: { pluginSources: ['images'] } } },
      permissions: policy,
    });
    return {
      server,
      mcp: mcpClient(server),
      digests,
      /** What the registry says a tag of `ghcr.io/acme/{repository}` points at. */
      resolve: (repository: string, tag: string) =>
        direct.resolveDigest(`acme/${repository}`, tag),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export type McpTestBackend = Awaited<ReturnType<typeof startMcpTestBackend>>;
