import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { imagesConfigServiceRef } from '../config/ImagesConfig';
import { GateRunner, readValidationConfig } from './gates';
import { Promoter } from './Promoter';
import { PromotionLocks } from './PromotionLocks';
import { PromotionStore } from './PromotionStore';

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
      },
      async factory({ config, database, images }) {
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
        });
      },
    }),
});
