/*
 * The Images page's views over HTTP, as the browser makes them, beside what Backstage itself costs in the same run:
 * a catalog entity GET, and the catalog page's first page of components (the paginated entity list). Each viewer
 * takes the kinds of view in turn, starting from a different one each round, so that machine noise hits all of them.
 */
import type { FleetPage } from '@berth/plugin-images-common';
import { RegistryProxy } from '@berth/plugin-images-backend-test-utils';
import { mapPool } from '../lib';
import { breakdown } from '../requests';
import { LatencySummary, summarizeLatencies } from '../stats';
import { HttpBackend } from '../http/httpBackend';
import { getJson } from '../http/httpViews';

export { getJson };

/** Rows on the Images page's first page (its default). */
export const PAGE_SIZE = 50;

/** The fleet as the Images page asks for it (`q`: a search), with no other filter. */
export function fleetPath(q?: string, pageSize = PAGE_SIZE): string {
  const search = q ? `q=${encodeURIComponent(q)}&` : '';
  return `/api/images/fleet?${search}sort=name&page=0&pageSize=${pageSize}`;
}

/** The Images page opening: the fleet's first page and the approval inbox above it, asked together. */
export async function imagesPageView(
  backend: HttpBackend,
  q?: string,
): Promise<FleetPage> {
  const [page] = await Promise.all([
    getJson<FleetPage>(backend, fleetPath(q)),
    getJson<unknown[]>(backend, '/api/images/approvals'),
  ]);
  return page;
}

/** What Backstage itself serves: one entity, or the catalog page's first page of components. */
export const catalogEntityPath = (name: string) =>
  `/api/catalog/entities/by-name/component/default/${name}`;
export const catalogListPath = `/api/catalog/entities/by-query?filter=kind%3Dcomponent&limit=${PAGE_SIZE}&orderField=metadata.name%2Casc`;

export interface ViewKind {
  name: string;
  view: () => Promise<unknown>;
}

export interface FleetBlock {
  viewers: number;
  /** Latencies per kind of view. */
  latencies: Record<string, LatencySummary>;
  /** Registry requests (at the proxy) while the views ran. */
  registryRequests: number;
  registryBreakdown: Record<string, number>;
  wallMs: number;
}

/** `views` views of each kind by `viewers` concurrent viewers, each viewer taking the kinds in turn. */
export async function measureBlock(
  proxy: RegistryProxy,
  kinds: ViewKind[],
  viewers: number,
  views: number,
): Promise<FleetBlock> {
  proxy.reset();
  const times = new Map<string, number[]>(kinds.map(k => [k.name, []]));
  const rounds = Math.max(1, Math.ceil(views / viewers));
  const started = performance.now();
  await mapPool(
    Array.from({ length: viewers }, (_, i) => i),
    viewers,
    async viewer => {
      for (let round = 0; round < rounds; round++) {
        for (let k = 0; k < kinds.length; k++) {
          const kind = kinds[(viewer + round + k) % kinds.length];
          const t0 = performance.now();
          await kind.view();
          times.get(kind.name)!.push(performance.now() - t0);
        }
      }
    },
  );
  const wallMs = performance.now() - started;
  return {
    viewers,
    latencies: Object.fromEntries(
      [...times].map(([name, ms]) => [name, summarizeLatencies(ms)]),
    ),
    registryRequests: proxy.requests.length,
    registryBreakdown: breakdown(proxy.requests),
    wallMs,
  };
}
