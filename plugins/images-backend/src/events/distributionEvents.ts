import { isValidTag } from '@berth/plugin-images-common';

/** A tag a registry says was pushed or deleted. */
export interface TagEvent {
  repository: string;
  tag: string;
}

const REPOSITORY =
  /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/**
 * The tags named by a CNCF Distribution notification envelope: manifest pushes and deletes that carry a tag.
 * Pulls, blob pushes, mounts and anything malformed name no tag and are left out (counted as ignored).
 */
export function tagEventsOf(envelope: unknown): {
  tags: TagEvent[];
  ignored: number;
} {
  const events = (envelope as { events?: unknown })?.events;
  if (!Array.isArray(events)) return { tags: [], ignored: 0 };
  const tags: TagEvent[] = [];
  let ignored = 0;
  for (const event of events) {
    const action = (event as { action?: unknown })?.action;
    const target = (event as { target?: Record<string, unknown> })?.target;
    const repository = target?.repository;
    const tag = target?.tag;
    if (
      (action === 'push' || action === 'delete') &&
      typeof repository === 'string' &&
      REPOSITORY.test(repository) &&
      typeof tag === 'string' &&
      isValidTag(tag)
    ) {
      tags.push({ repository, tag });
    } else {
      ignored++;
    }
  }
  return { tags, ignored };
}
