import { parseRetryAfter, rateLimitAnswer } from './httpHeaders';
import { RegistryEndpoint } from './types';

const RETRYABLE_STATUSES = new Set([408, 429, 499, 500, 502, 503, 504, 522]);

export const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * When a request to one registry is sent again: which statuses are worth another attempt, how many attempts, the
 * backoff between them, and how long a `Retry-After` may make Berth wait. A registry that asks for a pause (429 or
 * 503 with `Retry-After`) gets it from every request, not only the one it answered.
 */
export class RetryPolicy {
  readonly #endpoint: RegistryEndpoint;
  #pausedUntil = 0;

  constructor(endpoint: RegistryEndpoint) {
    this.#endpoint = endpoint;
  }

  get maxAttempts(): number {
    return Math.max(1, this.#endpoint.maxAttempts ?? 4);
  }

  isRetryable(status: number): boolean {
    return RETRYABLE_STATUSES.has(status);
  }

  /** Delay before attempt `attempt + 1`: the base doubled each attempt, at most 10 s, with ±20 % jitter. */
  backoff(attempt: number): number {
    const base = this.#endpoint.retryBaseDelayMs ?? 250;
    const delay = Math.min(base * 2 ** (attempt - 1), 10_000);
    return Math.round(delay * (0.8 + Math.random() * 0.4));
  }

  /**
   * After a retryable status: how long to wait before trying again, or undefined to give up (the request is not
   * idempotent, the attempts are spent, or `Retry-After` asks for longer than Berth waits).
   */
  delayAfter(
    response: Response,
    attempt: number,
    idempotent: boolean,
  ): number | undefined {
    // A 429 may say when in Docker Hub's X-Retry-After or GitHub's reset; a 503 only in Retry-After.
    const retryAfter =
      rateLimitAnswer(response)?.waitMs ??
      parseRetryAfter(response.headers.get('retry-after'));
    const maxRetryAfter = this.#endpoint.maxRetryAfterMs ?? 60_000;
    if (
      retryAfter !== undefined &&
      (response.status === 429 || response.status === 503)
    ) {
      this.#pausedUntil = Math.max(
        this.#pausedUntil,
        Date.now() + Math.min(retryAfter, maxRetryAfter),
      );
    }
    const canRetry =
      idempotent &&
      attempt < this.maxAttempts &&
      (retryAfter === undefined || retryAfter <= maxRetryAfter);
    return canRetry ? retryAfter ?? this.backoff(attempt) : undefined;
  }

  /** Milliseconds left of a pause the registry asked for (zero or less: none). */
  get pausedFor(): number {
    return this.#pausedUntil - Date.now();
  }
}
