import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isImagesAvailable } from './conditions';
import { rootRouteRef } from './routes';

/**
 * The Images tab as a new-frontend-system extension.
 *
 * @alpha
 */
export const imagesEntityContent = EntityContentBlueprint.make({
  name: 'images',
  params: {
    path: '/images',
    title: 'Images',
    filter: isImagesAvailable,
    loader: () => import('./components/EntityImagesContent').then(m => <m.EntityImagesContent />),
  },
});

/**
 * Berth's frontend plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'images',
  extensions: [imagesEntityContent],
  routes: { root: rootRouteRef },
});
