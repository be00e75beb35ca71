import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  EnvironmentDefinition,
  environmentImage,
  formatImageReference,
  ImageReference,
} from '@berth/plugin-images-common';
import { OnboardedEntities } from '../entities/OnboardedEntities';
import { describeError } from '../describeError';
import type { EnvironmentStays } from '../stays/EnvironmentStays';
import { TagIndex } from './TagIndex';

interface RefreshDeps {
  onboarded: OnboardedEntities;
  index: TagIndex;
  logger: LoggerService;
  auth: AuthService;
  stays?: EnvironmentStays;
}

type OnboardedImage = {
  image: ImageReference;
  environments: EnvironmentDefinition[];
};

/**
 * Refreshes the index of these images: a fresh listing, the environment tags, and every tag and digest not resolved
 * yet; then records what each environment runs (environments kept in another repository included), so that release
 * policies count stays nobody looked at. Returns the images that failed; one failing does not stop the others.
 */
async function refreshImages(
  onboarded: OnboardedImage[],
  deps: RefreshDeps,
): Promise<Set<string>> {
  const { index, logger, stays } = deps;
  const failed = new Set<string>();
  for (const { image, environments } of onboarded) {
    const name = formatImageReference(image);
    const sameRepository = (env: EnvironmentDefinition) =>
      formatImageReference(environmentImage(image, env)) === name;
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
      failed.add(name);
      logger.warn(
        `Could not refresh the tag index of ${name}: ${
          describeError(error).message
        }`,
      );
    }
  }
  return failed;
}

/** Refreshes the index of every onboarded entity's images, replacing the repositories' claims with the catalog's. */
export async function refreshOnboarded(deps: RefreshDeps): Promise<void> {
  const onboarded = await deps.onboarded.images(
    await deps.auth.getOwnServiceCredentials(),
  );
  await refreshImages(onboarded, deps);
}

/**
 * Indexes the images of entities onboarded since the last refresh (their repository never listed), so that a new
 * service shows in the fleet within a minute rather than at the next refresh. With nothing new, it reads the catalog
 * and the index and asks no registry. An image that failed is tried again at the next refresh, not every minute.
 */
export function indexNewlyOnboarded(
  deps: RefreshDeps & { retryAfterMs: number; now?: () => number },
): () => Promise<void> {
  const failedAt = new Map<string, number>();
  const now = deps.now ?? Date.now;
  return async () => {
    const onboarded = await deps.onboarded.images(
      await deps.auth.getOwnServiceCredentials(),
      { replaceClaims: false },
    );
    const listed = await deps.index.store.getListed(
      onboarded.map(({ image }) => image),
    );
    const at = now();
    const unlisted = onboarded.filter(({ image }) => {
      const name = formatImageReference(image);
      const failed = failedAt.get(name);
      return (
        !listed.has(name) &&
        (failed === undefined || at - failed >= deps.retryAfterMs)
      );
    });
    if (unlisted.length === 0) return;
    const failed = await refreshImages(unlisted, deps);
    for (const { image } of unlisted) {
      const name = formatImageReference(image);
      if (failed.has(name)) failedAt.set(name, at);
      else failedAt.delete(name);
    }
  };
}

/**
 * Keeps every onboarded repository's index fresh, on one replica at a time: all of them every `refreshMinutes`, and
 * newly onboarded ones within a minute.
 */
export async function scheduleIndexRefresh(
  options: RefreshDeps & {
    scheduler: SchedulerService;
    refreshMinutes: number;
  },
): Promise<void> {
  // While this process refreshes everything, the sweep would only index the same images again.
  let refreshing = false;
  await options.scheduler.scheduleTask({
    id: 'images-tag-index-refresh',
    frequency: { minutes: options.refreshMinutes },
    timeout: { minutes: 30 },
    initialDelay: { seconds: 15 },
    fn: async () => {
      refreshing = true;
      try {
        await refreshOnboarded(options);
      } finally {
        refreshing = false;
      }
    },
  });
  const sweep = indexNewlyOnboarded({
    ...options,
    retryAfterMs: options.refreshMinutes * 60_000,
  });
  await options.scheduler.scheduleTask({
    id: 'images-tag-index-onboarding',
    frequency: { minutes: 1 },
    timeout: { minutes: 30 },
    // After the first full refresh has started: it indexes whatever the catalog has by then.
    initialDelay: { minutes: 1 },
    fn: async () => {
      if (!refreshing) await sweep();
    },
  });
}
