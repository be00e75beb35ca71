import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { imagesPermissions } from '@berth/plugin-images-common';
import {
  imagesGatesExtensionPoint,
  PromotionGate,
} from '@berth/plugin-images-node';
import { registerImagesActions } from './actions';
import { createRouter } from './router';
import { entityImagesServiceRef } from './services/EntityImagesService';
import { imagesServiceRef } from './services/ImagesService';
import { promotionServiceRef } from './services/PromotionService';
import { verifyServiceRef } from './services/VerifyService';

/**
 * Berth's images backend: the registry client, the tag index, environment status and the images API.
 *
 * @public
 */
export const imagesPlugin = createBackendPlugin({
  pluginId: 'images',
  register(env) {
    const moduleGates: PromotionGate[] = [];
    env.registerExtensionPoint(imagesGatesExtensionPoint, {
      addGate(...gates) {
        moduleGates.push(...gates);
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        permissionsRegistry: coreServices.permissionsRegistry,
        actionsRegistry: actionsRegistryServiceRef,
        images: imagesServiceRef,
        entityImages: entityImagesServiceRef,
        promotions: promotionServiceRef,
        verifier: verifyServiceRef,
      },
      async init({
        config,
        httpRouter,
        httpAuth,
        auth,
        logger,
        scheduler,
        permissionsRegistry,
        actionsRegistry,
        images,
        entityImages,
        promotions,
        verifier,
      }) {
        permissionsRegistry.addPermissions(imagesPermissions);
        promotions.addGates(moduleGates);
        httpRouter.use(
          await createRouter({
            images,
            entityImages,
            promotions,
            verifier,
            httpAuth,
            logger,
          }),
        );
        // The same services, for agents (MCP actions backend) and other plugins.
        registerImagesActions({
          actionsRegistry,
          entityImages,
          promotions,
          verifier,
        });
        // Anyone may learn that Berth is up; the route says nothing else.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // One replica at a time keeps every onboarded repository's index fresh.
        await scheduler.scheduleTask({
          id: 'images-tag-index-refresh',
          frequency: {
            minutes:
              config.getOptionalNumber('images.index.refreshMinutes') ?? 10,
          },
          timeout: { minutes: 30 },
          initialDelay: { seconds: 15 },
          fn: async () =>
            entityImages.refreshAll(await auth.getOwnServiceCredentials()),
        });
      },
    });
  },
});
