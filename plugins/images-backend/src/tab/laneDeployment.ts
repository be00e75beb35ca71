import {
  DeployedDigest,
  EnvironmentDeployment,
  EnvironmentStatus,
  ImageReference,
  parseImageReference,
} from '@berth/plugin-images-common';
import {
  DeployedImage,
  EnvironmentDeploymentReport,
} from '@berth/plugin-images-node';

const short = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);

/** The images of a report that are of this repository (a deployment runs others too: sidecars, other services). */
export function imagesOfRepository(
  report: EnvironmentDeploymentReport,
  image: ImageReference,
): DeployedImage[] {
  return report.images.filter(deployed => {
    try {
      const reference = parseImageReference(deployed.reference);
      return (
        reference.registry === image.registry &&
        reference.repository === image.repository
      );
    } catch {
      return false;
    }
  });
}

/** The tags a report names without a digest: Berth resolves them in the registry before judging the lane. */
export function tagsToResolve(images: DeployedImage[]): string[] {
  const tags = new Set<string>();
  for (const deployed of images) {
    if (deployed.digest) continue;
    const reference = parseImageReference(deployed.reference);
    if (reference.digest) continue;
    tags.add(reference.tag ?? 'latest');
  }
  return [...tags];
}

/**
 * What an environment's deployment runs compared with its tag: running, rolling out, drift, not deployed or
 * unreachable, in words with both digests where they differ.
 */
export function laneDeployment(options: {
  source: string;
  report: EnvironmentDeploymentReport;
  image: ImageReference;
  /** The digest the environment's tag points at; absent when the tag does not exist. */
  tagDigest?: string;
  /** Digests of the tags the deployment names (from {@link tagsToResolve}). */
  resolved: Map<string, string | undefined>;
}): EnvironmentDeployment {
  const { source, report, image, tagDigest, resolved } = options;
  const base = { source, location: report.location };
  if (report.error) {
    return {
      ...base,
      state: 'unreachable',
      running: [],
      message: `${report.location} could not be read: ${report.error}`,
    };
  }
  const running = new Map<string, DeployedDigest>();
  const unknown: string[] = [];
  for (const deployed of imagesOfRepository(report, image)) {
    const reference = parseImageReference(deployed.reference);
    const digest =
      deployed.digest ??
      reference.digest ??
      resolved.get(reference.tag ?? 'latest');
    if (!digest) {
      unknown.push(deployed.reference);
      continue;
    }
    const entry = running.get(digest) ?? {
      digest,
      reference: deployed.reference,
    };
    if (deployed.replicas !== undefined) {
      entry.replicas = (entry.replicas ?? 0) + deployed.replicas;
    }
    running.set(digest, entry);
  }
  const list = [...running.values()];
  if (list.length === 0) {
    return {
      ...base,
      state: unknown.length > 0 ? 'drift' : 'not-deployed',
      running: [],
      message:
        unknown.length > 0
          ? `${report.location} names ${unknown.join(
              ', ',
            )}, which the registry does not have`
          : `${report.location} runs nothing of this image`,
    };
  }
  const words = list
    .map(
      d =>
        `${short(d.digest)}${
          d.replicas !== undefined ? ` (${d.replicas} replicas)` : ''
        }`,
    )
    .join(', ');
  if (!tagDigest) {
    return {
      ...base,
      state: 'running',
      running: list,
      message: `${report.location} runs ${list
        .map(d => d.reference ?? short(d.digest))
        .join(', ')}`,
    };
  }
  if (!running.has(tagDigest)) {
    return {
      ...base,
      state: 'drift',
      running: list,
      message: `${report.location} runs ${words}, not ${short(
        tagDigest,
      )} that the tag points at`,
    };
  }
  if (list.length > 1) {
    return {
      ...base,
      state: 'rolling-out',
      running: list,
      message: `${report.location} is rolling out ${short(
        tagDigest,
      )}: ${words}`,
    };
  }
  return {
    ...base,
    state: 'running',
    running: list,
    message: `${report.location} runs ${words}`,
  };
}

/**
 * A lane's colour by what the platform declares GREEN for the environment: `tagged`, the tag exists; `running`, the
 * tag exists and the deployment runs it. Without a tag, a deployment that runs an image of the repository is GREEN.
 */
export function laneStatus(
  green: 'tagged' | 'running',
  tagDigest: string | undefined,
  deployment: EnvironmentDeployment | undefined,
): EnvironmentStatus {
  if (!tagDigest) {
    return deployment?.state === 'running' ? 'GREEN' : 'RED';
  }
  if (green === 'tagged') return 'GREEN';
  switch (deployment?.state) {
    case 'running':
      return 'GREEN';
    case 'rolling-out':
    case 'unreachable':
      return 'GREY';
    default:
      return 'RED';
  }
}
