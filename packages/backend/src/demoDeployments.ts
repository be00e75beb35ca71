import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { RegistryClient } from '@berth/plugin-images-backend';
import {
  KubernetesApiReplay,
  startKubernetesApiReplay,
} from '@berth/plugin-images-backend-test-utils';
import { theShopDeployFiles } from '@berth/demo-registry';
import { createServer, Server } from 'node:http';

function listen(server: Server, port: number) {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

/** Another demo backend on this machine serves the same stand-ins (their content is the same demo data). */
const inUse = (error: unknown) =>
  (error as NodeJS.ErrnoException)?.code === 'EADDRINUSE';

/**
 * Demo only: stand-ins for what a platform already has, so that the Images tab can show what runs.
 *
 * - A code host serving the-shop's deployment files (its GitOps repository), read by Backstage's URL reader
 *   (`backend.reading.allow` names it in app-config.yaml).
 * - A Kubernetes API server for support-email's production cluster, which cannot run here: it replays documented
 *   pod lists, and follows the registry's `latest` tag the way a deployment controller would, rolling out in two
 *   steps (half the pods, then all), so that a promotion shows "rolling out" and then "running".
 */
export default createBackendPlugin({
  pluginId: 'demo-deployments',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.rootLifecycle,
      },
      async init({ config, logger, lifecycle }) {
        const settings = config.getOptionalConfig('berthDemo.deployments');
        if (!settings) return;
        const files = theShopDeployFiles();
        const codeHost = createServer((req, res) => {
          const path = decodeURIComponent(
            new URL(req.url ?? '/', 'http://demo').pathname,
          ).replace(/^\/+/, '');
          const body = files[path];
          if (req.method !== 'GET' || body === undefined) {
            res
              .writeHead(404, { 'content-type': 'text/plain' })
              .end('Not found');
            return;
          }
          res.writeHead(200, { 'content-type': 'text/yaml' }).end(body);
        });
        const filesPort = settings.getNumber('filesPort');
        const clusterPort = settings.getNumber('clusterPort');
        try {
          await listen(codeHost, filesPort);
        } catch (error) {
          if (!inUse(error)) throw error;
          logger.warn(`Demo code host: port ${filesPort} is taken; using it`);
        }

        const registry = new RegistryClient({
          host: 'registry.digitalocean.com',
          baseUrl: settings.getString('registryUrl'),
        });
        lifecycle.addShutdownHook(async () => {
          if (codeHost.listening) {
            await new Promise(resolve => codeHost.close(resolve));
          }
        });
        let cluster: KubernetesApiReplay;
        try {
          cluster = await startKubernetesApiReplay({
            port: clusterPort,
            keepRequests: 100,
          });
        } catch (error) {
          if (!inUse(error)) throw error;
          logger.warn(`Demo cluster: port ${clusterPort} is taken; using it`);
          return;
        }
        const controller = supportEmailController(cluster, registry);
        await controller
          .sync()
          .catch(error =>
            logger.warn(`Demo cluster: could not read the registry: ${error}`),
          );
        const timer = setInterval(
          () => controller.sync().catch(() => undefined),
          15_000,
        );
        logger.info(
          `Demo stand-ins: the-shop's deployment files on port ${filesPort}, support-email's production cluster on port ${clusterPort}`,
        );
        lifecycle.addShutdownHook(async () => {
          clearInterval(timer);
          await cluster.stop();
        });
      },
    });
  },
});

/** Support-email's production deployment: four pods that follow `latest`, half at a time. */
function supportEmailController(
  cluster: KubernetesApiReplay,
  registry: RegistryClient,
) {
  const image = 'registry.digitalocean.com/keepkey/support-email';
  let running: string[] = [];
  const pods = (digests: string[]) =>
    digests.map((digest, i) => ({
      name: `support-email-7d9f8-${i}`,
      namespace: 'keepkey',
      labels: { 'backstage.io/kubernetes-id': 'support-email' },
      containers: [
        {
          name: 'mailer',
          image: `${image}:latest`,
          imageID: `${image}@${digest}`,
        },
      ],
    }));
  return {
    async sync() {
      const wanted = await registry.resolveDigest(
        'keepkey/support-email',
        'latest',
      );
      if (!wanted) return;
      if (running.length === 0) {
        running = [wanted, wanted, wanted, wanted];
      } else if (running.some(digest => digest !== wanted)) {
        // One step of a rolling update: the first half, then the rest.
        const stale = running.findIndex(digest => digest !== wanted);
        running = running.map((digest, i) => (i < stale + 2 ? wanted : digest));
      }
      cluster.setPods(pods(running));
    },
  };
}
