import { RateBudget } from './RateBudget';

const headers = (values: Record<string, string>) => new Headers(values);

describe('RateBudget', () => {
  const now = Date.UTC(2026, 11, 2, 12);

  it('lets background work spend half of what remained when the window began (Docker Hub pull headers)', () => {
    const budget = new RateBudget(0.5);
    budget.observe(
      headers({
        'ratelimit-limit': '200;w=21600',
        'ratelimit-remaining': '100;w=21600',
      }),
      now,
    );
    expect(budget.heldBack(now)).toBeUndefined();
    budget.observe(headers({ 'ratelimit-remaining': '51;w=21600' }), now + 1);
    expect(budget.heldBack(now + 1)).toBeUndefined();
    budget.observe(
      headers({
        'ratelimit-limit': '200;w=21600',
        'ratelimit-remaining': '50;w=21600',
      }),
      now + 2,
    );
    expect(budget.heldBack(now + 2)).toEqual({
      remaining: 50,
      limit: 200,
      until: new Date(now + 21_600_000),
    });
    // The window the registry stated is over: the next answer tells the new budget.
    expect(budget.heldBack(now + 21_600_001)).toBeUndefined();
  });

  it('reads GitHub and Docker Hub API headers with an epoch reset, and starts over when the budget refills', () => {
    const budget = new RateBudget(0.2);
    const reset = String(Math.floor(now / 1000) + 3600);
    budget.observe(
      headers({
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '1000',
        'x-ratelimit-reset': reset,
      }),
      now,
    );
    budget.observe(
      headers({ 'x-ratelimit-remaining': '800', 'x-ratelimit-reset': reset }),
      now,
    );
    expect(budget.heldBack(now)).toMatchObject({
      remaining: 800,
      limit: 5000,
      until: new Date(Number(reset) * 1000),
    });
    budget.observe(
      headers({ 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': reset }),
      now,
    );
    expect(budget.heldBack(now)).toBeUndefined();
  });

  it('holds background work back after a 429 until Retry-After, and not at all without headers', () => {
    const budget = new RateBudget();
    budget.observe(headers({ 'content-type': 'application/json' }), now);
    expect(budget.heldBack(now)).toBeUndefined();
    budget.limited(new Date(now + 30_000), now);
    expect(budget.heldBack(now + 29_000)).toEqual({
      remaining: 0,
      until: new Date(now + 30_000),
    });
    expect(budget.heldBack(now + 30_000)).toBeUndefined();
  });

  it('gives background work nothing with a share of 0', () => {
    const budget = new RateBudget(0);
    budget.observe(headers({ 'ratelimit-remaining': '100' }), now);
    expect(budget.heldBack(now)).toMatchObject({ remaining: 100 });
  });
});
