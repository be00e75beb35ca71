/**
 * A registry's rate-limit budget, as its answers state it: Docker Hub's `ratelimit-limit: 100;w=21600` and
 * `ratelimit-remaining`, DigitalOcean's `ratelimit-*` with `ratelimit-reset`, GitHub's and Docker Hub's API
 * `x-ratelimit-*`, and a 429's `Retry-After`. Background work (index completion) may spend only `share` of what
 * remained when the window began, so that page views, promotions and the team's own CI pulls keep the rest.
 */
export class RateBudget {
  readonly #share: number;
  #limit?: number;
  #remaining?: number;
  #resetAt?: number;
  /** Remaining requests below which background work waits for the next window. */
  #floor = 0;
  /** A 429 stops background work until then. */
  #blockedUntil = 0;

  constructor(share = 0.5) {
    this.#share = Math.min(1, Math.max(0, share));
  }

  /** Reads the budget an answer states; answers without rate-limit headers change nothing. */
  observe(headers: Headers, now = Date.now()): void {
    const remaining = firstNumber(
      headers.get('ratelimit-remaining') ??
        headers.get('x-ratelimit-remaining'),
    );
    if (remaining === undefined) return;
    const limitHeader =
      headers.get('ratelimit-limit') ?? headers.get('x-ratelimit-limit');
    const limit = firstNumber(limitHeader);
    const resetAt =
      resetTime(
        headers.get('ratelimit-reset') ?? headers.get('x-ratelimit-reset'),
        now,
      ) ??
      windowEnd(limitHeader, this.#resetAt, now) ??
      // An answer that states no window keeps the one stated before.
      (this.#resetAt !== undefined && now < this.#resetAt
        ? this.#resetAt
        : undefined);
    const newWindow =
      this.#remaining === undefined ||
      remaining > this.#remaining ||
      (this.#resetAt !== undefined && now >= this.#resetAt);
    if (newWindow) this.#floor = Math.floor(remaining * (1 - this.#share));
    this.#remaining = remaining;
    this.#limit = limit ?? this.#limit;
    this.#resetAt = resetAt;
  }

  /** The registry answered 429: no background work until `retryAt` (or a minute, when it did not say). */
  limited(retryAt: Date | undefined, now = Date.now()): void {
    this.#blockedUntil = Math.max(
      this.#blockedUntil,
      retryAt?.getTime() ?? now + 60_000,
    );
  }

  /**
   * Why background work must wait now, or undefined when it may go on: how much is left of what, and until when.
   */
  heldBack(
    now = Date.now(),
  ): { remaining: number; limit?: number; until?: Date } | undefined {
    if (now < this.#blockedUntil) {
      return { remaining: 0, until: new Date(this.#blockedUntil) };
    }
    if (this.#remaining === undefined) return undefined;
    if (this.#resetAt !== undefined && now >= this.#resetAt) return undefined;
    if (this.#remaining > this.#floor) return undefined;
    return {
      remaining: this.#remaining,
      limit: this.#limit,
      until: this.#resetAt === undefined ? undefined : new Date(this.#resetAt),
    };
  }
}

/** The leading number of `100;w=21600` or `4999`. */
function firstNumber(value: string | null): number | undefined {
  const match = /^\s*(\d+)/.exec(value ?? '');
  return match ? Number(match[1]) : undefined;
}

/** A reset header: epoch seconds (GitHub, DigitalOcean, Docker Hub's API) or seconds from now (the IETF draft). */
function resetTime(value: string | null, now: number): number | undefined {
  const seconds = firstNumber(value);
  if (seconds === undefined) return undefined;
  return seconds > 1_000_000_000 ? seconds * 1000 : now + seconds * 1000;
}

/** Docker Hub states a window (`;w=21600`) but no reset: the window ends that long after it was first seen. */
function windowEnd(
  limitHeader: string | null,
  current: number | undefined,
  now: number,
): number | undefined {
  const match = /;\s*w=(\d+)/.exec(limitHeader ?? '');
  if (!match) return undefined;
  if (current !== undefined && now < current) return current;
  return now + Number(match[1]) * 1000;
}
