import { RecordedRequest } from './registryProxy';

type Timed = Pick<RecordedRequest, 'startedAt' | 'finishedAt'>;

/**
 * The recorded requests by round trip: a request is in round trip n + 1 when the longest chain of requests before it
 * (each started once the one before it had finished) is n long. Requests in flight together share a round trip.
 * Meaningful behind a proxy that holds each request for a while (`latencyMs`), so that requests sent together
 * overlap.
 *
 * @public
 */
export function roundTripLevels<T extends Timed>(requests: T[]): T[][] {
  const sorted = [...requests].sort((a, b) => a.startedAt - b.startedAt);
  // depth[i]: the longest chain ending with sorted[i].
  const depth: number[] = [];
  const levels: T[][] = [];
  sorted.forEach((request, i) => {
    let longest = 0;
    for (let j = 0; j < i; j++) {
      const before = sorted[j].finishedAt;
      if (before !== undefined && before <= request.startedAt) {
        longest = Math.max(longest, depth[j]);
      }
    }
    depth.push(longest + 1);
    (levels[longest] ??= []).push(request);
  });
  return levels;
}

/**
 * How many round trips the recorded requests took one after another (see {@link roundTripLevels}).
 *
 * @public
 */
export function sequentialRoundTrips(requests: Timed[]): number {
  return roundTripLevels(requests).length;
}
