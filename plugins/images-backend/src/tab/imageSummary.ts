import {
  classifyTag,
  ImageSource,
  sortByTagVersion,
  TagInfo,
  TagKind,
} from '@berth/plugin-images-common';
import { IndexedManifest } from '../tagIndex/TagIndex';

/** A digest can carry thousands of tags (a build tagged per commit): a lane shows the first few. */
const MAX_LANE_TAGS = 50;

const KIND_ORDER: TagKind[] = [
  'release',
  'commit',
  'environment',
  'rollback',
  'pull-request',
  'other',
  'artifact',
];

/** Tags of one digest as the tab lists them: releases, then commit builds, then environment pointers. */
export function displayOrder(tags: TagInfo[]): TagInfo[] {
  const byKind = new Map<TagKind, TagInfo[]>();
  for (const tag of tags) {
    const list = byKind.get(tag.kind);
    if (list) list.push(tag);
    else byKind.set(tag.kind, [tag]);
  }
  return KIND_ORDER.flatMap(kind =>
    sortByTagVersion(byKind.get(kind) ?? [], tag => tag.name),
  );
}

/** `sha256:abc…` → `sha256-abc…`, the prefix of cosign's and the referrers fallback's tags. */
export function tagPrefix(digest: string): string {
  return digest.replace(':', '-');
}

export function sourceOf(labels: Record<string, string>): ImageSource {
  const repository =
    labels['org.opencontainers.image.source'] ??
    labels['org.label-schema.vcs-url'];
  const revision =
    labels['org.opencontainers.image.revision'] ??
    labels['org.label-schema.vcs-ref'];
  let commitUrl: string | undefined;
  if (repository && revision && /^https:\/\//.test(repository)) {
    const base = repository.replace(/\.git$/, '').replace(/\/+$/, '');
    if (/^https:\/\/(www\.)?(github\.com|gitlab\.com)\//.test(base)) {
      commitUrl = `${base}/commit/${revision}`;
    } else if (/^https:\/\/bitbucket\.org\//.test(base)) {
      commitUrl = `${base}/commits/${revision}`;
    }
  }
  return { repository, revision, commitUrl };
}

/** What a lane shows of the image its tag points at. */
export function imageSummary(
  digest: string,
  manifest: IndexedManifest | undefined,
  tags: string[],
  signed: boolean,
  envTags: string[],
) {
  return {
    digest,
    mediaType: manifest?.mediaType ?? '',
    created: manifest?.created,
    size: manifest?.size,
    platforms: manifest?.platforms ?? [],
    labels: manifest?.labels ?? {},
    source: sourceOf(manifest?.labels ?? {}),
    signed,
    // A digest can carry thousands of tags (a build tagged per commit): the lane shows the first few.
    tags: displayOrder(
      tags.map(name => ({ name, kind: classifyTag(name, envTags) })),
    )
      .slice(0, MAX_LANE_TAGS)
      .map(tag => tag.name),
  };
}
