import { PassThrough, Readable } from 'node:stream';
import { RefusedAddressError } from './addressPolicy';
import { RegistryCredentialProvider } from './credentials/types';
import { PriorityLimit } from './PriorityLimit';
import { RegistryError } from './errors';
import {
  describeNetworkError,
  formatLimit,
  registryCode,
  snippet,
  timeoutError,
} from './errorText';
import { RegistryFlavor, registryFlavor } from './flavors';
import {
  challengeScopes,
  parseChallenge,
  parseRetryAfter,
} from './httpHeaders';
import { requestForeign, uploadStream, withIdleTimeout } from './nodeHttp';
import { normalizeScope, orderScopes, scopeKey } from './scopes';

/**
 * Where and how to reach one configured registry.
 *
 * @public
 */
export interface RegistryEndpoint {
  /** The host users write in image names: `ghcr.io`, `localhost:5000`. */
  host: string;
  /** Base URL requests go to: `https://ghcr.io`, or a mirror such as `http://127.0.0.1:5500`. */
  baseUrl: string;
  /** The registry product; recognised from the host when omitted. */
  flavor?: RegistryFlavor;
  credentials?: RegistryCredentialProvider;
  /** Concurrent requests to this registry (default 4). */
  concurrency?: number;
  /** Time limit for one request, in milliseconds (default 30 s); for streamed blobs, the longest silence. */
  timeoutMs?: number;
  /** Attempts for an idempotent request that failed with 408, 429, 5xx or a network error (default 4). */
  maxAttempts?: number;
  /** First backoff delay in milliseconds, doubled each attempt, with ±20 % jitter (default 250). */
  retryBaseDelayMs?: number;
  /** A `Retry-After` longer than this fails at once as rate limited instead of waiting (default 60 s). */
  maxRetryAfterMs?: number;
  /** Other origins allowed as token realms, besides the registry's own and its flavour's. */
  authOrigins?: string[];
  /**
   * Hosts of every configured registry (`host` and the endpoint's host): a blob redirect may lead there even on a
   * private address. Any other redirect target on a loopback, private, link-local or metadata address is refused.
   */
  configuredHosts?: string[];
}

/**
 * Something that logs, like Backstage's LoggerService. Messages never carry a credential.
 *
 * @public
 */
export interface RegistryLogger {
  debug(message: string): void;
  warn(message: string): void;
}

/** One request to the registry API. */
export interface RegistryRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';
  /** Path and query under the base URL, or an absolute URL on the registry's own origin (an upload Location). */
  path: string;
  /** What is being asked, for messages: "the tags of bxtech/dotca". */
  what: string;
  /** The repository concerned, for messages about credentials. */
  repository?: string;
  /** Token scopes this request needs (`repository:<name>:pull,push`); push scopes first. */
  scopes: string[];
  headers?: Record<string, string>;
  body?: Buffer | Readable;
  /** Safe to send again after a failure (default: true for GET, HEAD and Buffer bodies). */
  idempotent?: boolean;
  /** Statuses handed back to the caller instead of thrown (404 when absence is an answer). */
  acceptStatuses?: number[];
  /** Follow redirects to another origin, without credentials (blob downloads from a storage CDN). */
  followForeignRedirects?: boolean;
  /** The body is streamed by the caller: the time limit applies to silences, not to the whole transfer. */
  streamed?: boolean;
  /** Nobody waits for this (index completion): it yields its turn to requests someone waits for. */
  background?: boolean;
  /**
   * A vendor API beside the registry API (Quay's `/api/v1`): the configured credentials go as Basic, or none, with
   * no challenge round; a 401 is an error.
   */
  vendorApi?: boolean;
}

const RETRYABLE_STATUSES = new Set([408, 429, 499, 500, 502, 503, 504, 522]);
const MAX_TOKEN_BYTES = 64 * 1024;
const MAX_REDIRECTS = 5;
const TOKEN_EARLY_RENEWAL_MS = 10_000;

interface BearerChallenge {
  realm: URL;
  service?: string;
}

interface CachedToken {
  value: string;
  expiresAt: number;
}

const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

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
  readonly #logger?: RegistryLogger;
  readonly #trustedAuthOrigins: Set<string>;
  readonly #configuredHosts: Set<string>;
  readonly #tokens = new Map<string, CachedToken>();
  readonly #pendingTokens = new Map<string, Promise<string>>();
  #scheme: 'none' | 'basic' | 'bearer' | undefined;
  #bearer: BearerChallenge | undefined;
  #pausedUntil = 0;

  constructor(endpoint: RegistryEndpoint, logger?: RegistryLogger) {
    this.endpoint = {
      ...endpoint,
      baseUrl: endpoint.baseUrl.replace(/\/+$/, ''),
      flavor: endpoint.flavor ?? registryFlavor(endpoint.host),
    };
    this.origin = new URL(this.endpoint.baseUrl).origin;
    this.#limit = new PriorityLimit(endpoint.concurrency ?? 4);
    this.#logger = logger;
    this.#configuredHosts = new Set(
      [
        endpoint.host,
        new URL(this.origin).host,
        ...(endpoint.configuredHosts ?? []),
      ].map(host => host.toLowerCase()),
    );
    this.#trustedAuthOrigins = new Set(
      [
        this.origin,
        ...this.endpoint.flavor.authOrigins,
        ...(endpoint.authOrigins ?? []),
      ].map(origin => new URL(origin).origin),
    );
  }

  get host(): string {
    return this.endpoint.host;
  }

  /** Sends a request, authenticating, retrying and following redirects as needed. */
  async request(request: RegistryRequest): Promise<Response> {
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
          ? await this.#authorization(request)
          : undefined;
      sentAuthorization = authorization;
      let response: Response;
      try {
        response = await this.#send(url, request, authorization);
      } catch (error) {
        if (error instanceof RegistryError) throw error;
        if (error instanceof RefusedAddressError) {
          throw new RegistryError(
            'refused-host',
            this.host,
            `${this.host} redirected ${request.what} to ${snippet(
              url.host,
            )}, which ${error.resolved ? 'resolves to' : 'is'} ${
              error.addressKind === 'unspecified' ? 'an' : 'a'
            } ${
              error.addressKind
            } address; Berth refused to follow (a registry trusted there belongs under images.registries)`,
            { cause: error },
          );
        }
        if (idempotent && attempt < this.#maxAttempts) {
          const delay = this.#backoff(attempt);
          this.#logger?.warn(
            `${this.host}: ${describeNetworkError(
              error,
              this.#timeoutMs,
            )} while reading ${
              request.what
            }; retrying in ${delay} ms (attempt ${attempt + 1} of ${
              this.#maxAttempts
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
            this.#timeoutMs,
          )} while Berth was reading ${request.what}${
            attempt > 1 ? ` (gave up after ${attempt} attempts)` : ''
          }`,
          { cause: error },
        );
      }

      if (response.status === 401 && request.vendorApi) {
        await response.body?.cancel();
        throw this.#unauthorized(request);
      }
      if (response.status === 401 && url.origin === this.origin) {
        authRounds++;
        await response.body?.cancel();
        if (authRounds > 2) throw this.#unauthorized(request);
        await this.#handleChallenge(
          response.headers.get('www-authenticate'),
          request,
          sentAuthorization,
        );
        continue;
      }

      if (isRedirect(response.status) && response.headers.has('location')) {
        await response.body?.cancel();
        if (++redirects > MAX_REDIRECTS) {
          throw new RegistryError(
            'invalid-response',
            this.host,
            `${this.host} redirected ${request.what} more than ${MAX_REDIRECTS} times`,
          );
        }
        const target = new URL(response.headers.get('location')!, url);
        if (target.origin !== this.origin) {
          const downloading =
            request.method === 'GET' || request.method === 'HEAD';
          if (!request.followForeignRedirects || !downloading) {
            throw new RegistryError(
              'refused-host',
              this.host,
              `${this.host} redirected ${request.what} to ${snippet(
                target.host,
              )}, which is not a configured registry; Berth refused to follow`,
            );
          }
          if (target.protocol !== 'https:' && url.protocol === 'https:') {
            throw new RegistryError(
              'refused-host',
              this.host,
              `${this.host} redirected ${
                request.what
              } from HTTPS to plain HTTP (${snippet(
                target.host,
              )}); Berth refused to follow`,
            );
          }
        }
        url = target;
        continue;
      }

      if (
        RETRYABLE_STATUSES.has(response.status) &&
        !request.acceptStatuses?.includes(response.status)
      ) {
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        const maxRetryAfter = this.endpoint.maxRetryAfterMs ?? 60_000;
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
          attempt < this.#maxAttempts &&
          (retryAfter === undefined || retryAfter <= maxRetryAfter);
        if (canRetry) {
          await response.body?.cancel();
          const delay = retryAfter ?? this.#backoff(attempt);
          this.#logger?.warn(
            `${this.host} answered ${response.status} for ${
              request.what
            }; retrying in ${delay} ms (attempt ${attempt + 1} of ${
              this.#maxAttempts
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
  async readBody(
    response: Response,
    maxBytes: number,
    what: string,
  ): Promise<Buffer> {
    const declared = Number(response.headers.get('content-length') ?? '0');
    const tooLarge = () =>
      new RegistryError(
        'invalid-response',
        this.host,
        `${this.host} sent ${what} larger than Berth accepts (${formatLimit(
          maxBytes,
        )})`,
      );
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      if (response.body) {
        for await (const chunk of response.body) {
          total += chunk.length;
          if (total > maxBytes) throw tooLarge();
          chunks.push(Buffer.from(chunk));
        }
      }
    } catch (error) {
      if (error instanceof RegistryError) throw error;
      throw new RegistryError(
        'unreachable',
        this.host,
        `${this.host} ${describeNetworkError(
          error,
          this.#timeoutMs,
        )} while sending ${what}`,
        { cause: error },
      );
    }
    return Buffer.concat(chunks);
  }

  /** Reads and parses a JSON body of at most `maxBytes`. */
  async readJson(
    response: Response,
    maxBytes: number,
    what: string,
  ): Promise<unknown> {
    const bytes = await this.readBody(response, maxBytes, what);
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new RegistryError(
        'invalid-response',
        this.host,
        `${this.host} returned ${what} that is not JSON`,
      );
    }
  }

  /** Turns an unexpected answer into a typed error with a message that says what to do. */
  async failure(
    response: Response,
    request: Pick<RegistryRequest, 'what' | 'repository'>,
    attempts = 1,
  ): Promise<RegistryError> {
    let code: string | undefined;
    let message = '';
    try {
      const text = (
        await this.readBody(response, 64 * 1024, request.what)
      ).toString('utf8');
      const first = (
        JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[] }
      ).errors?.[0];
      // Upstream text: an OCI code when it looks like one, and a short, sanitized message.
      code = registryCode(first?.code);
      message = snippet(first?.message);
    } catch {
      // The error body is optional; the status says enough.
    }
    const detail = code ? ` (${code}${message ? `: ${message}` : ''})` : '';
    const host = this.host;
    const flavor = this.endpoint.flavor;
    const what = request.what;
    const subject = request.repository ?? what;
    const options = { registryCode: code };
    const immutable = /immutab/i.test(`${code} ${message}`);
    switch (response.status) {
      case 404:
        return new RegistryError(
          'not-found',
          host,
          `${host} has no ${what}${detail}`,
          options,
        );
      case 401:
        return this.#unauthorized(request);
      case 403:
        if (immutable) break;
        return new RegistryError(
          'forbidden',
          host,
          `${host} denied access to ${subject}${detail}: ${flavor.permissionHint}`,
          options,
        );
      case 429: {
        const wait = parseRetryAfter(response.headers.get('retry-after'));
        const retryAt =
          wait !== undefined ? new Date(Date.now() + wait) : undefined;
        return new RegistryError(
          'rate-limited',
          host,
          `${host} is rate limiting Berth's requests for ${what}${
            retryAt ? `; it asks to wait until ${retryAt.toISOString()}` : ''
          }${attempts > 1 ? ` (gave up after ${attempts} attempts)` : ''}`,
          { ...options, retryAt },
        );
      }
      case 405:
        return new RegistryError(
          'unsupported',
          host,
          `${host} does not allow ${what}${detail}`,
          options,
        );
      case 413:
        return new RegistryError(
          'invalid-manifest',
          host,
          `${host} refused ${what} as too large${detail}`,
          options,
        );
      default:
        break;
    }
    if (immutable || (response.status === 409 && /tag/i.test(message))) {
      return new RegistryError(
        'immutable-tag',
        host,
        `${host} refused to change ${what}: the tag is immutable there${detail}`,
        options,
      );
    }
    if (code === 'UNSUPPORTED') {
      return new RegistryError(
        'unsupported',
        host,
        `${host} does not support this operation on ${what}${detail}`,
        options,
      );
    }
    if (
      response.status === 400 &&
      code &&
      /^(MANIFEST_|BLOB_UNKNOWN|TAG_INVALID|DIGEST_INVALID|SIZE_INVALID)/.test(
        code,
      )
    ) {
      return new RegistryError(
        'invalid-manifest',
        host,
        `${host} refused ${what}${detail}`,
        options,
      );
    }
    return new RegistryError(
      'failed',
      host,
      `${host} answered ${response.status} for ${what}${detail}${
        attempts > 1 ? ` (gave up after ${attempts} attempts)` : ''
      }`,
      options,
    );
  }

  /** Turns a body into a Node stream whose silence longer than the time limit aborts the transfer. */
  bodyStream(response: Response, what: string): Readable {
    if (!response.body) return Readable.from([]);
    const source = Readable.fromWeb(
      response.body as import('node:stream/web').ReadableStream,
    );
    const host = this.host;
    const timeoutMs = this.#timeoutMs;
    // Network failures mid-stream become a registry error that says which transfer broke.
    const wrapped = new PassThrough();
    source.on('error', error =>
      wrapped.destroy(
        error instanceof RegistryError
          ? error
          : new RegistryError(
              'unreachable',
              host,
              `${host} ${describeNetworkError(
                error,
                timeoutMs,
              )} while sending ${what}`,
              { cause: error },
            ),
      ),
    );
    wrapped.on('error', () => undefined);
    return source.pipe(wrapped);
  }

  get #maxAttempts(): number {
    return Math.max(1, this.endpoint.maxAttempts ?? 4);
  }

  get #timeoutMs(): number {
    return this.endpoint.timeoutMs ?? 30_000;
  }

  #backoff(attempt: number): number {
    const base = this.endpoint.retryBaseDelayMs ?? 250;
    const delay = Math.min(base * 2 ** (attempt - 1), 10_000);
    return Math.round(delay * (0.8 + Math.random() * 0.4));
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
    const wait = this.#pausedUntil - Date.now();
    if (wait > 0) await sleep(wait);
    return this.#limit.run(async () => {
      const timeoutMs = this.#timeoutMs;
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

  async #authorization(request: RegistryRequest): Promise<string | undefined> {
    if (request.vendorApi) {
      const credentials = await this.endpoint.credentials?.getCredentials();
      return credentials && basicAuthorization(credentials);
    }
    switch (this.#scheme) {
      case 'basic': {
        const credentials = await this.endpoint.credentials?.getCredentials();
        return credentials && basicAuthorization(credentials);
      }
      case 'bearer':
        return this.#token(orderScopes(request.scopes), request);
      default:
        return undefined;
    }
  }

  async #handleChallenge(
    header: string | null,
    request: RegistryRequest,
    sentAuthorization: string | undefined,
  ): Promise<void> {
    const challenge = parseChallenge(header);
    if (challenge?.scheme === 'basic') {
      if (!this.endpoint.credentials) throw this.#needsCredentials(request);
      if (sentAuthorization?.startsWith('Basic ')) {
        // The credentials we sent were refused: maybe they expired (ECR, ACR). Ask once more.
        if (!this.endpoint.credentials.invalidate)
          throw this.#unauthorized(request);
        this.endpoint.credentials.invalidate();
      }
      this.#scheme = 'basic';
      return;
    }
    if (challenge?.scheme === 'bearer' && challenge.params.realm) {
      let realm: URL;
      try {
        realm = new URL(challenge.params.realm);
      } catch {
        throw new RegistryError(
          'invalid-response',
          this.host,
          `${this.host} sent a token challenge with an invalid realm`,
        );
      }
      if (!this.#trustedAuthOrigins.has(realm.origin)) {
        throw new RegistryError(
          'refused-host',
          this.host,
          `${this.host} asked Berth to fetch a token from ${snippet(
            realm.host,
          )}, which is not configured: if it is the registry's token service, add ${snippet(
            realm.origin,
          )} to authOrigins of ${this.host} under images.registries`,
        );
      }
      this.#scheme = 'bearer';
      this.#bearer = { realm, service: challenge.params.service };
      // A challenge may name scopes this request did not know it needed (a mount's source repository).
      for (const scope of challengeScopes(challenge).map(normalizeScope)) {
        if (!request.scopes.includes(scope)) request.scopes.push(scope);
      }
      const key = scopeKey(orderScopes(request.scopes));
      const cached = this.#tokens.get(key);
      if (
        challenge.params.error === 'insufficient_scope' &&
        cached &&
        cached.value === sentAuthorization
      ) {
        // A fresh token for exactly these scopes was not enough: the account lacks the permission.
        throw new RegistryError(
          'forbidden',
          this.host,
          `${this.host} denied ${request.what}${
            request.repository ? ` in ${request.repository}` : ''
          }: ${this.endpoint.flavor.permissionHint}`,
        );
      }
      if (cached && cached.value === sentAuthorization) {
        // The token we sent was refused although not expired: fetch a fresh one, once.
        this.#tokens.delete(key);
        this.endpoint.credentials?.invalidate?.();
      }
      return;
    }
    throw this.#unauthorized(request);
  }

  async #token(scopes: string[], request: RegistryRequest): Promise<string> {
    const key = scopeKey(scopes);
    const cached = this.#tokens.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.value;
    let pending = this.#pendingTokens.get(key);
    if (!pending) {
      pending = this.#fetchToken(scopes, request).finally(() =>
        this.#pendingTokens.delete(key),
      );
      this.#pendingTokens.set(key, pending);
    }
    return pending;
  }

  async #fetchToken(
    scopes: string[],
    request: RegistryRequest,
  ): Promise<string> {
    const bearer = this.#bearer!;
    const url = new URL(bearer.realm);
    if (bearer.service) url.searchParams.set('service', bearer.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const what = `a token for ${request.repository ?? 'its API'}`;
    for (let round = 1; ; round++) {
      const credentials = await this.endpoint.credentials?.getCredentials();
      let response: Response | undefined;
      for (let attempt = 1; ; attempt++) {
        try {
          response = await this.#limit.run(() =>
            fetch(url, {
              headers: credentials
                ? { authorization: basicAuthorization(credentials) }
                : {},
              redirect: 'manual',
              signal: AbortSignal.timeout(this.#timeoutMs),
            }),
          );
        } catch (error) {
          if (attempt < this.#maxAttempts) {
            await sleep(this.#backoff(attempt));
            continue;
          }
          throw new RegistryError(
            'unreachable',
            this.host,
            `the token service of ${this.host} (${snippet(
              url.host,
            )}) ${describeNetworkError(error, this.#timeoutMs)}`,
            { cause: error },
          );
        }
        if (
          RETRYABLE_STATUSES.has(response.status) &&
          attempt < this.#maxAttempts
        ) {
          await response.body?.cancel();
          await sleep(
            parseRetryAfter(response.headers.get('retry-after')) ??
              this.#backoff(attempt),
          );
          continue;
        }
        break;
      }
      if (response.status === 401 || response.status === 403) {
        await response.body?.cancel();
        if (
          round === 1 &&
          credentials &&
          this.endpoint.credentials?.invalidate
        ) {
          this.endpoint.credentials.invalidate();
          continue;
        }
        throw credentials
          ? this.#unauthorized(request)
          : this.#needsCredentials(request);
      }
      if (!response.ok) {
        throw await this.failure(response, {
          what,
          repository: request.repository,
        });
      }
      const body = (await this.readJson(response, MAX_TOKEN_BYTES, what)) as {
        token?: unknown;
        access_token?: unknown;
        expires_in?: unknown;
      } | null;
      const token = body?.token ?? body?.access_token;
      if (!token || typeof token !== 'string') {
        throw new RegistryError(
          'invalid-response',
          this.host,
          `the token service of ${this.host} answered without a token`,
        );
      }
      // The spec: expires_in defaults to 60 s and is never less. Renew a little early.
      const lifetime = Math.max(Number(body?.expires_in) || 60, 60) * 1000;
      const value = `Bearer ${token}`;
      this.#tokens.set(scopeKey(scopes), {
        value,
        expiresAt: Date.now() + lifetime - TOKEN_EARLY_RENEWAL_MS,
      });
      this.#logger?.debug(`${this.host}: new token for ${scopes.join(' ')}`);
      return value;
    }
  }

  #unauthorized(
    request: Pick<RegistryRequest, 'repository' | 'what'>,
  ): RegistryError {
    return new RegistryError(
      'unauthorized',
      this.host,
      `${this.host} refused the credentials for ${
        request.repository ?? request.what
      }: ${this.endpoint.flavor.credentialsHint}`,
    );
  }

  #needsCredentials(
    request: Pick<RegistryRequest, 'repository' | 'what'>,
  ): RegistryError {
    return new RegistryError(
      'unauthorized',
      this.host,
      `${this.host} needs credentials for ${
        request.repository ?? request.what
      }: configure them under images.registries (${
        this.endpoint.flavor.credentialsHint
      })`,
    );
  }
}

function basicAuthorization(credentials: {
  username: string;
  password: string;
}): string {
  return `Basic ${Buffer.from(
    `${credentials.username}:${credentials.password}`,
  ).toString('base64')}`;
}

function isRedirect(status: number): boolean {
  return [301, 302, 303, 307, 308].includes(status);
}
