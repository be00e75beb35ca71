import { FleetRow, GetFleet } from '@berth/plugin-images-common';
import { refOf } from './FleetRows';

/** What the fleet page asks for: the query of `GET /fleet`, as the OpenAPI schema states it. */
export type FleetQuery = NonNullable<GetFleet['query']>;

/** Whether a row passes the query's filters and search (`mine`: the caller's ownership refs, when asked). */
export function matches(
  row: FleetRow,
  query: FleetQuery,
  mine: Set<string> | undefined,
): boolean {
  const same = (a: string | undefined, b: string, kind: string) =>
    a !== undefined && a === (refOf(b, kind, 'default') ?? b);
  if (mine && !(row.owner && mine.has(row.owner))) return false;
  if (query.owner && !same(row.owner, query.owner, 'group')) return false;
  if (query.system && !same(row.system, query.system, 'system')) return false;
  if (query.kind && row.kind.toLowerCase() !== query.kind.toLowerCase())
    return false;
  if (query.lifecycle && row.lifecycle !== query.lifecycle) return false;
  if (query.status) {
    const status = query.status;
    const hit = row.cells.some(cell =>
      status === 'behind' ? cell.drift === 'behind' : cell.status === status,
    );
    if (!hit) return false;
  }
  const q = query.q?.trim().toLowerCase();
  if (q) {
    const hex = q.replace(/^sha256:/, '');
    const found =
      row.image.toLowerCase().includes(q) ||
      row.cells.some(
        cell =>
          cell.tag.toLowerCase() === q ||
          (hex.length >= 4 &&
            /^[0-9a-f]+$/.test(hex) &&
            cell.digest?.startsWith(`sha256:${hex}`)),
      );
    if (!found) return false;
  }
  return true;
}

/** The order the query asks for: by name, or longest behind first. */
export function compareRows(query: FleetQuery) {
  return query.sort === 'staleness'
    ? (a: FleetRow, b: FleetRow) =>
        staleSince(a) - staleSince(b) || a.entityRef.localeCompare(b.entityRef)
    : (a: FleetRow, b: FleetRow) =>
        a.name.localeCompare(b.name) ||
        a.entityRef.localeCompare(b.entityRef) ||
        a.image.localeCompare(b.image);
}

/** When the row's longest-behind environment fell behind (rows behind without a date first, none behind last). */
function staleSince(row: FleetRow): number {
  let oldest = Infinity;
  for (const cell of row.cells) {
    if (cell.drift !== 'behind') continue;
    const at = cell.behind?.since ? Date.parse(cell.behind.since) : -Infinity;
    oldest = Math.min(oldest, at);
  }
  return oldest;
}
