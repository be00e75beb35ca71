import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createPromoteImageAction,
  createRollbackImageAction,
  createVerifyImageAction,
} from './actions';

/**
 * Adds Berth's `images:*` actions to the scaffolder.
 *
 * @public
 */
export const scaffolderModuleImages = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'images',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, discovery, auth }) {
        scaffolder.addActions(
          createVerifyImageAction({ discovery, auth }),
          createPromoteImageAction({ discovery, auth }),
          createRollbackImageAction({ discovery, auth }),
        );
      },
    });
  },
});
