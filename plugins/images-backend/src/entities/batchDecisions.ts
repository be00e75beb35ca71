import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * Decisions per request to the permission backend: it reads at most 100 kB of JSON (express's default), some 500
 * decisions with their entity refs; 200 leave room for long refs.
 */
export const DECISIONS_PER_REQUEST = 200;

/**
 * Whether the caller holds `permission` on each of these entities. A policy decides without seeing the entity (its
 * query names the permission only), so one conditional decision answers for all of them when it is ALLOW or DENY;
 * only a conditional answer is applied entity by entity, by the permission backend, in requests it accepts.
 */
export async function allowedEach(
  permissions: PermissionsService,
  entityRefs: string[],
  credentials: BackstageCredentials,
  permission: ResourcePermission<'catalog-entity'>,
): Promise<boolean[]> {
  if (entityRefs.length === 0) return [];
  const [overall] = await permissions.authorizeConditional([{ permission }], {
    credentials,
  });
  if (overall.result === AuthorizeResult.ALLOW)
    return entityRefs.map(() => true);
  if (overall.result === AuthorizeResult.DENY)
    return entityRefs.map(() => false);
  const allowed: boolean[] = [];
  for (let i = 0; i < entityRefs.length; i += DECISIONS_PER_REQUEST) {
    const decisions = await permissions.authorize(
      entityRefs
        .slice(i, i + DECISIONS_PER_REQUEST)
        .map(resourceRef => ({ permission, resourceRef })),
      { credentials },
    );
    allowed.push(...decisions.map(d => d.result === AuthorizeResult.ALLOW));
  }
  return allowed;
}
