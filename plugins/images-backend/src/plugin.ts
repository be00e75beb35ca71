import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { imagesPermissions } from '@berth/plugin-images-common';
import {
  DeploymentSource,
  imagesDeploymentSourcesExtensionPoint,
  imagesTagListingsExtensionPoint,
  TagListingProvider,
  imagesGatesExtensionPoint,
  PromotionGate,
} from '@berth/plugin-images-node';
import { registerImagesActions } from './actions';
import { imagesConfigServiceRef } from './config/ImagesConfig';
import { deploymentsServiceRef } from './deployments/DeploymentsService';
import {
  driftWatchServiceRef,
  scheduleDriftWatch,
} from './deployments/DriftWatch';
import { registryEventsServiceRef } from './events/RegistryEventsService';
import { entityImagesAccessServiceRef } from './entities/EntityImagesAccess';
import { promoterServiceRef } from './promotion/promoterServiceRef';
import { promotionApprovalServiceRef } from './promotion/PromotionApprovalService';
import { promotionServiceRef } from './promotion/PromotionService';
import { createRouter } from './router';
import { environmentLanesServiceRef } from './tab/EnvironmentLanesService';
import { imageDetailsServiceRef } from './tab/ImageDetailsService';
import { tagTableServiceRef } from './tab/TagTableService';
import { fleetServiceRef } from './fleet/FleetService';
import { holdServiceRef } from './holds/HoldService';
import { environmentStaysServiceRef } from './stays/EnvironmentStays';
import { scheduleIndexRefresh } from './tagIndex/scheduleIndexRefresh';
import { onboardedEntitiesServiceRef } from './entities/OnboardedEntities';
import { tagIndexServiceRef } from './tagIndex/tagIndexServiceRef';
import { tagListingsServiceRef } from './tagListings/TagListings';
import { verifyServiceRef } from './verify/VerifyService';

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
    const moduleSources: DeploymentSource[] = [];
    env.registerExtensionPoint(imagesDeploymentSourcesExtensionPoint, {
      addDeploymentSource(...sources) {
        moduleSources.push(...sources);
      },
    });
    const moduleListings: TagListingProvider[] = [];
    env.registerExtensionPoint(imagesTagListingsExtensionPoint, {
      addProvider(...providers) {
        moduleListings.push(...providers);
      },
    });
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        permissionsRegistry: coreServices.permissionsRegistry,
        actionsRegistry: actionsRegistryServiceRef,
        images: imagesConfigServiceRef,
        access: entityImagesAccessServiceRef,
        onboarded: onboardedEntitiesServiceRef,
        index: tagIndexServiceRef,
        lanes: environmentLanesServiceRef,
        tagTable: tagTableServiceRef,
        details: imageDetailsServiceRef,
        promoter: promoterServiceRef,
        promotions: promotionServiceRef,
        approvals: promotionApprovalServiceRef,
        verifier: verifyServiceRef,
        events: registryEventsServiceRef,
        deployments: deploymentsServiceRef,
        driftWatch: driftWatchServiceRef,
        listings: tagListingsServiceRef,
        stays: environmentStaysServiceRef,
        holds: holdServiceRef,
        fleet: fleetServiceRef,
        config: coreServices.rootConfig,
      },
      async init(deps) {
        const { httpRouter, permissionsRegistry, promoter, deployments } = deps;
        permissionsRegistry.addPermissions(imagesPermissions);
        promoter.addGates(moduleGates);
        deployments.addSources(moduleSources);
        deps.listings.addProviders(moduleListings);
        httpRouter.use(await createRouter(deps));
        // Anyone may learn that Berth is up; the route says nothing else.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // Registries are no Backstage users: their events carry the registry's own token instead.
        httpRouter.addAuthPolicy({ path: '/events', allow: 'unauthenticated' });
        httpRouter.addAuthPolicy({
          path: '/webhooks',
          allow: 'unauthenticated',
        });
        // The same services, for agents (MCP actions backend) and other plugins.
        registerImagesActions(deps);
        await scheduleIndexRefresh({
          ...deps,
          refreshMinutes: deps.images.index.refreshMinutes,
        });
        await scheduleDriftWatch({
          scheduler: deps.scheduler,
          watch: deps.driftWatch,
          minutes:
            deps.config.getOptionalNumber('images.deployments.watchMinutes') ??
            5,
        });
      },
    });
  },
});
