import { EnvironmentDefinition, FleetCell } from '@berth/plugin-images-common';
import { EnvironmentStay } from '../stays/EnvironmentStayStore';

/** What the index and the stays say of one environment of one image. */
export interface EnvironmentFacts {
  environment: EnvironmentDefinition;
  /** The repository the environment's tags live in has been listed: a tag it lacks is missing, not unknown. */
  listed: boolean;
  digest?: string;
  created?: string;
  /** The environment's stays, oldest first. */
  stays: EnvironmentStay[];
}

/**
 * The cells of one fleet row, in pipeline order: each environment's status, digest, build time and since when it
 * runs it; from the second on, how it compares with the environment before, and when behind, by how many builds
 * (digests the environment before ran since it ran this one) and since when.
 */
export function fleetCells(facts: EnvironmentFacts[]): FleetCell[] {
  const cells: FleetCell[] = [];
  let previous: EnvironmentFacts | undefined;
  for (const fact of facts) {
    const { environment, digest, created } = fact;
    const open = fact.stays.at(-1);
    // Unknown until the repository is listed; missing once a listing lacks the tag.
    let status: FleetCell['status'] = fact.listed ? 'RED' : 'GREY';
    if (digest) status = 'GREEN';
    const cell: FleetCell = {
      environment: environment.name,
      tag: environment.tag,
      status,
      ...(digest && { digest }),
      ...(created && { created }),
      ...(digest &&
        open &&
        !open.leftAt &&
        open.digest === digest && { since: open.enteredAt.toISOString() }),
    };
    if (digest && previous?.digest) {
      Object.assign(cell, compare(fact, previous));
    }
    cells.push(cell);
    if (digest) previous = fact;
  }
  return cells;
}

function compare(
  fact: EnvironmentFacts,
  upstream: EnvironmentFacts,
): Pick<FleetCell, 'drift' | 'behind'> {
  if (fact.digest === upstream.digest) return { drift: 'same' };
  // Where upstream last ran this digest, what it ran after.
  const stays = upstream.stays;
  let last = -1;
  for (let i = stays.length - 1; i >= 0; i--) {
    if (stays[i].digest === fact.digest) {
      last = i;
      break;
    }
  }
  if (last >= 0 && last < stays.length - 1) {
    const after = stays.slice(last + 1);
    return {
      drift: 'behind',
      behind: {
        environment: upstream.environment.name,
        builds: new Set(after.map(stay => stay.digest)).size,
        since: after[0].enteredAt.toISOString(),
      },
    };
  }
  if (fact.created && upstream.created) {
    if (fact.created < upstream.created) {
      return {
        drift: 'behind',
        behind: { environment: upstream.environment.name },
      };
    }
    if (fact.created > upstream.created) return { drift: 'ahead' };
  }
  return { drift: 'different' };
}
