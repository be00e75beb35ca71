/*
 * A test backend with Backstage's real Kubernetes plugin and the Kubernetes deployment source, run as its own Node
 * process by KubernetesDeploymentSource.test.ts. The Kubernetes backend loads `@kubernetes/client-node` (ESM-only)
 * with a dynamic `import()` for every cluster request, which Jest's module runtime refuses without
 * `--experimental-vm-modules` (and with that flag other CommonJS dependencies fail to load); a plain Node process
 * runs it as production does.
 *
 * Settings come as JSON in BERTH_KUBERNETES_TEST_BACKEND; the process prints `{"port":…}` once listening and ends when
 * its stdin closes. `POST /api/deployments-probe/deployments` with `{ entityRef, environments }` answers the source's
 * reports for the calling user.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { JsonObject } from '@backstage/types';
import express from 'express';
import Router from 'express-promise-router';
import { AddressInfo } from 'node:net';
import { KubernetesDeploymentSource } from '../KubernetesDeploymentSource';

interface Settings {
  /** Root config: `kubernetes` and `images.deployments.kubernetes`. */
  config: JsonObject;
  entities: Entity[];
}

const deploymentsProbe = createBackendPlugin({
  pluginId: 'deployments-probe',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
        http: coreServices.httpRouter,
        catalog: catalogServiceRef,
      },
      async init({ config, http, httpAuth, catalog, ...deps }) {
        const source = KubernetesDeploymentSource.fromConfig(config, deps);
        const router = Router();
        router.use(express.json());
        router.post('/deployments', async (req, res) => {
          const credentials = await httpAuth.credentials(req, {
            allow: ['user'],
          });
          const entity = await catalog.getEntityByRef(
            parseEntityRef(req.body.entityRef),
            { credentials },
          );
          if (!entity) throw new NotFoundError(req.body.entityRef);
          res.json(
            (await source?.getDeployments({
              entity,
              environments: req.body.environments,
              credentials,
            })) ?? null,
          );
        });
        http.use(router);
      },
    });
  },
});

async function main() {
  const settings: Settings = JSON.parse(
    process.env.BERTH_KUBERNETES_TEST_BACKEND ?? '{}',
  );
  const backend = await startTestBackend({
    features: [
      kubernetesPlugin,
      deploymentsProbe,
      catalogServiceMock.factory({ entities: settings.entities }),
      mockServices.rootConfig.factory({ data: settings.config }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    backend.stop().finally(() => process.exit(0));
  });
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
