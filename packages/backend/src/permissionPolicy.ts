import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';

/**
 * The demo's permission policy: everyone signed in may do everything. Berth's permissions
 * (`images.image.read`, `images.image.promote`, `images.image.force`, `images.promotion.approve`) are resource
 * permissions on catalog entities, so a real policy can allow promotion to owners and production to a release
 * group; `images.image.verify` (verifying an image no entity names, as onboarding does) is a basic permission a
 * policy can keep to the platform team. Replace this module with your own to do that.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  async handle(): Promise<PolicyDecision> {
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'berth-demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new DemoPermissionPolicy());
      },
    });
  },
});
