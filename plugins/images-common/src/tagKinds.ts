import { TagKind } from './api';

const RELEASE = /^v?\d+(\.\d+){0,2}([-+][0-9A-Za-z.-]+)?$/;
const COMMIT = /^(([a-z0-9-]+[-_.])?(sha-)?[0-9a-f]{7,40}|sha-[0-9a-f]{7,40})$/;
const ROLLBACK = /^rollback[-_.]/i;
const PULL_REQUEST = /^(pr|pull|mr)[-_.]?\d+([-_.].*)?$/i;
const ARTIFACT = /^sha256-[0-9a-f]{64}(\.(sig|att|sbom))?$/;

/**
 * Tells what a tag is from its name: an environment pointer (given the environments' tags), a rollback tag, a
 * cosign/referrers artefact, a pull-request build, a release (`v1.2.3`), a commit build (`abc1234`,
 * `main-abc1234`, `sha-abc1234`), or something else.
 *
 * @public
 */
export function classifyTag(
  tag: string,
  environmentTags: Iterable<string> = [],
): TagKind {
  if (ARTIFACT.test(tag)) return 'artifact';
  for (const environmentTag of environmentTags) {
    if (environmentTag === tag) return 'environment';
  }
  if (ROLLBACK.test(tag)) return 'rollback';
  if (PULL_REQUEST.test(tag)) return 'pull-request';
  if (RELEASE.test(tag)) return 'release';
  if (COMMIT.test(tag) && /\d/.test(tag)) return 'commit';
  return 'other';
}

/**
 * Orders tags by version, highest first: numeric parts compare as numbers (`v1.10.0` above `v1.9.2`), and a release
 * above its pre-releases. Other tags come after, by name in reverse (numbers compared as numbers, so `build-10`
 * comes before `build-9`).
 *
 * @public
 */
export function compareTagVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  if (pa && !pb) return -1;
  if (!pa && pb) return 1;
  if (pa && pb) {
    for (let i = 0; i < Math.max(pa.numbers.length, pb.numbers.length); i++) {
      const diff = (pb.numbers[i] ?? -1) - (pa.numbers[i] ?? -1);
      if (diff !== 0) return diff;
    }
    if (pa.prerelease !== pb.prerelease) {
      if (!pa.prerelease) return -1;
      if (!pb.prerelease) return 1;
      return pb.prerelease.localeCompare(pa.prerelease, undefined, {
        numeric: true,
      });
    }
  }
  // Newest first for names too: build-10 above build-9.
  return b.localeCompare(a, undefined, { numeric: true });
}

function versionParts(
  tag: string,
): { numbers: number[]; prerelease: string } | undefined {
  const match = /^v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/.exec(tag);
  if (!match) return undefined;
  return {
    numbers: match[1].split('.').map(Number),
    prerelease: match[2] ?? '',
  };
}
