/*
 * Page views over HTTP, as the browser makes them: a tab view is the Images tab's two requests on open (the
 * overview, then the first tags page of the image it names: page 0, 20 rows, newest first), one after the other;
 * the point of comparison is two catalog entity GETs one after the other, what an entity page asks of Backstage.
 * Each viewer alternates the two (which goes first changes every round), so that machine noise hits both.
 */
import type {
  EntityImagesOverview,
  TagPage,
} from '@berth/plugin-images-common';
import { RegistryProxy } from '@berth/plugin-images-backend-test-utils';
import { check } from '../checks';
import { mapPool, sleep } from '../lib';
import { breakdown } from '../requests';
import { LatencySummary, summarizeLatencies } from '../stats';
import { HttpBackend } from './httpBackend';

export interface BenchEntity {
  /** Which repository: `small` or the 10,000-digest one. */
  label: string;
  name: string;
  image: string;
  /** Distinct digests its tags point at (rows of the tags table). */
  digests: number;
}

const TAGS_QUERY = 'page=0&pageSize=20&sort=created&artifacts=false';

/** The shortest freshness window of the index (environment tags, `images.index` default): 30 s. */
const ENVIRONMENT_WINDOW_MS = 30_000;

/** GET with the guest's token, as JSON; any other status than 2xx fails the benchmark with what the backend said. */
export async function getJson<T>(
  backend: HttpBackend,
  path: string,
): Promise<T> {
  const response = await fetch(`${backend.url}${path}`, {
    headers: {
      authorization: `Bearer ${backend.token}`,
      accept: 'application/json',
    },
  });
  if (!response.ok)
    throw new Error(
      `GET ${path}: ${response.status} ${(await response.text()).slice(
        0,
        300,
      )}`,
    );
  return (await response.json()) as T;
}

/** The Images tab opening: the overview, then the first tags page of its first image. */
export async function tabView(
  backend: HttpBackend,
  entity: BenchEntity,
): Promise<{ overview: EntityImagesOverview; page: TagPage }> {
  const base = `/api/images/entities/component/default/${entity.name}`;
  const overview = await getJson<EntityImagesOverview>(
    backend,
    `${base}/overview`,
  );
  const image = overview.images[0]?.image ?? entity.image;
  const page = await getJson<TagPage>(
    backend,
    `${base}/tags?image=${encodeURIComponent(image)}&${TAGS_QUERY}`,
  );
  return { overview, page };
}

/** Two catalog entity GETs, one after the other (the entity, then the system it is part of). */
export async function catalogView(
  backend: HttpBackend,
  entity: BenchEntity,
): Promise<void> {
  await getJson(
    backend,
    `/api/catalog/entities/by-name/component/default/${entity.name}`,
  );
  await getJson(backend, `/api/catalog/entities/by-name/system/default/bench`);
}

/** Tab views until the tags page says the index is complete (at whatever RTT the proxy has). */
export async function warmUntilComplete(
  backend: HttpBackend,
  entity: BenchEntity,
  timeoutMs: number,
): Promise<{ complete: boolean; page: TagPage }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { page } = await tabView(backend, entity);
    if (page.index.complete || Date.now() > deadline)
      return { complete: page.index.complete, page };
    await sleep(500);
  }
}

/** Waits until the proxy has no request in flight and has seen none for a second (at most 60 s). */
async function proxyQuiet(proxy: RegistryProxy): Promise<void> {
  const deadline = Date.now() + 60_000;
  let seen = -1;
  while (Date.now() < deadline) {
    const busy = proxy.requests.some(r => r.finishedAt === undefined);
    if (!busy && proxy.requests.length === seen) return;
    seen = proxy.requests.length;
    await sleep(1000);
  }
}

export interface ViewsBlock {
  entity: string;
  viewers: number;
  views: number;
  tab: LatencySummary;
  catalog: LatencySummary;
  /** Registry requests (at the proxy) while the timed views ran. */
  registryRequests: number;
  /**
   * Of those, the revalidations of windows that lapsed during the block (a HEAD of an environment tag, a relisting):
   * the freshness policy, not the views. At most one per environment tag and one listing per lapse.
   */
  windowRequests: number;
  /** Environment tags plus one listing, times the windows' lapses the block's duration allows. */
  windowBudget: number;
  registryBreakdown: Record<string, number>;
  /** Registry requests of the untimed view that starts the block (after windows that may have lapsed). */
  primeRequests: number;
  /** Whether the index was complete (every tag resolved, every digest described) when the timed views began. */
  indexComplete: boolean;
  wallMs: number;
}

/**
 * `views` tab views and as many catalog views, by `viewers` concurrent viewers, after one untimed tab view (the
 * prime: the index's windows may have lapsed since the last block, and that view revalidates them) and the registry
 * requests it started.
 */
export async function measureViews(
  backend: HttpBackend,
  proxy: RegistryProxy,
  entity: BenchEntity,
  viewers: number,
  views: number,
  /** The environments' tags: their HEADs are window revalidations. */
  environmentTags: string[],
): Promise<ViewsBlock> {
  proxy.reset();
  const primed = await tabView(backend, entity);
  check(
    primed.page.rows.length === Math.min(20, entity.digests),
    `${entity.label}: the first tags page has ${Math.min(
      20,
      entity.digests,
    )} rows (${primed.page.rows.length})`,
  );
  // What the prime started in the background (a relisting, environment tags past their windows) ends first.
  await proxyQuiet(proxy);
  const primeRequests = proxy.requests.length;
  proxy.reset();
  const tab: number[] = [];
  const catalog: number[] = [];
  const rounds = Math.max(1, Math.ceil(views / viewers));
  const started = performance.now();
  await mapPool(
    Array.from({ length: viewers }, (_, i) => i),
    viewers,
    async viewer => {
      for (let round = 0; round < rounds; round++) {
        const timedView = async (which: 'tab' | 'catalog') => {
          const t0 = performance.now();
          if (which === 'tab') await tabView(backend, entity);
          else await catalogView(backend, entity);
          (which === 'tab' ? tab : catalog).push(performance.now() - t0);
        };
        const tabFirst = (viewer + round) % 2 === 0;
        await timedView(tabFirst ? 'tab' : 'catalog');
        await timedView(tabFirst ? 'catalog' : 'tab');
      }
    },
  );
  const wallMs = performance.now() - started;
  const lapsesAllowed = 1 + Math.floor(wallMs / ENVIRONMENT_WINDOW_MS);
  const windowRequests = proxy.requests.filter(r => {
    const path = r.path.split('?')[0];
    if (r.method === 'GET' && path.endsWith('/tags/list')) return true;
    const tag = /\/manifests\/([^/]+)$/.exec(path)?.[1];
    return (
      r.method === 'HEAD' && tag !== undefined && environmentTags.includes(tag)
    );
  }).length;
  return {
    entity: entity.label,
    viewers,
    views: tab.length,
    tab: summarizeLatencies(tab),
    catalog: summarizeLatencies(catalog),
    registryRequests: proxy.requests.length,
    windowRequests,
    windowBudget: (environmentTags.length + 1) * lapsesAllowed,
    registryBreakdown: breakdown(proxy.requests),
    primeRequests,
    indexComplete: primed.page.index.complete,
    wallMs,
  };
}
