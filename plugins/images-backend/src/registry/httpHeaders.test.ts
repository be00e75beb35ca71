import { parseNextLink, parseRetryAfter } from './httpHeaders';

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
