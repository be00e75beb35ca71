import http, {
  IncomingHttpHeaders,
  IncomingMessage,
  OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';
import https from 'node:https';
import { Socket } from 'node:net';

/**
 * Which requests a fault or a response rewrite applies to. Omitted fields match everything.
 *
 * @public
 */
export interface ProxyMatch {
  /** HTTP method, case-insensitive. */
  method?: string;
  /** Path with query: a regular expression, or a substring it must contain. */
  path?: RegExp | string;
}

/**
 * A fault {@link RegistryProxy.inject} applies to matching requests, `times` times (default 1; `Infinity` allowed).
 *
 * - `{ status }`: answer directly without forwarding (e.g. 429 with `Retry-After`, or 503);
 * - `{ reset: true }`: destroy the client socket without answering;
 * - `{ stallMs }`: accept the request, say nothing for that long, then destroy the socket;
 * - `{ delayMs }`: hold the request that long, then forward it (a slow registry or a long upload);
 * - `{ truncateAfterBytes }`: forward, but cut the response body after that many bytes (destroying the socket).
 *
 * @public
 */
export type ProxyFault = { times?: number } & (
  | { status: number; headers?: Record<string, string>; body?: string | Buffer }
  | { reset: true }
  | { stallMs: number }
  | { delayMs: number }
  | { truncateAfterBytes: number }
);

/**
 * The status and headers of a forwarded response, as a rewrite sees them (header names in lower case).
 *
 * @public
 */
export interface ProxyResponseHead {
  status: number;
  headers: Record<string, string>;
}

/**
 * Changes to a forwarded response. `headers` are merged over the upstream ones (to remove one, delete it from the
 * head passed to the rewrite); `body` replaces the upstream body (and its content-length).
 *
 * @public
 */
export interface ProxyResponseChange {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * Alters a forwarded response: mutate `head` in place and/or return changes.
 *
 * @public
 */
export type ProxyResponseRewrite = (
  head: ProxyResponseHead,
) => ProxyResponseChange | void;

/**
 * One request the proxy saw, fault or not.
 *
 * @public
 */
export interface RecordedRequest {
  method: string;
  /** Path with query. */
  path: string;
  /** Status sent to the client; 0 when none was (reset, stall, client gone) or not yet. */
  status: number;
  /** `Date.now()` when the request arrived. */
  startedAt: number;
  /** `Date.now()` when the exchange ended (response sent or connection closed); unset while in flight. */
  finishedAt?: number;
  /** Request header names in lower case (values are left out: they may hold credentials). */
  headerNames: string[];
  /** Whether an `Authorization` header was present. */
  hasAuthorization: boolean;
}

/**
 * Options for {@link startRegistryProxy}.
 *
 * @public
 */
export interface RegistryProxyOptions {
  /** Origin to forward to, e.g. `http://127.0.0.1:5000`. */
  target: string;
  /** Delay added before handling each request, simulating round-trip time (default 0). */
  latencyMs?: number;
}

/**
 * A running loopback proxy with fault injection, from {@link startRegistryProxy}.
 *
 * @public
 */
export interface RegistryProxy {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** `127.0.0.1:<port>`, as image names write it. */
  host: string;
  port: number;
  /** Every request seen so far, in arrival order. */
  requests: RecordedRequest[];
  /** Clears the recorded requests, the pending faults and the pending rewrites. */
  reset(): void;
  /** Applies `fault` to the next matching requests (faults are checked in injection order). */
  inject(match: ProxyMatch, fault: ProxyFault): void;
  /** Alters the next `times` (default 1; `Infinity` allowed) matching forwarded responses. */
  rewriteResponse(
    match: ProxyMatch,
    rewrite: ProxyResponseRewrite,
    times?: number,
  ): void;
  setLatency(ms: number): void;
  /** Closes the server and every open socket. */
  stop(): Promise<void>;
}

interface Rule<T> {
  match: ProxyMatch;
  value: T;
  remaining: number;
}

/** Hop-by-hop headers belong to one connection, not to the message, so they are not passed on. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'upgrade',
]);

function matches(match: ProxyMatch, method: string, path: string): boolean {
  if (match.method && match.method.toUpperCase() !== method.toUpperCase())
    return false;
  if (match.path === undefined) return true;
  if (typeof match.path === 'string') return path.includes(match.path);
  match.path.lastIndex = 0; // a /g or /y expression keeps state between calls
  return match.path.test(path);
}

/** Takes one use of the first matching rule, dropping it when used up. */
function take<T>(
  rules: Rule<T>[],
  method: string,
  path: string,
): T | undefined {
  const index = rules.findIndex(rule => matches(rule.match, method, path));
  if (index < 0) return undefined;
  const rule = rules[index];
  rule.remaining -= 1;
  if (rule.remaining <= 0) rules.splice(index, 1);
  return rule.value;
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * Starts an HTTP proxy on 127.0.0.1 in front of a registry (or any HTTP origin), so tests can add latency, inject
 * faults (429/503, connection resets, stalls, truncated bodies) and rewrite responses the real registry sends.
 * Bodies are streamed both ways, so large blobs go through it. The client's `Host` header is kept, so the registry
 * builds absolute `Location` URLs that point back at the proxy.
 *
 * @public
 */
export async function startRegistryProxy(
  options: RegistryProxyOptions,
): Promise<RegistryProxy> {
  const target = new URL(options.target);
  const secure = target.protocol === 'https:';
  const upstreamPort = Number(target.port) || (secure ? 443 : 80);
  const agent = secure
    ? new https.Agent({ keepAlive: true })
    : new http.Agent({ keepAlive: true });
  const requestUpstream = secure ? https.request : http.request;

  let latencyMs = options.latencyMs ?? 0;
  const requests: RecordedRequest[] = [];
  const faults: Rule<ProxyFault>[] = [];
  const rewrites: Rule<ProxyResponseRewrite>[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const destroySocket = (socket: Socket) => {
    // An RST rather than a FIN, so the client sees a connection reset.
    if (typeof socket.resetAndDestroy === 'function' && !socket.destroyed)
      socket.resetAndDestroy();
    else socket.destroy();
  };

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
    truncateAfterBytes: number | undefined,
  ) => {
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    const upstream = requestUpstream({
      protocol: target.protocol,
      hostname: target.hostname,
      port: upstreamPort,
      method: req.method,
      path: req.url,
      headers,
      agent,
    });
    // If the client goes away, stop the upstream exchange too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.on('error', () => {
      if (!res.headersSent && !res.destroyed) {
        record.status = 502;
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('proxy: upstream request failed');
      } else {
        res.destroy();
      }
    });
    upstream.on('response', response => {
      let status = response.statusCode ?? 502;
      let responseHeaders: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name))
          responseHeaders[name] = value;
      }
      let body: Buffer | undefined;
      const rewrite = take(rewrites, record.method, record.path);
      if (rewrite) {
        const head: ProxyResponseHead = {
          status,
          headers: flatten(responseHeaders),
        };
        const change = rewrite(head) ?? {};
        status = change.status ?? head.status;
        responseHeaders = { ...head.headers, ...change.headers };
        if (change.body !== undefined) {
          body = Buffer.from(change.body);
          delete responseHeaders['transfer-encoding'];
          responseHeaders['content-length'] = String(body.length);
        }
      }
      record.status = status;
      res.writeHead(status, responseHeaders);
      if (body) {
        response.resume(); // drop the upstream body
        res.end(body);
        return;
      }
      if (truncateAfterBytes === undefined) {
        response.pipe(res);
        return;
      }
      let sent = 0;
      const cut = (part: Buffer) => {
        response.destroy();
        res.write(part, () => destroySocket(res.socket ?? req.socket));
      };
      if (truncateAfterBytes <= 0) {
        cut(Buffer.alloc(0));
        return;
      }
      response.on('data', (chunk: Buffer) => {
        const room = truncateAfterBytes - sent;
        if (chunk.length < room) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            response.pause();
            res.once('drain', () => response.resume());
          }
          return;
        }
        sent = truncateAfterBytes;
        cut(chunk.subarray(0, room));
      });
      response.on('end', () => {
        if (sent < truncateAfterBytes) res.end(); // shorter than the cut: nothing to truncate
      });
    });
    req.pipe(upstream);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      status: 0,
      startedAt: Date.now(),
      headerNames: Object.keys(req.headers),
      hasAuthorization: req.headers.authorization !== undefined,
    };
    requests.push(record);
    res.once('close', () => {
      record.finishedAt = Date.now();
    });
    if (latencyMs > 0) await sleep(latencyMs);
    if (req.destroyed || res.destroyed) return;

    const fault = take(faults, record.method, record.path);
    if (!fault) {
      forward(req, res, record, undefined);
    } else if ('status' in fault) {
      record.status = fault.status;
      res.writeHead(fault.status, fault.headers ?? {});
      res.end(fault.body ?? '');
    } else if ('reset' in fault) {
      destroySocket(req.socket);
    } else if ('stallMs' in fault) {
      const socket = req.socket;
      const timer = setTimeout(() => {
        timers.delete(timer);
        destroySocket(socket);
      }, fault.stallMs);
      timers.add(timer);
      // A client that gives up first ends the stall.
      socket.once('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
    } else if ('delayMs' in fault) {
      // A timer the proxy tracks, so that stop() does not leave a held request behind.
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!req.destroyed && !res.destroyed)
          forward(req, res, record, undefined);
      }, fault.delayMs);
      timers.add(timer);
    } else {
      forward(req, res, record, fault.truncateAfterBytes);
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', socket => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A socket the proxy destroys on purpose must not bring the server down.
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    requests,
    reset() {
      requests.length = 0;
      faults.length = 0;
      rewrites.length = 0;
    },
    inject(match, fault) {
      if ((fault.times ?? 1) <= 0) return;
      faults.push({ match, value: fault, remaining: fault.times ?? 1 });
    },
    rewriteResponse(match, rewrite, times = 1) {
      if (times <= 0) return;
      rewrites.push({ match, value: rewrite, remaining: times });
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>(resolve =>
        server.close(() => resolve()),
      );
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await closed;
    },
  };
}
