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

/**
 * Whether an answer says Berth went over a rate limit, and how many milliseconds it asks Berth to wait (undefined
 * when it does not say): a 429, or a 403 with `x-ratelimit-remaining: 0` or a `Retry-After` (GitHub's primary and
 * secondary limits). The wait is `Retry-After`, else Docker Hub's `X-Retry-After` (a unix time), else, when the
 * answer says nothing is left, the limit's `x-ratelimit-reset` (epoch seconds).
 */
export function rateLimitAnswer(
  response: Pick<Response, 'status' | 'headers'>,
  now = Date.now(),
): { waitMs?: number } | undefined {
  const { headers, status } = response;
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
  const exhausted = headers.get('x-ratelimit-remaining')?.trim() === '0';
  const limited =
    status === 429 ||
    (status === 403 && (exhausted || retryAfter !== undefined));
  if (!limited) return undefined;
  const epoch = (name: string) => {
    const seconds = Number(headers.get(name)?.trim() || NaN);
    return Number.isFinite(seconds) && seconds > 1_000_000_000
      ? Math.max(0, seconds * 1000 - now)
      : undefined;
  };
  return {
    waitMs:
      retryAfter ??
      epoch('x-retry-after') ??
      (exhausted ? epoch('x-ratelimit-reset') : undefined),
  };
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
