import {
  EnvironmentDefinition,
  EnvironmentDeployment,
  EnvironmentLane,
  HoldInfo,
  ImageReference,
  LanePolicies,
  parseImageReference,
} from '@berth/plugin-images-common';
import { SourcedDeploymentReport } from '../deployments/DeploymentsService';
import { imageSummary } from './imageSummary';
import { laneDeployment, laneStatus } from './laneDeployment';
import { RepositoryLook } from './repositoryLook';

// One lane out of what was read for all of them: EnvironmentLanesService does the reading (repositories, holds,
// deployments) once per image; what each environment's lane then says is decided here.

/** A lane that shows an image, for the drift of the lanes after it. */
export interface ShownLane {
  name: string;
  digest: string;
  created?: string;
}

/**
 * One environment's lane: status, the digest its tag (or else its deployment) points at and what that image is,
 * how it compares with the lane before that shows one, its hold and release policies. `shown` is set when the lane
 * shows an image.
 */
export function assembleLane(options: {
  environment: EnvironmentDefinition;
  /** The image, formatted. */
  image: string;
  /** The repository the environment's tags live in, formatted: the image's own unless it says another. */
  place: string;
  look: RepositoryLook;
  /** What the environment's deployment reports, if a source knows it. */
  sourced?: SourcedDeploymentReport;
  /** The repositories the deployment's images may come from. */
  repositories: ImageReference[];
  /** The digest a deployment's tag points at, as resolved with the environments' tags. */
  digestOf: (reference: ImageReference) => string | undefined;
  /** Every environment's tag, to tell them apart among the image's tags. */
  environmentTags: string[];
  hold?: HoldInfo;
  policies?: LanePolicies;
  /** The last lane before this one that shows an image. */
  previous?: ShownLane;
}): { lane: EnvironmentLane; shown?: ShownLane } {
  const { environment: env, place, look, sourced, hold, policies } = options;
  const { resolved, manifests, snapshot, signed } = look;
  const tagDigest = resolved.get(env.tag);
  const deployment =
    sourced &&
    laneDeployment({
      source: sourced.source,
      report: sourced.report,
      repositories: options.repositories,
      tagDigest,
      digestOf: options.digestOf,
    });
  const lane: EnvironmentLane = {
    name: env.name,
    tag: env.tag,
    protected: Boolean(env.protected),
    status: laneStatus(env.green ?? 'tagged', tagDigest, deployment),
    ...(place !== options.image && { repository: place }),
    ...(deployment && { deployment }),
    ...(hold && { hold }),
    ...(policies && { policies }),
  };
  // Without the tag, the lane shows what the deployment runs (the-shop deploys commits, not tags).
  const digest =
    tagDigest ??
    (deployment?.state === 'running'
      ? deployment.running[0]?.digest
      : undefined);
  if (!tagDigest) {
    lane.message = `${place} has no tag ${env.tag}`;
  } else if (lane.status !== 'GREEN' && env.green === 'running') {
    lane.message =
      deployment?.message ?? `No deployment source says what ${env.name} runs`;
  }
  if (!digest) return { lane };

  const indexed = manifests.get(digest);
  // The tag exists; what it points at may be unreadable (malformed content): say so on this lane only.
  if (indexed?.error) lane.message = indexed.error.message;
  const manifest = indexed?.error ? undefined : indexed;
  lane.digest = digest;
  lane.image = imageSummary(
    digest,
    manifest,
    [
      ...new Set([
        ...(snapshot.tagsByDigest.get(digest) ?? []),
        ...(tagDigest ? [env.tag] : []),
        // The tags a deployment names it by, before the listing knows them.
        ...namedTags(deployment, digest),
      ]),
    ],
    signed(digest),
    options.environmentTags,
  );
  if (options.previous) {
    lane.drift = driftOf(digest, manifest?.created, options.previous);
  }
  return {
    lane,
    shown: { name: env.name, digest, created: manifest?.created },
  };
}

function namedTags(
  deployment: EnvironmentDeployment | undefined,
  digest: string,
): string[] {
  return (deployment?.running ?? []).flatMap(running => {
    if (running.digest !== digest || !running.reference) return [];
    const { tag } = parseImageReference(running.reference);
    return tag ? [tag] : [];
  });
}

function driftOf(
  digest: string,
  created: string | undefined,
  previous: { digest: string; created?: string },
): EnvironmentLane['drift'] {
  if (digest === previous.digest) return 'same';
  if (created && previous.created) {
    if (created < previous.created) return 'behind';
    if (created > previous.created) return 'ahead';
  }
  return 'different';
}
