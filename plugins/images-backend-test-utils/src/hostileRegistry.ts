import { createHash } from 'node:crypto';
import http, { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

/**
 * A request the hostile registry answered.
 *
 * @public
 */
export interface HostileRequest {
  method: string;
  /** Path with query. */
  path: string;
}

/**
 * Options for {@link HostileRegistry.manifest}.
 *
 * @public
 */
export interface HostileManifestOptions {
  /** Tags that point at it. */
  tags?: string[];
  /** Content-Type sent (default: the body's `mediaType`, else the OCI image manifest type). */
  contentType?: string;
  /** Serve the bytes under this digest too, and report it (a registry that sends the wrong content, or a sha512). */
  digest?: string;
  /** Leave `Docker-Content-Digest` out of the answers (some registries do). */
  omitDigestHeader?: boolean;
}

/**
 * A registry that serves whatever a test gives it, malformed or not, from {@link startHostileRegistry}.
 *
 * @public
 */
export interface HostileRegistry {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** `127.0.0.1:<port>`. */
  host: string;
  port: number;
  /** Every request so far, in arrival order. */
  requests: HostileRequest[];
  /** Serves a manifest (bytes as given, or an object as JSON) under its sha256 digest and its tags; returns that digest. */
  manifest(
    repository: string,
    body: unknown,
    options?: HostileManifestOptions,
  ): string;
  /** Serves a blob (bytes as given, or an object as JSON) under its sha256 digest; returns the digest. */
  blob(repository: string, body: unknown): string;
  /**
   * Answers the repository's tag listing with these names, as they are (any JSON), `pageSize` a page with `Link`
   * headers, or all at once without.
   */
  tags(
    repository: string,
    names: unknown[],
    options?: { pageSize?: number },
  ): void;
  /** Answers requests whose path contains `path` with this status, headers and body instead. */
  answer(
    path: string,
    response: {
      status: number;
      headers?: Record<string, string>;
      body?: string | Buffer;
    },
  ): void;
  stop(): Promise<void>;
}

interface Stored {
  bytes: Buffer;
  contentType: string;
  digest: string;
  omitDigestHeader?: boolean;
}

function bytesOf(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.from(JSON.stringify(body));
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * Starts an OCI Distribution API server on 127.0.0.1 that serves exactly what a test stores in it: manifests that are
 * no JSON or have the wrong shape, configs of any content, tag listings with any names and any number of pages. It
 * speaks enough of the API for Berth's client (`/v2/`, manifests and blobs by tag or digest with GET and HEAD, tag
 * listings with `Link` pagination), with no authentication. For data a real registry refuses to store.
 *
 * @public
 */
export async function startHostileRegistry(): Promise<HostileRegistry> {
  const manifests = new Map<string, Stored>();
  const blobs = new Map<string, Buffer>();
  const listings = new Map<string, { names: unknown[]; pageSize?: number }>();
  const answers: Array<{
    path: string;
    response: {
      status: number;
      headers?: Record<string, string>;
      body?: string | Buffer;
    };
  }> = [];
  const requests: HostileRequest[] = [];
  const sockets = new Set<Socket>();

  const send = (
    res: ServerResponse,
    method: string,
    status: number,
    headers: Record<string, string>,
    body: Buffer,
  ) => {
    res.writeHead(status, {
      ...headers,
      'content-length': String(body.length),
    });
    res.end(method === 'HEAD' ? undefined : body);
  };
  const unknown = (res: ServerResponse, method: string, code: string) =>
    send(
      res,
      method,
      404,
      { 'content-type': 'application/json' },
      Buffer.from(JSON.stringify({ errors: [{ code, message: 'unknown' }] })),
    );

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://registry');
    requests.push({ method, path: `${url.pathname}${url.search}` });
    const answer = answers.find(a =>
      `${url.pathname}${url.search}`.includes(a.path),
    );
    if (answer) {
      const { status, headers = {}, body = '' } = answer.response;
      send(res, method, status, headers, Buffer.from(body));
      return;
    }
    if (url.pathname === '/v2/') {
      send(
        res,
        method,
        200,
        { 'content-type': 'application/json' },
        Buffer.from('{}'),
      );
      return;
    }
    const object = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(
      url.pathname,
    );
    if (object) {
      const [, repository, kind, reference] = object;
      if (kind === 'blobs') {
        const blob = blobs.get(`${repository}@${reference}`);
        if (!blob) {
          unknown(res, method, 'BLOB_UNKNOWN');
          return;
        }
        send(
          res,
          method,
          200,
          { 'content-type': 'application/octet-stream' },
          blob,
        );
        return;
      }
      const stored = manifests.get(
        `${repository}@${decodeURIComponent(reference)}`,
      );
      if (!stored) {
        unknown(res, method, 'MANIFEST_UNKNOWN');
        return;
      }
      send(
        res,
        method,
        200,
        {
          'content-type': stored.contentType,
          ...(!stored.omitDigestHeader && {
            'docker-content-digest': stored.digest,
          }),
        },
        stored.bytes,
      );
      return;
    }
    const list = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
    if (list) {
      const listing = listings.get(list[1]);
      if (!listing) {
        unknown(res, method, 'NAME_UNKNOWN');
        return;
      }
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const size = listing.pageSize ?? listing.names.length;
      const page = listing.names.slice(start, start + size);
      const next = start + size < listing.names.length;
      const query = new URLSearchParams(url.searchParams);
      query.set('cursor', String(start + size));
      send(
        res,
        method,
        200,
        {
          'content-type': 'application/json',
          ...(next && {
            link: `</v2/${list[1]}/tags/list?${query}>; rel="next"`,
          }),
        },
        Buffer.from(JSON.stringify({ name: list[1], tags: page })),
      );
      return;
    }
    unknown(res, method, 'UNSUPPORTED');
  };

  const server = http.createServer(handle);
  server.on('connection', socket => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    requests,
    manifest(repository, body, options = {}) {
      const bytes = bytesOf(body);
      const declared = (body as { mediaType?: unknown } | null)?.mediaType;
      const stored: Stored = {
        bytes,
        digest: options.digest ?? sha256(bytes),
        contentType:
          options.contentType ??
          (typeof declared === 'string'
            ? declared
            : 'application/vnd.oci.image.manifest.v1+json'),
        omitDigestHeader: options.omitDigestHeader,
      };
      manifests.set(`${repository}@${stored.digest}`, stored);
      manifests.set(`${repository}@${sha256(bytes)}`, stored);
      for (const tag of options.tags ?? [])
        manifests.set(`${repository}@${tag}`, stored);
      return sha256(bytes);
    },
    blob(repository, body) {
      const bytes = bytesOf(body);
      const digest = sha256(bytes);
      blobs.set(`${repository}@${digest}`, bytes);
      return digest;
    },
    tags(repository, names, options = {}) {
      listings.set(repository, { names, pageSize: options.pageSize });
    },
    answer(path, response) {
      answers.push({ path, response });
    },
    async stop() {
      const closed = new Promise<void>(resolve =>
        server.close(() => resolve()),
      );
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
