import { readJson } from '../bodies';
import { RegistryError } from '../errors';
import { describeNetworkError, snippet } from '../errorText';
import { parseRetryAfter } from '../httpHeaders';
import { PriorityLimit } from '../PriorityLimit';
import {
  needsCredentialsError,
  responseError,
  unauthorizedError,
} from '../responseErrors';
import { RetryPolicy, sleep } from '../retries';
import { covers, normalizeScope, orderScopes, scopeKey } from '../scopes';
import {
  RegistryLogger,
  RegistryRequest,
  ResolvedEndpoint,
  timeLimit,
} from '../types';
import { basicAuthorization } from './BasicAuth';
import { Challenge, challengeScopes } from './challenge';

const MAX_TOKEN_BYTES = 64 * 1024;
const TOKEN_EARLY_RENEWAL_MS = 10_000;

interface CachedToken {
  value: string;
  expiresAt: number;
}

/** What bearer authentication shares with the transport of its registry. */
export interface BearerAuthOptions {
  endpoint: ResolvedEndpoint;
  /** The registry's own origin, always a trusted realm. */
  origin: string;
  /** Token requests count against the registry's concurrency limit. */
  limit: PriorityLimit;
  retries: RetryPolicy;
  logger?: RegistryLogger;
}

/**
 * The Docker token flow: a Bearer challenge names a realm, which must be the registry's own origin, its flavour's or
 * a configured one; the realm exchanges the configured credentials (or none, for anonymous pulls) for a token per
 * scope set, cached until shortly before it expires.
 */
export class BearerAuth {
  readonly #endpoint: ResolvedEndpoint;
  readonly #trustedOrigins: Set<string>;
  readonly #limit: PriorityLimit;
  readonly #retries: RetryPolicy;
  readonly #logger?: RegistryLogger;
  readonly #tokens = new Map<string, CachedToken>();
  readonly #pending = new Map<string, Promise<string>>();
  #realm: { url: URL; service?: string } | undefined;

  constructor(options: BearerAuthOptions) {
    const endpoint = options.endpoint;
    this.#endpoint = endpoint;
    this.#limit = options.limit;
    this.#retries = options.retries;
    this.#logger = options.logger;
    this.#trustedOrigins = new Set(
      [
        options.origin,
        ...endpoint.flavor.authOrigins,
        ...(endpoint.authOrigins ?? []),
      ].map(origin => new URL(origin).origin),
    );
  }

  /** Takes the realm of a Bearer challenge, refusing one that is no URL or not trusted. */
  useRealm(challenge: Challenge): void {
    const host = this.#endpoint.host;
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm);
    } catch {
      throw new RegistryError(
        'invalid-response',
        host,
        `${host} sent a token challenge with an invalid realm`,
      );
    }
    if (!this.#trustedOrigins.has(realm.origin)) {
      throw new RegistryError(
        'refused-host',
        host,
        `${host} asked Berth to fetch a token from ${snippet(
          realm.host,
        )}, which is not configured: if it is the registry's token service, add ${snippet(
          realm.origin,
        )} to authOrigins of ${host} under images.registries`,
      );
    }
    this.#realm = { url: realm, service: challenge.params.service };
  }

  /**
   * Answers a Bearer challenge to a request that carried `sentAuthorization`: adds the scopes it names, and drops a
   * refused token so that the next attempt fetches a fresh one, unless a fresh one was already not enough.
   */
  answer(
    challenge: Challenge,
    request: RegistryRequest,
    sentAuthorization: string | undefined,
  ): void {
    // A challenge may name scopes this request did not know it needed (a mount's source repository). One it already
    // covers (pull, when it asks push) is left out, so the token is cached under the scopes the next requests ask.
    for (const scope of challengeScopes(challenge).map(normalizeScope)) {
      if (!request.scopes.some(own => covers(own, scope))) {
        request.scopes.push(scope);
      }
    }
    const key = scopeKey(orderScopes(request.scopes));
    const cached = this.#tokens.get(key);
    if (
      challenge.params.error === 'insufficient_scope' &&
      cached &&
      cached.value === sentAuthorization
    ) {
      // A fresh token for exactly these scopes was not enough: the account lacks the permission.
      const host = this.#endpoint.host;
      throw new RegistryError(
        'forbidden',
        host,
        `${host} denied ${request.what}${
          request.repository ? ` in ${request.repository}` : ''
        }: ${this.#endpoint.flavor.permissionHint}`,
      );
    }
    if (cached && cached.value === sentAuthorization) {
      // The token we sent was refused although not expired: fetch a fresh one, once.
      this.#tokens.delete(key);
      this.#endpoint.credentials?.invalidate?.();
    }
  }

  /** The header for a request: a cached token for its scopes, or one fetched (once, however many ask at a time). */
  async authorization(request: RegistryRequest): Promise<string> {
    const scopes = orderScopes(request.scopes);
    const key = scopeKey(scopes);
    const cached = this.#tokens.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.value;
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = this.#fetchToken(scopes, request).finally(() =>
        this.#pending.delete(key),
      );
      this.#pending.set(key, pending);
    }
    return pending;
  }

  async #fetchToken(
    scopes: string[],
    request: RegistryRequest,
  ): Promise<string> {
    const endpoint = this.#endpoint;
    const host = endpoint.host;
    const realm = this.#realm!;
    const url = new URL(realm.url);
    if (realm.service) url.searchParams.set('service', realm.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const what = `a token for ${request.repository ?? 'its API'}`;
    for (let round = 1; ; round++) {
      const credentials = await endpoint.credentials?.getCredentials();
      let response: Response | undefined;
      for (let attempt = 1; ; attempt++) {
        try {
          response = await this.#limit.run(() =>
            fetch(url, {
              headers: credentials
                ? { authorization: basicAuthorization(credentials) }
                : {},
              redirect: 'manual',
              signal: AbortSignal.timeout(timeLimit(endpoint)),
            }),
          );
        } catch (error) {
          if (attempt < this.#retries.maxAttempts) {
            await sleep(this.#retries.backoff(attempt));
            continue;
          }
          throw new RegistryError(
            'unreachable',
            host,
            `the token service of ${host} (${snippet(
              url.host,
            )}) ${describeNetworkError(error, timeLimit(endpoint))}`,
            { cause: error },
          );
        }
        if (
          this.#retries.isRetryable(response.status) &&
          attempt < this.#retries.maxAttempts
        ) {
          await response.body?.cancel();
          await sleep(
            parseRetryAfter(response.headers.get('retry-after')) ??
              this.#retries.backoff(attempt),
          );
          continue;
        }
        break;
      }
      if (response.status === 401 || response.status === 403) {
        await response.body?.cancel();
        if (round === 1 && credentials && endpoint.credentials?.invalidate) {
          endpoint.credentials.invalidate();
          continue;
        }
        throw credentials
          ? unauthorizedError(endpoint, request)
          : needsCredentialsError(endpoint, request);
      }
      if (!response.ok) {
        throw await responseError(endpoint, response, {
          what,
          repository: request.repository,
        });
      }
      const body = (await readJson(
        endpoint,
        response,
        MAX_TOKEN_BYTES,
        what,
      )) as {
        token?: unknown;
        access_token?: unknown;
        expires_in?: unknown;
      } | null;
      const token = body?.token ?? body?.access_token;
      if (!token || typeof token !== 'string') {
        throw new RegistryError(
          'invalid-response',
          host,
          `the token service of ${host} answered without a token`,
        );
      }
      // The spec: expires_in defaults to 60 s and is never less. Renew a little early.
      const lifetime = Math.max(Number(body?.expires_in) || 60, 60) * 1000;
      const value = `Bearer ${token}`;
      this.#tokens.set(scopeKey(scopes), {
        value,
        expiresAt: Date.now() + lifetime - TOKEN_EARLY_RENEWAL_MS,
      });
      this.#logger?.debug(`${host}: new token for ${scopes.join(' ')}`);
      return value;
    }
  }
}
