import {
  EnvironmentDefinition,
  LanePolicies,
} from '@berth/plugin-images-common';
import { openFreeze } from '../promotion/freezeWindows';
import { upstreamEnvironment } from '../promotion/releasePolicies';

/**
 * An environment's release policies as its lane shows them, so that a freeze or a rule is seen before anyone plans a
 * promotion: the freeze window open now (found as the `freeze` gate finds it), where a digest must run first and for
 * how long (the upstream the gates check), and who approves. The gates themselves stay in promotion/.
 */
export function lanePolicies(
  environment: EnvironmentDefinition,
  environments: EnvironmentDefinition[],
  now: Date,
): LanePolicies | undefined {
  const policies = environment.policies;
  if (!policies) return undefined;
  const summary: LanePolicies = {};
  const open = policies.freeze && openFreeze(policies.freeze, now);
  if (open) {
    summary.frozen = {
      until: open.until.toISOString(),
      timeZone: open.window.timeZone,
      ...(open.window.reason && { reason: open.window.reason }),
    };
  }
  if (policies.upstreamFirst || policies.soakSeconds !== undefined) {
    const upstream = upstreamEnvironment(environment, environments);
    summary.upstreamFirst = {
      ...(upstream && { environment: upstream.name }),
      ...(policies.soakSeconds !== undefined && {
        soakSeconds: policies.soakSeconds,
      }),
    };
  }
  if (policies.approvals) summary.approvals = { ...policies.approvals };
  return Object.keys(summary).length > 0 ? summary : undefined;
}
