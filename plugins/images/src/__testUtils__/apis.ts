import { identityApiRef } from '@backstage/core-plugin-api';
import type { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { mockApis } from '@backstage/test-utils';
import {
  imagesApprovePermission,
  imagesForcePermission,
  imagesPromotePermission,
} from '@berth/plugin-images-common';

// The enum itself is not a dependency of this package; its values are these strings.
const ALLOW = 'ALLOW' as AuthorizeResult.ALLOW;
const DENY = 'DENY' as AuthorizeResult.DENY;

/** Which of the images permissions the signed-in user holds (all of them unless told otherwise). */
export interface GrantedPermissions {
  promote?: boolean;
  force?: boolean;
  approve?: boolean;
}

const PERMISSION_NAMES: Record<keyof GrantedPermissions, string> = {
  promote: imagesPromotePermission.name,
  force: imagesForcePermission.name,
  approve: imagesApprovePermission.name,
};

/**
 * The permission and identity APIs the tab needs, as `TestApiProvider` pairs: a user (`user:default/guest` unless
 * told otherwise) holding the granted permissions.
 */
export function userApis(
  options: { granted?: GrantedPermissions; userEntityRef?: string } = {},
) {
  const { granted = {}, userEntityRef = 'user:default/guest' } = options;
  const allowed = new Set(
    (Object.keys(PERMISSION_NAMES) as Array<keyof GrantedPermissions>)
      .filter(key => granted[key] !== false)
      .map(key => PERMISSION_NAMES[key]),
  );
  const permissionApi = mockApis.permission({
    authorize: request => (allowed.has(request.permission.name) ? ALLOW : DENY),
  });
  const identityApi = mockApis.identity({ userEntityRef });
  return [
    [permissionApiRef, permissionApi],
    [identityApiRef, identityApi],
  ] as const;
}
