import type {
  ListedTag,
  TagListingRequest,
  TagListingResult,
  VendorApi,
} from '@berth/plugin-images-node';

/**
 * Walks a product API's pages from `first`, handing each page to the listing until the API has no next page, the
 * listing's limit is reached (truncated), or the listing stops it (the rest is known). A cursor seen twice is a
 * loop in the API's paging and fails instead of running forever.
 */
export async function listPages<Cursor>(
  api: VendorApi,
  request: TagListingRequest,
  options: {
    first: Cursor;
    fetch(cursor: Cursor): Promise<{ tags: ListedTag[]; next?: Cursor }>;
  },
): Promise<TagListingResult> {
  const seen = new Set<string>();
  let cursor: Cursor | undefined = options.first;
  let listed = 0;
  let requests = 0;
  while (cursor !== undefined) {
    const key = JSON.stringify(cursor);
    if (seen.has(key)) {
      throw api.invalidResponse(
        `the tags of ${request.repository} paginated in a loop`,
      );
    }
    seen.add(key);
    const page = await options.fetch(cursor);
    requests++;
    const room = request.limit - listed;
    const tags = page.tags.slice(0, room);
    listed += tags.length;
    if ((await request.onPage(tags)) === false) {
      return { truncated: false, stoppedEarly: true, requests };
    }
    if (
      page.tags.length > room ||
      (listed >= request.limit && page.next !== undefined)
    ) {
      return { truncated: true, stoppedEarly: false, requests };
    }
    cursor = page.next;
  }
  return { truncated: false, stoppedEarly: false, requests };
}

/** An ISO 8601 date from a date string or epoch seconds; undefined for anything unreadable. */
export function isoDate(value: unknown): string | undefined {
  let date: Date | undefined;
  if (typeof value === 'number') date = new Date(value * 1000);
  if (typeof value === 'string') date = new Date(value);
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

/** A non-empty string, or undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A non-negative finite number, or undefined. */
export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? value
    : undefined;
}

/** The object's array field, or an error saying the API answered in an unknown shape. */
export function arrayField(
  api: VendorApi,
  body: unknown,
  field: string,
  what: string,
): unknown[] {
  const value =
    typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>)[field]
      : undefined;
  if (!Array.isArray(value)) throw api.invalidResponse(what);
  return value;
}

/** Each path segment of a repository name, URL-encoded (`a/b` stays two segments). */
export function encodeSegments(repository: string): string {
  return repository.split('/').map(encodeURIComponent).join('/');
}
