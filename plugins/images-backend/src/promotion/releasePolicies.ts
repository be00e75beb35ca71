import {
  EnvironmentDefinition,
  environmentImage,
  FreezeWindow,
  formatDuration,
  formatImageReference,
  GateResultInfo,
  HoldInfo,
} from '@berth/plugin-images-common';
import { ConflictError } from '@backstage/errors';
import { EnvironmentHolds } from '../holds/EnvironmentHolds';
import { EnvironmentStays, stayLength } from '../stays/EnvironmentStays';
import { EnvironmentStay } from '../stays/EnvironmentStayStore';
import { inZone, openFreeze } from './freezeWindows';
import type { PromotionRequest } from './PromotionPlanner';

const when = (date: Date) =>
  `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** What a hold says of an environment: who, since when, why. */
export function heldMessage(environment: string, hold: HoldInfo): string {
  return `${environment} is held by ${hold.heldBy} since ${when(
    new Date(hold.heldAt),
  )}: ${hold.reason}. Release the hold first`;
}

/** A promotion into a held environment: refused, forced or not. */
export function heldError(environment: string, hold: HoldInfo): ConflictError {
  return new ConflictError(heldMessage(environment, hold));
}

/** The gate a hold shows as in a plan; the only gate a forced promotion does not pass. */
export const HOLD_GATE = 'hold';

/**
 * The environment's hold and release policies, as gates of a promotion's plan: `hold` (someone holds the environment;
 * no force gets past it), `freeze` (no freeze window is open), `upstream-first` (the digest ran in the environment
 * before) and `soak-time` (it ran there at least so long). The last two come from the stays Berth recorded, so a
 * digest counts as having run upstream from when Berth first saw it there.
 */
export class ReleasePolicyGates {
  readonly #stays: EnvironmentStays;
  readonly #holds?: EnvironmentHolds;
  readonly #now: () => Date;

  constructor(options: {
    stays: EnvironmentStays;
    holds?: EnvironmentHolds;
    now?: () => Date;
  }) {
    this.#stays = options.stays;
    this.#holds = options.holds;
    this.#now = options.now ?? (() => new Date());
  }

  async evaluate(
    request: PromotionRequest,
    digest: string,
  ): Promise<GateResultInfo[]> {
    const { environment } = request;
    const policies = environment.policies;
    // A rollback puts back what the environment ran: it went through these rules on its way in.
    if (request.kind === 'rollback') return [];
    const held = await this.#holds?.get({
      image: formatImageReference(environmentImage(request.image, environment)),
      environment: environment.name,
    });
    const holds: GateResultInfo[] = held
      ? [
          {
            id: HOLD_GATE,
            passed: false,
            message: heldMessage(environment.name, held),
          },
        ]
      : [];
    if (!policies) return holds;
    return [...holds, ...(await this.#policies(request, digest))];
  }

  async #policies(
    request: PromotionRequest,
    digest: string,
  ): Promise<GateResultInfo[]> {
    const { environment } = request;
    const policies = environment.policies!;
    const soakMs =
      policies.soakSeconds === undefined
        ? undefined
        : policies.soakSeconds * 1000;
    const results: GateResultInfo[] = [];
    if (policies.freeze) {
      results.push(freeze(environment.name, policies.freeze, this.#now()));
    }
    if (!policies.upstreamFirst && soakMs === undefined) return results;

    const upstream = upstreamEnvironment(
      environment,
      request.environments ?? [environment],
    );
    if (!upstream) {
      const message = `${environment.name} has no environment before it${
        policies.upstream ? ` named ${policies.upstream}` : ''
      } for this entity to check the digest against`;
      if (policies.upstreamFirst)
        results.push({ id: 'upstream-first', passed: false, message });
      if (soakMs !== undefined)
        results.push({ id: 'soak-time', passed: false, message });
      return results;
    }
    const stays = await this.#stays.staysOf(
      {
        image: formatImageReference(environmentImage(request.image, upstream)),
        environment: upstream.name,
      },
      digest,
    );
    const now = this.#now();
    if (policies.upstreamFirst) {
      results.push(upstreamFirst(upstream.name, stays));
    }
    if (soakMs !== undefined) {
      results.push(
        soakTime(upstream.name, environment.name, stays, soakMs, now),
      );
    }
    return results;
  }
}

function freeze(
  environment: string,
  windows: FreezeWindow[],
  now: Date,
): GateResultInfo {
  const open = openFreeze(windows, now);
  if (!open) {
    return {
      id: 'freeze',
      passed: true,
      message: `no freeze window of ${environment} is open`,
    };
  }
  return {
    id: 'freeze',
    passed: false,
    message: `${environment} is frozen until ${inZone(
      open.until,
      open.window.timeZone,
    )}${
      open.window.reason ? ` (${open.window.reason})` : ''
    }: only a forced promotion, with a reason, goes in before then`,
  };
}

/**
 * The environment a digest must have run in: the named one, else the one before in the entity's list (the gates
 * check it; the lanes show it).
 */
export function upstreamEnvironment(
  environment: EnvironmentDefinition,
  environments: EnvironmentDefinition[],
): EnvironmentDefinition | undefined {
  const named = environment.policies?.upstream;
  if (named) return environments.find(env => env.name === named);
  const index = environments.findIndex(env => env.name === environment.name);
  return index > 0 ? environments[index - 1] : undefined;
}

function upstreamFirst(
  upstream: string,
  stays: EnvironmentStay[],
): GateResultInfo {
  const first = stays[0];
  if (!first) {
    return {
      id: 'upstream-first',
      passed: false,
      message: `has not run in ${upstream}: promote it there first`,
    };
  }
  const last = stays[stays.length - 1];
  return {
    id: 'upstream-first',
    passed: true,
    message: last.leftAt
      ? `ran in ${upstream} from ${when(first.enteredAt)} to ${when(
          last.leftAt,
        )}`
      : `runs in ${upstream} since ${when(last.enteredAt)}`,
  };
}

function soakTime(
  upstream: string,
  environment: string,
  stays: EnvironmentStay[],
  soakMs: number,
  now: Date,
): GateResultInfo {
  const soak = formatDuration(soakMs);
  if (stays.length === 0) {
    return {
      id: 'soak-time',
      passed: false,
      message: `has not run in ${upstream}, so not for the ${soak} soak time`,
    };
  }
  const longest = stays.reduce((a, b) =>
    stayLength(b, now) > stayLength(a, now) ? b : a,
  );
  const ran = formatDuration(stayLength(longest, now));
  if (stayLength(longest, now) >= soakMs) {
    return {
      id: 'soak-time',
      passed: true,
      message: `ran in ${upstream} for ${ran}, past the ${soak} soak time`,
    };
  }
  const current = stays.find(stay => !stay.leftAt);
  return {
    id: 'soak-time',
    passed: false,
    message: current
      ? `has run in ${upstream} for ${formatDuration(
          stayLength(current, now),
        )} of the ${soak} soak time: it may enter ${environment} from ${when(
          new Date(current.enteredAt.getTime() + soakMs),
        )}`
      : `ran in ${upstream} for at most ${ran}, short of the ${soak} soak time`,
  };
}
