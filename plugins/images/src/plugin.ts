import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { imagesApiRef, ImagesClient } from './api';
import { fleetRouteRef, rootRouteRef } from './routes';

/**
 * Berth's frontend plugin for the legacy frontend system.
 *
 * @public
 */
export const imagesPlugin = createPlugin({
  id: 'images',
  apis: [
    createApiFactory({
      api: imagesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ImagesClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef, fleet: fleetRouteRef },
});

/**
 * The Images page: every onboarded service against the environments. Mount it at a path of its own (`/images`)
 * and link it from the sidebar.
 *
 * @public
 */
export const ImagesPage = imagesPlugin.provide(
  createRoutableExtension({
    name: 'ImagesPage',
    component: () => import('./components/FleetPage').then(m => m.FleetPage),
    mountPoint: fleetRouteRef,
  }),
);

/**
 * The Images tab of an entity page.
 *
 * @public
 */
export const EntityImagesContent = imagesPlugin.provide(
  createRoutableExtension({
    name: 'EntityImagesContent',
    component: () =>
      import('./components/EntityImagesContent').then(
        m => m.EntityImagesContent,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * A compact card for the entity's Overview tab: each image's environments and a link to the Images tab.
 *
 * @public
 */
export const EntityImagesCard = imagesPlugin.provide(
  createComponentExtension({
    name: 'EntityImagesCard',
    component: {
      lazy: () =>
        import('./components/EntityImagesCard').then(m => m.EntityImagesCard),
    },
  }),
);
