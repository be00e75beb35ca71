import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { imagesConfigServiceRef } from '../config/ImagesConfig';
import { tagListingsServiceRef } from '../tagListings/TagListings';
import { TagIndex } from './TagIndex';
import { TagIndexStore } from './TagIndexStore';

/**
 * Service ref for the tag index: every onboarded repository's tags, their digests and what each digest is, kept in
 * Backstage's database and shared by the replicas.
 *
 * @public
 */
export const tagIndexServiceRef = createServiceRef<TagIndex>({
  id: 'images.tag-index',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        database: coreServices.database,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        images: imagesConfigServiceRef,
        listings: tagListingsServiceRef,
      },
      async factory({ database, logger, lifecycle, images, listings }) {
        const index = new TagIndex({
          store: await TagIndexStore.create(database),
          registries: images.registries,
          logger,
          listings,
          options: images.index,
        });
        lifecycle.addShutdownHook(() => index.stop());
        return index;
      },
    }),
});
