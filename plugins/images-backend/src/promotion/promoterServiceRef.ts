import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { imagesConfigServiceRef } from '../config/ImagesConfig';
import { environmentHoldsServiceRef } from '../holds/EnvironmentHolds';
import { environmentStaysServiceRef } from '../stays/EnvironmentStays';
import { tagIndexServiceRef } from '../tagIndex/tagIndexServiceRef';
import { GateRunner, readValidationConfig } from './gates';
import { Promoter } from './Promoter';
import { PromotionLocks } from './PromotionLocks';
import { PromotionNotifier } from './PromotionNotifier';
import { PromotionStore } from './PromotionStore';
import { PromotionTrail } from './PromotionTrail';
import { ReleasePolicyGates } from './releasePolicies';

/**
 * The one promoter of the plugin, shared by promotions and approvals: its gates (module gates included), its
 * locks and its audit trail.
 */
export const promoterServiceRef = createServiceRef<Promoter>({
  id: 'images.promoter',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        images: imagesConfigServiceRef,
        stays: environmentStaysServiceRef,
        holds: environmentHoldsServiceRef,
      },
      async factory({ config, database, images, stays, holds }) {
        // One after the other: both bring the promotions' tables up to date.
        const store = await PromotionStore.create(database);
        const locks = await PromotionLocks.create(database, {
          leaseMs: images.promotion.lockLeaseMs,
        });
        return new Promoter({
          registries: images.registries,
          store,
          locks,
          gates: new GateRunner({
            registries: images.registries,
            validationFor: readValidationConfig(config),
          }),
          policies: new ReleasePolicyGates({ stays, holds }),
          stays,
          holds,
        });
      },
    }),
});

/** The promotions' history, audit and signals, shared by promotions and approvals. */
export const promotionTrailServiceRef = createServiceRef<PromotionTrail>({
  id: 'images.promotion-trail',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        promoter: promoterServiceRef,
        index: tagIndexServiceRef,
        auditor: coreServices.auditor,
        signals: signalsServiceRef,
      },
      async factory({ promoter, index, auditor, signals }) {
        return new PromotionTrail({
          store: promoter.store,
          index,
          auditor,
          signals,
        });
      },
    }),
});

/** Who hears of promotions (Backstage notifications), shared by promotions and approvals. */
export const promotionNotifierServiceRef = createServiceRef<PromotionNotifier>({
  id: 'images.promotion-notifier',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        notifications: notificationService,
        logger: coreServices.logger,
      },
      async factory({ notifications, logger }) {
        return new PromotionNotifier({ notifications, logger });
      },
    }),
});
