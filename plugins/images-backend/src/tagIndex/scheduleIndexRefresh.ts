import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { formatImageReference } from '@berth/plugin-images-common';
import { EntityImagesAccess } from '../entities/EntityImagesAccess';
import { describeError } from '../describeError';
import { TagIndex } from './TagIndex';

/**
 * Refreshes the index of every onboarded entity's images: a fresh listing, the environment tags, and every tag and
 * digest not resolved yet. One image failing does not stop the others.
 */
export async function refreshOnboarded(options: {
  access: EntityImagesAccess;
  index: TagIndex;
  logger: LoggerService;
  auth: AuthService;
}): Promise<void> {
  const { access, index, logger, auth } = options;
  const onboarded = await access.onboardedImages(
    await auth.getOwnServiceCredentials(),
  );
  for (const { image, environments } of onboarded) {
    try {
      await index.refresh(
        image,
        environments.map(env => env.tag),
      );
    } catch (error) {
      logger.warn(
        `Could not refresh the tag index of ${formatImageReference(image)}: ${
          describeError(error).message
        }`,
      );
    }
  }
}

/** Keeps every onboarded repository's index fresh, on one replica at a time. */
export async function scheduleIndexRefresh(options: {
  scheduler: SchedulerService;
  refreshMinutes: number;
  access: EntityImagesAccess;
  index: TagIndex;
  logger: LoggerService;
  auth: AuthService;
}): Promise<void> {
  await options.scheduler.scheduleTask({
    id: 'images-tag-index-refresh',
    frequency: { minutes: options.refreshMinutes },
    timeout: { minutes: 30 },
    initialDelay: { seconds: 15 },
    fn: () => refreshOnboarded(options),
  });
}
