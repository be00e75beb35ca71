import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  environmentImage,
  formatImageReference,
} from '@berth/plugin-images-common';
import { OnboardedEntities } from '../entities/OnboardedEntities';
import { describeError } from '../describeError';
import type { EnvironmentStays } from '../stays/EnvironmentStays';
import { TagIndex } from './TagIndex';

/**
 * Refreshes the index of every onboarded entity's images: a fresh listing, the environment tags, and every tag and
 * digest not resolved yet; then records what each environment runs (environments kept in another repository
 * included), so that release policies count stays nobody looked at. One image failing does not stop the others.
 */
export async function refreshOnboarded(options: {
  onboarded: OnboardedEntities;
  index: TagIndex;
  logger: LoggerService;
  auth: AuthService;
  stays?: EnvironmentStays;
}): Promise<void> {
  const { index, logger, auth, stays } = options;
  const onboarded = await options.onboarded.images(
    await auth.getOwnServiceCredentials(),
  );
  for (const { image, environments } of onboarded) {
    const sameRepository = (env: (typeof environments)[number]) =>
      formatImageReference(environmentImage(image, env)) ===
      formatImageReference(image);
    try {
      const here = environments.filter(
        env => !env.repository || sameRepository(env),
      );
      await index.refresh(
        image,
        here.map(env => env.tag),
      );
      for (const env of environments) {
        const target = environmentImage(image, env);
        // Resolved just now for the image's own repository; asked for an environment kept elsewhere.
        const digest = (await index.resolveTags(target, [env.tag])).get(
          env.tag,
        );
        await stays?.observe(
          { image: formatImageReference(target), environment: env.name },
          digest,
        );
      }
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
  onboarded: OnboardedEntities;
  index: TagIndex;
  logger: LoggerService;
  auth: AuthService;
  stays?: EnvironmentStays;
}): Promise<void> {
  await options.scheduler.scheduleTask({
    id: 'images-tag-index-refresh',
    frequency: { minutes: options.refreshMinutes },
    timeout: { minutes: 30 },
    initialDelay: { seconds: 15 },
    fn: () => refreshOnboarded(options),
  });
}
