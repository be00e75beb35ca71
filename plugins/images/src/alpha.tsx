import {
  ApiBlueprint,
  createFrontendPlugin,
  PageBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { imagesApiRef, ImagesClient } from './api';
import { isImagesAvailable } from './conditions';
import { fleetRouteRef, rootRouteRef } from './routes';
import { ImagesNavIcon } from './components/ApprovalInbox/ImagesNavIcon';

/**
 * The client of the images backend, as a new-frontend-system API extension.
 *
 * @alpha
 */
export const imagesApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: imagesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ImagesClient({ discoveryApi, fetchApi }),
    }),
});

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
    loader: () =>
      import('./components/EntityImagesContent').then(m => (
        <m.EntityImagesContent />
      )),
  },
});

/**
 * The Images overview card as a new-frontend-system extension.
 *
 * @alpha
 */
export const imagesEntityCard = EntityCardBlueprint.make({
  name: 'images',
  params: {
    filter: isImagesAvailable,
    loader: () =>
      import('./components/EntityImagesCard').then(m => <m.EntityImagesCard />),
  },
});

/**
 * The `ImageTagPicker` scaffolder field (`ui:field: ImageTagPicker`) as a new-frontend-system extension.
 *
 * @alpha
 */
export const imagesTagPickerFormField = FormFieldBlueprint.make({
  name: 'image-tag-picker',
  params: {
    field: () =>
      import('./components/TagPickerFieldExtension/formField').then(
        m => m.imageTagPickerFormField,
      ),
  },
});

/**
 * The Images page (the fleet) as a new-frontend-system page, with its sidebar item. The item's icon carries the count
 * of promotions waiting for the user's approval (the app renders a page's icon inside its tree, so the icon asks).
 *
 * @alpha
 */
export const imagesFleetPage = PageBlueprint.make({
  params: {
    path: '/images',
    title: 'Images',
    icon: <ImagesNavIcon />,
    routeRef: fleetRouteRef,
    loader: () =>
      import('./components/FleetPage').then(m => <m.FleetContent />),
  },
});

/**
 * Berth's frontend plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'images',
  extensions: [
    imagesApi,
    imagesEntityContent,
    imagesEntityCard,
    imagesTagPickerFormField,
    imagesFleetPage,
  ],
  routes: { root: rootRouteRef, fleet: fleetRouteRef },
});
