import { ImageReference } from '@berth/plugin-images-common';
import { IndexSnapshot } from '../tagIndex/IndexSnapshot';
import { IndexedManifest, TagIndex } from '../tagIndex/TagIndex';
import { tagPrefix } from './imageSummary';

// The registry side of the lanes: EnvironmentLanesService gathers which repositories an image's lanes read (its own,
// environments kept elsewhere, what deployments name) and looks at each once, here; laneAssembly.ts builds the lanes.

/** How long past its window an environment tag's digest is still shown while it is resolved again. */
const LANE_STALE_MS = 120_000;

/** The tag cosign gives an image's signature. */
const signatureTag = (digest: string) => `${tagPrefix(digest)}.sig`;

/** A repository the lanes read: the environments' tags and the deployments' tags to resolve, digests to describe. */
export interface Place {
  image: ImageReference;
  tags: Set<string>;
  digests: Set<string>;
}

/** What the lanes read of one repository: its tags resolved, the digests described, and which are signed. */
export interface RepositoryLook {
  resolved: Map<string, string | undefined>;
  manifests: Map<string, IndexedManifest>;
  snapshot: IndexSnapshot;
  signed: (digest: string) => boolean;
}

/** One repository's part of the lanes: its tags resolved, the digests described, and which are signed. */
export async function lookAtRepository(
  index: TagIndex,
  place: Place,
): Promise<RepositoryLook> {
  const [resolved, snapshot] = await Promise.all([
    // A lapsed window is revalidated behind the view: the lanes answer at once, the next view sees the result.
    index.resolveTags(place.image, [...place.tags], undefined, {
      staleMs: LANE_STALE_MS,
    }),
    index.snapshot(place.image),
  ]);
  const digests = [
    ...new Set([
      ...[...resolved.values()].filter((d): d is string => !!d),
      ...place.digests,
    ]),
  ];
  // Before the first full listing the snapshot cannot say which images are signed: ask for their tags.
  const unlisted = !snapshot.listedAt || snapshot.truncated;
  const [manifests, signatures] = await Promise.all([
    index.describe(place.image, digests),
    unlisted
      ? index.resolveTags(place.image, digests.map(signatureTag))
      : new Map<string, string | undefined>(),
  ]);
  const signed = (digest: string) =>
    snapshot.tagNames.has(signatureTag(digest)) ||
    Boolean(signatures.get(signatureTag(digest)));
  return { resolved, manifests, snapshot, signed };
}
