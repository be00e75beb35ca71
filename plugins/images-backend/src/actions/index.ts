import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { EnvironmentLanesService } from '../tab/EnvironmentLanesService';
import { PromotionService } from '../promotion/PromotionService';
import { VerifyService } from '../verify/VerifyService';
import { createGetEnvironmentsAction } from './createGetEnvironmentsAction';
import { createPromoteAction } from './createPromoteAction';
import { createRollbackAction } from './createRollbackAction';
import { createVerifyAction } from './createVerifyAction';

/**
 * Registers Berth's actions (`images:get-environments`, `images:verify`, `images:promote`, `images:rollback`) in
 * Backstage's actions registry, for agents (through the MCP actions backend) and other plugins. They call the
 * services the images API calls, with the caller's credentials.
 */
export function registerImagesActions(options: {
  actionsRegistry: ActionsRegistryService;
  lanes: EnvironmentLanesService;
  promotions: PromotionService;
  verifier: VerifyService;
}): void {
  const { actionsRegistry } = options;
  actionsRegistry.register(createGetEnvironmentsAction(options));
  actionsRegistry.register(createVerifyAction(options));
  actionsRegistry.register(createPromoteAction(options));
  actionsRegistry.register(createRollbackAction(options));
}
