import { InputError } from '@backstage/errors';
import { isValidTag, PreviewEnvironment } from '@berth/plugin-images-common';
import { IndexSnapshot } from '../tagIndex/IndexSnapshot';

/** Preview environments most shown per image: the newest. */
const MAX_PREVIEWS = 20;

/** `images.previews`: which tags are short-lived environments, and for how long they count as such. */
export interface PreviewSettings {
  /** The patterns as written: `feature-*`, `pr-*`. */
  tags: string[];
  /** A preview older than this (by its push, else its build) is not shown. */
  maxAgeMs: number;
}

/** `images.previews.tags`, checked: `*` matches any run of tag characters; anything else must be a tag's own. */
export function previewMatcher(patterns: string[]): (tag: string) => boolean {
  const expressions = patterns.map(pattern => {
    if (!isValidTag(pattern.replace(/\*/g, 'x'))) {
      throw new InputError(
        `images.previews.tags: "${pattern}" is no tag pattern: write tag characters and * (feature-*, pr-*)`,
      );
    }
    const escaped = pattern
      .split('*')
      .map(part => part.replace(/[.]/g, '\\.'))
      .join('[A-Za-z0-9_.-]*');
    return new RegExp(`^${escaped}$`);
  });
  return tag => expressions.some(expression => expression.test(tag));
}

/**
 * The image's preview environments from its index alone (no registry request): the tags matching a pattern, newest
 * first by push (or build) time, those older than `maxAgeMs` left out.
 */
export function previewEnvironments(
  snapshot: IndexSnapshot,
  matches: (tag: string) => boolean,
  maxAgeMs: number,
  now = Date.now(),
): PreviewEnvironment[] {
  const previews: Array<PreviewEnvironment & { at?: number }> = [];
  for (const { tag, digest, pushedAt } of snapshot.tags) {
    if (!digest || !matches(tag)) continue;
    const created = snapshot.manifests.get(digest)?.created;
    const at = pushedAt?.getTime() ?? (created ? Date.parse(created) : NaN);
    if (Number.isFinite(at) && now - at > maxAgeMs) continue;
    previews.push({
      tag,
      digest,
      ...(pushedAt && { pushedAt: pushedAt.toISOString() }),
      ...(created && { created }),
      at: Number.isFinite(at) ? at : undefined,
    });
  }
  return previews
    .sort((a, b) => (b.at ?? 0) - (a.at ?? 0) || a.tag.localeCompare(b.tag))
    .slice(0, MAX_PREVIEWS)
    .map(({ at: _at, ...preview }) => preview);
}
