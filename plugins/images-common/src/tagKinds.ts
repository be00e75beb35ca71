import type { TagKind } from './schema/openapi/generated';

const RELEASE = /^v?\d+(\.\d+){0,2}([-+][0-9A-Za-z.-]+)?$/;
const COMMIT = /^(([a-z0-9-]+[-_.])?(sha-)?[0-9a-f]{7,40}|sha-[0-9a-f]{7,40})$/;
const ROLLBACK = /^rollback[-_.]/i;
const PULL_REQUEST = /^(pr|pull|mr)[-_.]?\d+([-_.].*)?$/i;
const ARTIFACT = /^sha256-[0-9a-f]{64}(\.(sig|att|sbom))?$/;
// The referrers tag schema and cosign name tags after a digest, whatever the suffix.
const DIGEST_NAMED = /^sha(256|512)-[0-9a-f]{6,}/i;

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
 * Why a promotion may not write this tag, or undefined when it may: tags named after a digest belong to signatures,
 * attestations and the referrers fallback (writing one could make any image pass the signature gate), and
 * `rollback-*` tags are written only as rollback tags, for the image an environment ran before.
 *
 * @public
 */
export function reservedTagProblem(tag: string): string | undefined {
  if (DIGEST_NAMED.test(tag)) {
    return `"${tag}" has the form of a signature or attestation tag (sha256-<hex>.sig, .att, .sbom): Berth never writes such tags`;
  }
  if (ROLLBACK.test(tag)) {
    return `"${tag}" has the form of a rollback tag: Berth writes those only to keep what an environment ran before`;
  }
  return undefined;
}

const NUMERIC = new Intl.Collator('en', { numeric: true });

interface VersionKey {
  numbers: number[];
  prerelease: string;
}

function versionParts(tag: string): VersionKey | undefined {
  const match = /^v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/.exec(tag);
  if (!match) return undefined;
  return {
    numbers: match[1].split('.').map(Number),
    prerelease: match[2] ?? '',
  };
}

function compareKeys(
  a: string,
  pa: VersionKey | undefined,
  b: string,
  pb: VersionKey | undefined,
): number {
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
      return NUMERIC.compare(pb.prerelease, pa.prerelease);
    }
  }
  // Newest first for names too: build-10 above build-9.
  return NUMERIC.compare(b, a);
}

/**
 * Orders tags by version, highest first: numeric parts compare as numbers (`v1.10.0` above `v1.9.2`), and a release
 * above its pre-releases. Other tags come after, by name in reverse (numbers compared as numbers, so `build-10`
 * comes before `build-9`).
 *
 * @public
 */
export function compareTagVersions(a: string, b: string): number {
  return compareKeys(a, versionParts(a), b, versionParts(b));
}

/**
 * Sorts items by their tag's version, as {@link compareTagVersions} orders them, reading each tag once: fast
 * enough for tens of thousands of tags.
 *
 * @public
 */
export function sortByTagVersion<T>(
  items: T[],
  tagOf: (item: T) => string,
): T[] {
  const keyed = items.map(item => {
    const tag = tagOf(item);
    return { item, tag, key: versionParts(tag) };
  });
  keyed.sort((x, y) => compareKeys(x.tag, x.key, y.tag, y.key));
  return keyed.map(entry => entry.item);
}
