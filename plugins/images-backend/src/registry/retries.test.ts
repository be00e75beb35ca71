import { RetryPolicy } from './retries';

describe('RetryPolicy', () => {
  const answer = (status: number, retryAfter?: string) =>
    new Response(null, {
      status,
      headers: retryAfter ? { 'retry-after': retryAfter } : {},
    });

  it('makes 4 attempts unless configured, and never fewer than 1', () => {
    expect(
      new RetryPolicy({ host: 'r', baseUrl: 'https://r' }).maxAttempts,
    ).toBe(4);
    expect(
      new RetryPolicy({ host: 'r', baseUrl: 'https://r', maxAttempts: 0 })
        .maxAttempts,
    ).toBe(1);
  });

  it('retries timeouts, rate limits and server errors, not answers', () => {
    const policy = new RetryPolicy({ host: 'r', baseUrl: 'https://r' });
    for (const status of [408, 429, 500, 502, 503, 504]) {
      expect(policy.isRetryable(status)).toBe(true);
    }
    for (const status of [200, 400, 401, 403, 404, 501]) {
      expect(policy.isRetryable(status)).toBe(false);
    }
  });

  it('doubles the backoff each attempt, within 20 % and at most 10 s', () => {
    const policy = new RetryPolicy({
      host: 'r',
      baseUrl: 'https://r',
      retryBaseDelayMs: 100,
    });
    for (let i = 0; i < 20; i++) {
      expect(policy.backoff(1)).toBeGreaterThanOrEqual(80);
      expect(policy.backoff(1)).toBeLessThanOrEqual(120);
      expect(policy.backoff(3)).toBeGreaterThanOrEqual(320);
      expect(policy.backoff(3)).toBeLessThanOrEqual(480);
      expect(policy.backoff(20)).toBeGreaterThanOrEqual(8000);
      expect(policy.backoff(20)).toBeLessThanOrEqual(12000);
    }
  });

  it('waits as long as Retry-After says, and pauses the registry for a 429 or 503', () => {
    const policy = new RetryPolicy({ host: 'r', baseUrl: 'https://r' });
    expect(policy.pausedFor).toBeLessThanOrEqual(0);
    expect(policy.delayAfter(answer(500, '2'), 1, true)).toBe(2000);
    expect(policy.pausedFor).toBeLessThanOrEqual(0);
    expect(policy.delayAfter(answer(429, '2'), 1, true)).toBe(2000);
    expect(policy.pausedFor).toBeGreaterThan(1500);
    expect(policy.pausedFor).toBeLessThanOrEqual(2000);
  });

  it('gives up on a Retry-After longer than it may wait, still pausing the registry as long as it may', () => {
    const policy = new RetryPolicy({
      host: 'r',
      baseUrl: 'https://r',
      maxRetryAfterMs: 5000,
    });
    expect(policy.delayAfter(answer(503, '3600'), 1, true)).toBeUndefined();
    expect(policy.pausedFor).toBeGreaterThan(4500);
    expect(policy.pausedFor).toBeLessThanOrEqual(5000);
  });

  it('gives up on a request that is not idempotent, or whose attempts are spent', () => {
    const policy = new RetryPolicy({
      host: 'r',
      baseUrl: 'https://r',
      maxAttempts: 3,
      retryBaseDelayMs: 10,
    });
    expect(policy.delayAfter(answer(503), 1, false)).toBeUndefined();
    expect(policy.delayAfter(answer(503), 3, true)).toBeUndefined();
    expect(policy.delayAfter(answer(503), 2, true)).toBeGreaterThanOrEqual(16);
  });
});
