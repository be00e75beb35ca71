import { createPlugin, createRoutableExtension } from '@backstage/core-plugin-api';
import { rootRouteRef } from './routes';

/**
 * Berth's frontend plugin for the legacy frontend system.
 *
 * @public
 */
export const imagesPlugin = createPlugin({
  id: 'images',
  routes: { root: rootRouteRef },
});

/**
 * The Images tab of an entity page.
 *
 * @public
 */
export const EntityImagesContent = imagesPlugin.provide(
  createRoutableExtension({
    name: 'EntityImagesContent',
    component: () => import('./components/EntityImagesContent').then(m => m.EntityImagesContent),
    mountPoint: rootRouteRef,
  }),
);
