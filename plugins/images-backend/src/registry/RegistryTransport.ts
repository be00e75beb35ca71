import { Readable } from 'node:stream';
import { RefusedAddressError } from './addressPolicy';
import { RegistryAuthenticator } from './auth/RegistryAuthenticator';
import { bodyStream, readBody, readJson, withIdleTimeout } from './bodies';
import { RegistryError } from './errors';
import { describeNetworkError, snippet, timeoutError } from './errorText';
import { RegistryFlavor, registryFlavor } from './flavors';
import { requestForeign, uploadStream } from './nodeHttp';
import { PriorityLimit } from './PriorityLimit';
import { RateBudget } from './RateBudget';
import { isRedirect, redirectTarget, refusedAddressError } from './redirects';
import { rateLimitAnswer } from './httpHeaders';
import { responseError, unauthorizedError } from './responseErrors';
import { RetryPolicy, sleep } from './retries';
import {
  RegistryEndpoint,
  RegistryLogger,
  RegistryRequest,
  timeLimit,
} from './types';

export type { RegistryEndpoint, RegistryLogger, RegistryRequest };

/**
 * The HTTP layer shared by every client of one registry: authentication (anonymous, Basic, Bearer tokens cached
 * per scope set), a per-registry concurrency limit, time limits, retries with backoff that honour `Retry-After`,
 * and a redirect policy that never sends credentials, nor any request, to an origin that is not the registry's.
 *
 * @public
 */
export class RegistryTransport {
  readonly endpoint: RegistryEndpoint & { flavor: RegistryFlavor };
  readonly origin: string;
  readonly #limit: PriorityLimit;
  readonly #retries: RetryPolicy;
  readonly #auth: RegistryAuthenticator;
  readonly #logger?: RegistryLogger;
  readonly #configuredHosts: Set<string>;
  readonly #budget: RateBudget;
  readonly #apiTransports = new Map<string, RegistryTransport>();

  constructor(endpoint: RegistryEndpoint, logger?: RegistryLogger) {
    this.endpoint = {
      ...endpoint,
      baseUrl: endpoint.baseUrl.replace(/\/+$/, ''),
      flavor: endpoint.flavor ?? registryFlavor(endpoint.host),
    };
    this.origin = new URL(this.endpoint.baseUrl).origin;
    this.#limit = new PriorityLimit(endpoint.concurrency ?? 4);
    this.#retries = new RetryPolicy(this.endpoint);
    this.#budget = new RateBudget(endpoint.api?.backgroundShare ?? 0.5);
    this.#logger = logger;
    this.#configuredHosts = new Set(
      [
        endpoint.host,
        new URL(this.origin).host,
        ...(endpoint.configuredHosts ?? []),
      ].map(host => host.toLowerCase()),
    );
    this.#auth = new RegistryAuthenticator({
      endpoint: this.endpoint,
      origin: this.origin,
      limit: this.#limit,
      retries: this.#retries,
      logger,
    });
  }

  get host(): string {
    return this.endpoint.host;
  }

  /**
   * The transport for the registry product's own API (`https://api.github.com`): this one when the API shares the
   * registry's origin, else one for that origin with the same credentials and limits and a rate budget of its own.
   * Callers pass only URLs Berth knows for the product or the administrator configured.
   */
  forApi(apiUrl: string): RegistryTransport {
    const url = new URL(apiUrl);
    if (url.origin === this.origin) return this;
    const baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    let transport = this.#apiTransports.get(baseUrl);
    if (!transport) {
      transport = new RegistryTransport(
        { ...this.endpoint, host: url.host, baseUrl, authOrigins: [] },
        this.#logger,
      );
      this.#apiTransports.set(baseUrl, transport);
    }
    return transport;
  }

  /**
   * Sends a request, authenticating, retrying and following redirects as needed. Background work that the
   * registry's rate-limit budget cannot afford now fails at once as rate limited, without a request.
   */
  async request(request: RegistryRequest): Promise<Response> {
    if (request.background) this.#checkBudget(request);
    let url = this.#resolve(request.path, request.what);
    let authRounds = 0;
    let redirects = 0;
    let sentAuthorization: string | undefined;
    const idempotent =
      request.idempotent ??
      (request.method === 'GET' ||
        request.method === 'HEAD' ||
        !(request.body instanceof Readable));

    for (let attempt = 1; ; ) {
      const authorization =
        url.origin === this.origin
          ? await this.#auth.authorization(request)
          : undefined;
      sentAuthorization = authorization;
      let response: Response;
      try {
        response = await this.#send(url, request, authorization);
      } catch (error) {
        if (error instanceof RegistryError) throw error;
        if (error instanceof RefusedAddressError) {
          throw refusedAddressError(this.host, url, request, error);
        }
        if (idempotent && attempt < this.#retries.maxAttempts) {
          const delay = this.#retries.backoff(attempt);
          this.#logger?.warn(
            `${this.host}: ${describeNetworkError(
              error,
              timeLimit(this.endpoint),
            )} while reading ${
              request.what
            }; retrying in ${delay} ms (attempt ${attempt + 1} of ${
              this.#retries.maxAttempts
            })`,
          );
          attempt++;
          await sleep(delay);
          continue;
        }
        throw new RegistryError(
          'unreachable',
          this.host,
          `${this.host} ${describeNetworkError(
            error,
            timeLimit(this.endpoint),
          )} while Berth was reading ${request.what}${
            attempt > 1 ? ` (gave up after ${attempt} attempts)` : ''
          }`,
          { cause: error },
        );
      }

      this.#budget.observe(response.headers);
      const limited = rateLimitAnswer(response);
      if (limited) {
        this.#budget.limited(
          limited.waitMs === undefined
            ? undefined
            : new Date(Date.now() + limited.waitMs),
        );
      }

      if (response.status === 401 && request.vendorApi) {
        await response.body?.cancel();
        throw unauthorizedError(this.endpoint, request);
      }
      if (response.status === 401 && url.origin === this.origin) {
        authRounds++;
        await response.body?.cancel();
        if (authRounds > 2) throw unauthorizedError(this.endpoint, request);
        await this.#auth.answer(
          response.headers.get('www-authenticate'),
          request,
          sentAuthorization,
        );
        continue;
      }

      if (isRedirect(response)) {
        await response.body?.cancel();
        url = redirectTarget(this, response, url, request, ++redirects);
        continue;
      }

      if (
        this.#retries.isRetryable(response.status) &&
        !request.acceptStatuses?.includes(response.status)
      ) {
        const delay = this.#retries.delayAfter(response, attempt, idempotent);
        if (delay !== undefined) {
          await response.body?.cancel();
          this.#logger?.warn(
            `${this.host} answered ${response.status} for ${
              request.what
            }; retrying in ${delay} ms (attempt ${attempt + 1} of ${
              this.#retries.maxAttempts
            })`,
          );
          attempt++;
          await sleep(delay);
          continue;
        }
        throw await this.failure(response, request, attempt);
      }

      if (response.ok || request.acceptStatuses?.includes(response.status)) {
        return response;
      }
      throw await this.failure(response, request, attempt);
    }
  }

  /** Reads a whole body, refusing more than `maxBytes`. */
  readBody(
    response: Response,
    maxBytes: number,
    what: string,
  ): Promise<Buffer> {
    return readBody(this.endpoint, response, maxBytes, what);
  }

  /** Reads and parses a JSON body of at most `maxBytes`. */
  readJson(
    response: Response,
    maxBytes: number,
    what: string,
  ): Promise<unknown> {
    return readJson(this.endpoint, response, maxBytes, what);
  }

  /** Turns an unexpected answer into a typed error with a message that says what to do. */
  failure(
    response: Response,
    request: Pick<RegistryRequest, 'what' | 'repository'>,
    attempts = 1,
  ): Promise<RegistryError> {
    return responseError(this.endpoint, response, request, attempts);
  }

  /** Turns a body into a Node stream whose silence longer than the time limit aborts the transfer. */
  bodyStream(response: Response, what: string): Readable {
    return bodyStream(this.endpoint, response, what);
  }

  #checkBudget(request: RegistryRequest): void {
    const held = this.#budget.heldBack();
    if (!held) return;
    const left =
      held.limit === undefined
        ? `${held.remaining} request(s)`
        : `${held.remaining} of ${held.limit} requests`;
    throw new RegistryError(
      'rate-limited',
      this.host,
      `${this.host}'s rate limit leaves ${left}${
        held.until ? ` until ${held.until.toISOString()}` : ''
      }: Berth keeps them for page views and promotions, and indexes ${
        request.repository ?? 'the rest'
      } further after that`,
      { retryAt: held.until },
    );
  }

  #resolve(path: string, what: string): URL {
    const url = /^https?:\/\//i.test(path)
      ? new URL(path)
      : new URL(
          `${this.endpoint.baseUrl}${path.startsWith('/') ? '' : '/'}${path}`,
        );
    if (url.origin !== this.origin) {
      throw new RegistryError(
        'refused-host',
        this.host,
        `${this.host} pointed ${what} at another host (${snippet(
          url.host,
        )}); Berth only talks to configured registries`,
      );
    }
    return url;
  }

  async #send(
    url: URL,
    request: RegistryRequest,
    authorization: string | undefined,
  ): Promise<Response> {
    const wait = this.#retries.pausedFor;
    if (wait > 0) await sleep(wait);
    return this.#limit.run(async () => {
      const timeoutMs = timeLimit(this.endpoint);
      if (url.origin !== this.origin) {
        // Only downloads follow a redirect away from the registry (checked by the caller).
        return requestForeign(url, {
          method: request.method as 'GET' | 'HEAD',
          headers: request.headers,
          timeoutMs,
          streamed: request.streamed,
          trusted: this.#configuredHosts.has(url.host.toLowerCase()),
        });
      }
      if (request.body instanceof Readable) {
        return uploadStream(
          url,
          { ...request, body: request.body },
          authorization,
          timeoutMs,
        );
      }
      let signal: AbortSignal;
      if (request.streamed) {
        // A streamed transfer may take long; what must not happen is a long silence.
        const controller = new AbortController();
        signal = controller.signal;
        const timer = setTimeout(
          () => controller.abort(timeoutError(timeoutMs)),
          timeoutMs,
        );
        timer.unref?.();
        const response = await fetch(url, init());
        clearTimeout(timer);
        return response.status === 200
          ? withIdleTimeout(response, controller, timeoutMs)
          : response;
      }
      signal = AbortSignal.timeout(timeoutMs);
      return fetch(url, init());

      function init(): RequestInit {
        const body = request.body;
        return {
          method: request.method,
          headers: {
            ...request.headers,
            ...(authorization && { authorization }),
            ...(body instanceof Buffer && {
              'content-length': String(body.length),
            }),
          },
          body: body as BodyInit | undefined,
          redirect: 'manual',
          signal,
          ...(body instanceof Readable && { duplex: 'half' }),
        } as RequestInit;
      }
    }, request.background);
  }
}
