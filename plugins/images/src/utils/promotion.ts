import { parseEntityRef } from '@backstage/catalog-model';
import { EnvironmentLane, PromotionInfo } from '@berth/plugin-images-common';

/** A user as people say it: `user:default/alice` → `alice`, `user:ops/bob` → `ops/bob`; anything else as is. */
export function userName(entityRef: string): string {
  try {
    const { kind, namespace, name } = parseEntityRef(entityRef, {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
    if (kind.toLocaleLowerCase('en-US') !== 'user') return entityRef;
    return namespace === 'default' ? name : `${namespace}/${name}`;
  } catch {
    return entityRef;
  }
}

/** Entity references name the same entity regardless of case. */
export function isSameEntityRef(a: string | undefined, b: string | undefined) {
  return (
    a !== undefined &&
    b !== undefined &&
    a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US')
  );
}

/** `Promotion` or `Rollback`, to start a sentence. */
function kindWord(promotion: PromotionInfo): string {
  return promotion.kind === 'rollback' ? 'Rollback' : 'Promotion';
}

/** What the user is told once a promotion, rollback or decision has come back. */
export function describeOutcome(promotion: PromotionInfo): {
  severity: 'success' | 'info' | 'error';
  message: string;
} {
  const { environment, image } = promotion;
  const tags = promotion.tags.length ? ` (${promotion.tags.join(', ')})` : '';
  switch (promotion.status) {
    case 'succeeded':
      return {
        severity: 'success',
        message:
          promotion.kind === 'rollback'
            ? `Rolled ${environment} of ${image} back${tags}`
            : `Promoted ${image} to ${environment}${tags}`,
      };
    case 'pending-approval':
      return {
        severity: 'info',
        message: `${kindWord(
          promotion,
        )} of ${environment} is waiting for approval: a second person must approve it`,
      };
    case 'running':
      return {
        severity: 'info',
        message: `${kindWord(promotion)} of ${environment} is running`,
      };
    case 'rejected':
      return {
        severity: 'info',
        message: `${kindWord(promotion)} of ${environment} rejected`,
      };
    default:
      return {
        severity: 'error',
        message: `${kindWord(promotion)} of ${environment} failed${
          promotion.error ? `: ${promotion.error}` : ''
        }`,
      };
  }
}

/**
 * The digest the lane's tag points at, as a promotion expects to find it: the lane's digest when its tag holds it,
 * '' (an empty environment) when the tag is missing and the lane shows what the deployment runs instead.
 */
export function expectedTagDigest(lane: EnvironmentLane): string {
  const tagged = lane.image?.tags.includes(lane.tag);
  return tagged && lane.digest ? lane.digest : '';
}
