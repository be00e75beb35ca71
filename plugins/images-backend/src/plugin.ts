import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { imagesPermissions } from '@berth/plugin-images-common';
import { createRouter } from './router';
import { imagesServiceRef } from './services/ImagesService';

/**
 * Berth's images backend: the registry client, environment status and the images API.
 *
 * @public
 */
export const imagesPlugin = createBackendPlugin({
  pluginId: 'images',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissionsRegistry: coreServices.permissionsRegistry,
        images: imagesServiceRef,
      },
      async init({ httpRouter, httpAuth, permissionsRegistry, images }) {
        permissionsRegistry.addPermissions(imagesPermissions);
        httpRouter.use(await createRouter({ images, httpAuth }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
