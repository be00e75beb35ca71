/** A `WWW-Authenticate` challenge: its scheme and parameters. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses a `WWW-Authenticate` header (`Bearer realm="...",service="...",scope="..."` or `Basic realm="..."`).
 * Only the first challenge is read: registries send one.
 */
export function parseChallenge(
  header: string | null | undefined,
): Challenge | undefined {
  if (!header) return undefined;
  const match = /^([A-Za-z]+)\s*(.*)$/s.exec(header.trim());
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const [, key, quoted, bare] of match[2].matchAll(
    /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g,
  )) {
    params[key.toLowerCase()] = quoted?.replace(/\\(.)/g, '$1') ?? bare;
  }
  return { scheme: match[1].toLowerCase(), params };
}

/**
 * Milliseconds to wait from a `Retry-After` header (delay in seconds, or an HTTP date); undefined when absent or
 * unreadable.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The target of `Link: <...>; rel="next"`, if any. */
export function parseNextLink(
  header: string | null | undefined,
): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /<([^>]*)>(.*)$/.exec(part.trim());
    if (match && /;\s*rel\s*=\s*"?next"?/i.test(match[2])) return match[1];
  }
  return undefined;
}

/** Scopes in a challenge's `scope` parameter (space separated). */
export function challengeScopes(challenge: Challenge | undefined): string[] {
  return (challenge?.params.scope ?? '').split(' ').filter(Boolean);
}
