import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { RegistryError } from './errors';
import {
  Descriptor,
  ImageIndex,
  ImageManifest,
  MANIFEST_ACCEPT,
} from './mediaTypes';

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
  credentials?: { username: string; password: string };
  /** Concurrent requests to this registry (default 4). */
  concurrency?: number;
  /** Time limit for one request, in milliseconds (default 30 s). */
  timeoutMs?: number;
}

/**
 * A manifest as stored: its exact bytes, media type and digest, and the parsed form.
 *
 * @public
 */
export interface FetchedManifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
  manifest: ImageManifest | ImageIndex;
}

/**
 * Tags of a repository. `truncated` is true when the listing stopped at the caller's limit.
 *
 * @public
 */
export interface TagList {
  tags: string[];
  truncated: boolean;
}

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_JSON_BYTES = 16 * 1024 * 1024;

/** sha256 digest of some bytes, as registries write it. */
export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const match = /^(\w+)\s*(.*)$/.exec(header.trim());
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const [, key, quoted, bare] of match[2].matchAll(
    /(\w+)=(?:"([^"]*)"|([^,\s]*))/g,
  )) {
    params[key.toLowerCase()] = quoted ?? bare;
  }
  return { scheme: match[1].toLowerCase(), params };
}

function repositoryPath(repository: string): string {
  return repository.split('/').map(encodeURIComponent).join('/');
}

/**
 * A client for one registry that speaks the OCI Distribution API: anonymous, Basic and Bearer-token access,
 * bounded concurrency, a time limit per request, size caps and digest verification.
 *
 * @public
 */
export class RegistryClient {
  readonly #endpoint: RegistryEndpoint;
  readonly #origin: string;
  readonly #limit: ReturnType<typeof pLimit>;
  readonly #tokens = new Map<string, { value: string; expiresAt: number }>();

  constructor(endpoint: RegistryEndpoint) {
    this.#endpoint = {
      ...endpoint,
      baseUrl: endpoint.baseUrl.replace(/\/+$/, ''),
    };
    this.#origin = new URL(this.#endpoint.baseUrl).origin;
    this.#limit = pLimit(endpoint.concurrency ?? 4);
  }

  get host(): string {
    return this.#endpoint.host;
  }

  /** Checks that the registry answers the Distribution API (`GET /v2/`). */
  async ping(): Promise<void> {
    await this.#request('GET', '/v2/', { what: 'the registry API' });
  }

  /** Lists tags, following `Link` pagination; stops at `limit` and says so. */
  async listTags(
    repository: string,
    options: { pageSize?: number; limit?: number } = {},
  ): Promise<TagList> {
    const tags: string[] = [];
    const limit = options.limit ?? Infinity;
    let next: string | undefined = `/v2/${repositoryPath(
      repository,
    )}/tags/list${options.pageSize ? `?n=${options.pageSize}` : ''}`;
    while (next) {
      const response = await this.#request('GET', next, {
        repository,
        what: `the tags of ${repository}`,
      });
      const body = (await this.#readJson(
        response,
        `the tags of ${repository}`,
      )) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      if (tags.length >= limit) {
        return { tags: tags.slice(0, limit), truncated: true };
      }
      next = this.#nextLink(response.headers.get('link'));
    }
    return { tags, truncated: false };
  }

  /** Resolves a tag (or digest) to the digest of the manifest stored under it; undefined when there is none. */
  async resolveDigest(
    repository: string,
    reference: string,
  ): Promise<string | undefined> {
    try {
      const response = await this.#request(
        'HEAD',
        `/v2/${repositoryPath(repository)}/manifests/${reference}`,
        {
          repository,
          what: `${repository}:${reference}`,
          headers: { accept: MANIFEST_ACCEPT },
        },
      );
      const digest = response.headers.get('docker-content-digest');
      if (digest) return digest;
    } catch (error) {
      if (error instanceof RegistryError && error.kind === 'not-found')
        return undefined;
      throw error;
    }
    // Some registries omit the digest header on HEAD: fetch the bytes and hash them.
    return (await this.getManifest(repository, reference)).digest;
  }

  /** Fetches a manifest's exact bytes and parses it; verifies the digest when fetched by digest. */
  async getManifest(
    repository: string,
    reference: string,
  ): Promise<FetchedManifest> {
    const what = `the manifest ${repository}${
      reference.includes(':') ? '@' : ':'
    }${reference}`;
    const response = await this.#request(
      'GET',
      `/v2/${repositoryPath(repository)}/manifests/${reference}`,
      {
        repository,
        what,
        headers: { accept: MANIFEST_ACCEPT },
      },
    );
    const bytes = await this.#readBody(response, MAX_MANIFEST_BYTES, what);
    const digest = sha256Digest(bytes);
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new RegistryError(
        'invalid-response',
        this.host,
        `${this.host} returned ${what} with the wrong digest ${digest}`,
      );
    }
    let manifest: ImageManifest | ImageIndex;
    try {
      manifest = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new RegistryError(
        'invalid-response',
        this.host,
        `${this.host} returned ${what} that is not JSON`,
      );
    }
    const mediaType =
      (manifest as { mediaType?: string }).mediaType ??
      response.headers.get('content-type') ??
      '';
    return { digest, mediaType, bytes, manifest };
  }

  /** Reads a blob (a config, typically) by digest, verifying it. */
  async getBlob(
    repository: string,
    digest: string,
    maxBytes = MAX_JSON_BYTES,
  ): Promise<Buffer> {
    const what = `the blob ${repository}@${digest}`;
    const response = await this.#request(
      'GET',
      `/v2/${repositoryPath(repository)}/blobs/${digest}`,
      {
        repository,
        what,
      },
    );
    const bytes = await this.#readBody(response, maxBytes, what);
    if (sha256Digest(bytes) !== digest) {
      throw new RegistryError(
        'invalid-response',
        this.host,
        `${this.host} returned ${what} with the wrong content`,
      );
    }
    return bytes;
  }

  /** True when the repository holds the blob. */
  async hasBlob(repository: string, digest: string): Promise<boolean> {
    try {
      await this.#request(
        'HEAD',
        `/v2/${repositoryPath(repository)}/blobs/${digest}`,
        {
          repository,
          what: `the blob ${repository}@${digest}`,
          push: true,
        },
      );
      return true;
    } catch (error) {
      if (error instanceof RegistryError && error.kind === 'not-found')
        return false;
      throw error;
    }
  }

  /** Uploads a blob unless the repository has it already; returns its descriptor fields. */
  async pushBlob(
    repository: string,
    bytes: Buffer,
  ): Promise<{ digest: string; size: number; uploaded: boolean }> {
    const digest = sha256Digest(bytes);
    if (await this.hasBlob(repository, digest))
      return { digest, size: bytes.length, uploaded: false };
    const what = `an upload to ${repository}`;
    const started = await this.#request(
      'POST',
      `/v2/${repositoryPath(repository)}/blobs/uploads/`,
      {
        repository,
        what,
        push: true,
      },
    );
    const location = started.headers.get('location');
    if (!location) {
      throw new RegistryError(
        'invalid-response',
        this.host,
        `${this.host} started ${what} without a Location`,
      );
    }
    const url = new URL(location, `${this.#endpoint.baseUrl}/`);
    if (url.origin !== this.#origin) {
      throw new RegistryError(
        'refused-host',
        this.host,
        `${this.host} sent ${what} to another host; Berth refused`,
      );
    }
    url.searchParams.set('digest', digest);
    await this.#request('PUT', url.pathname + url.search, {
      repository,
      what,
      push: true,
      body: bytes,
      headers: { 'content-type': 'application/octet-stream' },
    });
    return { digest, size: bytes.length, uploaded: true };
  }

  /** Stores a manifest's exact bytes under a tag or digest; returns the digest the registry reports. */
  async putManifest(
    repository: string,
    reference: string,
    bytes: Buffer,
    mediaType: string,
  ): Promise<string> {
    const response = await this.#request(
      'PUT',
      `/v2/${repositoryPath(repository)}/manifests/${reference}`,
      {
        repository,
        what: `${repository}:${reference}`,
        push: true,
        body: bytes,
        headers: { 'content-type': mediaType },
      },
    );
    return response.headers.get('docker-content-digest') ?? sha256Digest(bytes);
  }

  /** Pushes an image manifest or index as JSON and returns its descriptor. */
  async putJsonManifest(
    repository: string,
    reference: string,
    manifest: ImageManifest | ImageIndex,
  ): Promise<Descriptor> {
    const bytes = Buffer.from(JSON.stringify(manifest));
    const digest = await this.putManifest(
      repository,
      reference,
      bytes,
      manifest.mediaType,
    );
    return { mediaType: manifest.mediaType, digest, size: bytes.length };
  }

  #nextLink(link: string | null): string | undefined {
    const match = link && /<([^>]+)>\s*;\s*rel="?next"?/.exec(link);
    if (!match) return undefined;
    const url = new URL(match[1], `${this.#endpoint.baseUrl}/`);
    if (url.origin !== this.#origin) {
      throw new RegistryError(
        'refused-host',
        this.host,
        `${this.host} pointed pagination at another host (${url.host}); Berth only talks to configured registries`,
      );
    }
    return url.pathname + url.search;
  }

  async #request(
    method: string,
    path: string,
    options: {
      what: string;
      repository?: string;
      push?: boolean;
      body?: Buffer;
      headers?: Record<string, string>;
    },
  ): Promise<Response> {
    return this.#limit(async () => {
      const scope = options.repository
        ? `repository:${options.repository}:${
            options.push ? 'pull,push' : 'pull'
          }`
        : undefined;
      let authorization = this.#cachedAuthorization(scope);
      for (let attempt = 0; ; attempt++) {
        const response = await this.#fetch(
          method,
          path,
          options,
          authorization,
        );
        if (response.status !== 401 || attempt > 0) {
          if (response.ok) return response;
          throw await this.#failure(response, options.what);
        }
        await response.body?.cancel();
        authorization = await this.#authorize(
          response.headers.get('www-authenticate'),
          scope,
          options.what,
        );
      }
    });
  }

  async #fetch(
    method: string,
    path: string,
    options: { body?: Buffer; headers?: Record<string, string>; what: string },
    authorization: string | undefined,
  ): Promise<Response> {
    const timeoutMs = this.#endpoint.timeoutMs ?? 30_000;
    try {
      return await fetch(`${this.#endpoint.baseUrl}${path}`, {
        method,
        headers: {
          ...options.headers,
          ...(authorization && { authorization }),
        },
        body: options.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `did not answer within ${timeoutMs / 1000} s`
          : `could not be reached (${
              ((error as Error).cause as Error)?.message ??
              (error as Error).message
            })`;
      throw new RegistryError(
        'unreachable',
        this.host,
        `${this.host} ${reason} while reading ${options.what}`,
      );
    }
  }

  #cachedAuthorization(scope: string | undefined): string | undefined {
    const token = this.#tokens.get(scope ?? '');
    if (token && token.expiresAt > Date.now()) return token.value;
    return undefined;
  }

  async #authorize(
    header: string | null,
    scope: string | undefined,
    what: string,
  ): Promise<string> {
    const challenge = parseChallenge(header);
    const credentials = this.#endpoint.credentials;
    if (challenge?.scheme === 'basic') {
      if (!credentials) {
        throw new RegistryError(
          'unauthorized',
          this.host,
          `${this.host} needs credentials to read ${what}: configure them under images.registries`,
        );
      }
      const value = `Basic ${Buffer.from(
        `${credentials.username}:${credentials.password}`,
      ).toString('base64')}`;
      this.#tokens.set(scope ?? '', {
        value,
        expiresAt: Number.MAX_SAFE_INTEGER,
      });
      return value;
    }
    if (challenge?.scheme === 'bearer' && challenge.params.realm) {
      return this.#fetchToken(challenge.params, scope, what);
    }
    throw new RegistryError(
      'unauthorized',
      this.host,
      `${this.host} refused access to ${what} without a usable challenge`,
    );
  }

  async #fetchToken(
    params: Record<string, string>,
    scope: string | undefined,
    what: string,
  ): Promise<string> {
    const realm = new URL(params.realm);
    if (realm.origin !== this.#origin) {
      throw new RegistryError(
        'refused-host',
        this.host,
        `${this.host} asked Berth to fetch a token from ${realm.host}, which is not the registry itself; Berth refused`,
      );
    }
    if (params.service) realm.searchParams.set('service', params.service);
    const requested = scope ?? params.scope;
    if (requested) realm.searchParams.set('scope', requested);
    const credentials = this.#endpoint.credentials;
    const headers: Record<string, string> = credentials
      ? {
          authorization: `Basic ${Buffer.from(
            `${credentials.username}:${credentials.password}`,
          ).toString('base64')}`,
        }
      : {};
    let response: Response;
    try {
      response = await fetch(realm, {
        headers,
        signal: AbortSignal.timeout(this.#endpoint.timeoutMs ?? 30_000),
      });
    } catch {
      throw new RegistryError(
        'unreachable',
        this.host,
        `the token service of ${this.host} could not be reached`,
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new RegistryError(
        'unauthorized',
        this.host,
        `${this.host} refused the credentials for ${what}: check the token or password configured for it`,
      );
    }
    const body = (await this.#readJson(response, 'a token')) as {
      token?: string;
      access_token?: string;
      expires_in?: number;
    };
    const token = body.token ?? body.access_token;
    if (!token)
      throw new RegistryError(
        'invalid-response',
        this.host,
        `${this.host} returned a token response without a token`,
      );
    const lifetime = Math.max((body.expires_in ?? 60) - 30, 10) * 1000;
    const value = `Bearer ${token}`;
    this.#tokens.set(scope ?? '', { value, expiresAt: Date.now() + lifetime });
    return value;
  }

  async #failure(response: Response, what: string): Promise<RegistryError> {
    let code = '';
    try {
      const text = (await this.#readBody(response, 64 * 1024, what)).toString(
        'utf8',
      );
      code =
        (JSON.parse(text) as { errors?: { code?: string }[] }).errors?.[0]
          ?.code ?? '';
    } catch {
      // The error body is optional; the status says enough.
    }
    const detail = code ? ` (${code})` : '';
    switch (response.status) {
      case 404:
        return new RegistryError(
          'not-found',
          this.host,
          `${this.host} has no ${what}${detail}`,
        );
      case 401:
        return new RegistryError(
          'unauthorized',
          this.host,
          `${this.host} refused the credentials for ${what}${detail}: check the token or password configured for it`,
        );
      case 403:
        return new RegistryError(
          'forbidden',
          this.host,
          `${this.host} denied access to ${what}${detail}: the configured account lacks the permission`,
        );
      case 429:
        return new RegistryError(
          'rate-limited',
          this.host,
          `${this.host} is rate limiting requests for ${what}`,
        );
      default:
        return new RegistryError(
          'failed',
          this.host,
          `${this.host} answered ${response.status} for ${what}${detail}`,
        );
    }
  }

  async #readBody(
    response: Response,
    maxBytes: number,
    what: string,
  ): Promise<Buffer> {
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw new RegistryError(
        'invalid-response',
        this.host,
        `${this.host} sent ${what} larger than ${maxBytes} bytes`,
      );
    }
    const chunks: Buffer[] = [];
    let total = 0;
    if (response.body) {
      for await (const chunk of response.body) {
        total += chunk.length;
        if (total > maxBytes) {
          throw new RegistryError(
            'invalid-response',
            this.host,
            `${this.host} sent ${what} larger than ${maxBytes} bytes`,
          );
        }
        chunks.push(Buffer.from(chunk));
      }
    }
    return Buffer.concat(chunks);
  }

  async #readJson(response: Response, what: string): Promise<unknown> {
    const bytes = await this.#readBody(response, MAX_JSON_BYTES, what);
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
}
