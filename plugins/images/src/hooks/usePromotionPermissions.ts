import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  imagesApprovePermission,
  imagesForcePermission,
  imagesPromotePermission,
} from '@berth/plugin-images-common';
import { ImagesEntityRef } from '../api';

/** Whether the user may do something, and whether that is still being asked. */
export interface PermissionState {
  allowed: boolean;
  loading: boolean;
}

/**
 * What the signed-in user may do with the entity's images: promote or roll back, force past failed gates, approve
 * others' promotions. Only to shape the UI: the backend checks every request again.
 */
export function usePromotionPermissions(entityRef: ImagesEntityRef): {
  promote: PermissionState;
  force: PermissionState;
  approve: PermissionState;
} {
  // The permission's resource is the catalog entity, named as the catalog names it: `component:default/dotca`.
  const resourceRef = stringifyEntityRef(
    typeof entityRef === 'string' ? parseEntityRef(entityRef) : entityRef,
  );
  const promote = usePermission({
    permission: imagesPromotePermission,
    resourceRef,
  });
  const force = usePermission({
    permission: imagesForcePermission,
    resourceRef,
  });
  const approve = usePermission({
    permission: imagesApprovePermission,
    resourceRef,
  });
  return {
    promote: { allowed: promote.allowed, loading: promote.loading },
    force: { allowed: force.allowed, loading: force.loading },
    approve: { allowed: approve.allowed, loading: approve.loading },
  };
}
