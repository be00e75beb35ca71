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

/** The images of a report that are of these repositories (a deployment runs others too: sidecars, other services). */
export function imagesOfRepository(
  report: EnvironmentDeploymentReport,
  repositories: ImageReference[],
): Array<DeployedImage & { parsed: ImageReference }> {
  return report.images.flatMap(deployed => {
    try {
      const parsed = parseImageReference(deployed.reference);
      return repositories.some(
        r =>
          r.registry === parsed.registry && r.repository === parsed.repository,
      )
        ? [{ ...deployed, parsed }]
        : [];
    } catch {
      return [];
    }
  });
}

/**
 * What an environment's deployment runs compared with its tag: running, rolling out, drift, not deployed or
 * unreachable, in words with both digests where they differ.
 */
export function laneDeployment(options: {
  source: string;
  report: EnvironmentDeploymentReport;
  /** The repositories this lane's image may run from: the environment's and the image's own. */
  repositories: ImageReference[];
  /** The digest the environment's tag points at; absent when the tag does not exist. */
  tagDigest?: string;
  /** The digest of a reference the deployment names by tag, as the registry resolved it. */
  digestOf: (reference: ImageReference) => string | undefined;
}): EnvironmentDeployment {
  const { source, report, repositories, tagDigest, digestOf } = options;
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
  for (const deployed of imagesOfRepository(report, repositories)) {
    const digest =
      deployed.digest ?? deployed.parsed.digest ?? digestOf(deployed.parsed);
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
