import { parseNextLink, parseRetryAfter, rateLimitAnswer } from './httpHeaders';

describe('parseRetryAfter', () => {
  it('reads a delay in seconds or an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(' 1.5 ')).toBe(1500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
  });

  it('answers undefined for no header or one it cannot read', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('rateLimitAnswer', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const epoch = (seconds: number) => String(now / 1000 + seconds);
  const answer = (status: number, headers: Record<string, string> = {}) =>
    rateLimitAnswer({ status, headers: new Headers(headers) }, now);

  it("takes a 429's Retry-After, else Docker Hub's X-Retry-After, else the reset of an exhausted limit", () => {
    expect(answer(429, { 'retry-after': '30' })).toEqual({ waitMs: 30_000 });
    expect(answer(429, { 'x-retry-after': epoch(90) })).toEqual({
      waitMs: 90_000,
    });
    expect(
      answer(429, {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': epoch(600),
      }),
    ).toEqual({ waitMs: 600_000 });
    expect(answer(429)).toEqual({ waitMs: undefined });
  });

  it("reads GitHub's 403s: an exhausted primary limit until its reset, a secondary limit's Retry-After", () => {
    expect(
      answer(403, {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': epoch(1200),
      }),
    ).toEqual({ waitMs: 1_200_000 });
    expect(answer(403, { 'retry-after': '60' })).toEqual({ waitMs: 60_000 });
  });

  it('leaves a 403 that is a refusal, and any other answer, alone', () => {
    expect(answer(403)).toBeUndefined();
    expect(answer(403, { 'x-ratelimit-remaining': '4999' })).toBeUndefined();
    expect(answer(200, { 'x-ratelimit-remaining': '0' })).toBeUndefined();
    expect(answer(503, { 'retry-after': '5' })).toBeUndefined();
  });
});

describe('parseNextLink', () => {
  it('finds the next page among the links', () => {
    expect(
      parseNextLink(
        '</v2/a/tags/list?last=b&n=2>; rel="prev", </v2/a/tags/list?last=d&n=2>; rel="next"',
      ),
    ).toBe('/v2/a/tags/list?last=d&n=2');
    expect(
      parseNextLink('<https://r.example/v2/a/tags/list?n=1>;rel=next'),
    ).toBe('https://r.example/v2/a/tags/list?n=1');
  });

  it('answers undefined without a next link', () => {
    expect(parseNextLink(undefined)).toBeUndefined();
    expect(parseNextLink('</v2/a/tags/list>; rel="prev"')).toBeUndefined();
  });
});
