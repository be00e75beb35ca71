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

/** Scopes in a challenge's `scope` parameter (space separated). */
export function challengeScopes(challenge: Challenge | undefined): string[] {
  return (challenge?.params.scope ?? '').split(' ').filter(Boolean);
}
