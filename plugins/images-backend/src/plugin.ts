import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { imagesPermissions } from '@berth/plugin-images-common';
import {
  imagesGatesExtensionPoint,
  PromotionGate,
} from '@berth/plugin-images-node';
import { createRouter } from './router';
import { entityImagesServiceRef } from './services/EntityImagesService';
import { imagesServiceRef } from './services/ImagesService';
import { promotionServiceRef } from './services/PromotionService';

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
        scheduler: coreServices.scheduler,
        permissionsRegistry: coreServices.permissionsRegistry,
        images: imagesServiceRef,
        entityImages: entityImagesServiceRef,
        promotions: promotionServiceRef,
      },
      async init({
        config,
        httpRouter,
        httpAuth,
        auth,
        scheduler,
        permissionsRegistry,
        images,
        entityImages,
        promotions,
      }) {
        permissionsRegistry.addPermissions(imagesPermissions);
        promotions.addGates(moduleGates);
        httpRouter.use(
          await createRouter({ images, entityImages, promotions, httpAuth }),
        );
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
