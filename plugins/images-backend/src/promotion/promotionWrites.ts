import { copyImage } from '../registry/copyImage';
import { RegistryClient } from '../registry/RegistryClient';
import { ExpectedTag, putTags, verifyTags } from '../registry/verifyTags';

/** One side of a promotion: a registry's client (scoped for the writes) and a repository. */
export interface PromotionSide {
  client: RegistryClient;
  repository: string;
}

/** What a promotion writes, once planned under the lock. */
export interface PromotionWrites {
  from: PromotionSide;
  to: PromotionSide;
  sourceDigest: string;
  /** The tags to point at the source digest: those not on it already. */
  tags: string[];
  /** The rollback tag to write first, on the digest the environment ran. */
  rollback?: { tag: string; digest: string };
  /** Called before each write: throws when the lock was lost. */
  beforeWrite(): void;
  /** Called once the rollback tag is written, before any environment tag moves. */
  rollbackWritten(): Promise<void>;
  /** Called once the tags are written, before they are verified. */
  tagsWritten(): Promise<void>;
}

/**
 * Writes a planned promotion: the rollback tag, then the environment's tags, then verifies them. Within one
 * repository that is at most four round trips after the plan's: both manifests read together, the rollback tag
 * PUT, every environment tag PUT together, and a HEAD only of what a PUT answer did not confirm. Across repositories
 * or registries the image moves with {@link copyImage}, which verifies its own tags.
 */
export async function writePromotion(writes: PromotionWrites): Promise<void> {
  const { from, to, tags, rollback } = writes;
  const sameRepository =
    from.client.host === to.client.host && from.repository === to.repository;
  const [previous, source] = await Promise.all([
    rollback && to.client.getManifest(to.repository, rollback.digest),
    sameRepository && tags.length > 0
      ? from.client.getManifest(from.repository, writes.sourceDigest)
      : undefined,
  ]);
  const unconfirmed: ExpectedTag[] = [];
  if (rollback && previous) {
    writes.beforeWrite();
    // Awaited before any environment tag moves: a rollback exists before the environment changes.
    for (const tag of await putTags(
      to.client,
      to.repository,
      [rollback.tag],
      previous,
    )) {
      unconfirmed.push({ tag, digest: rollback.digest });
    }
    await writes.rollbackWritten();
  }
  if (tags.length > 0) {
    writes.beforeWrite();
    if (source) {
      for (const tag of await putTags(to.client, to.repository, tags, source)) {
        unconfirmed.push({ tag, digest: writes.sourceDigest });
      }
    } else {
      await copyImage({
        source: { ...from, digest: writes.sourceDigest },
        target: { ...to, tags },
      });
    }
  }
  await writes.tagsWritten();
  await verifyTags(to.client, to.repository, unconfirmed);
}
