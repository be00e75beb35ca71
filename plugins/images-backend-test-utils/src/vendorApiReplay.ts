import http, { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

/**
 * A request the vendor API replay received.
 *
 * @public
 */
export interface VendorReplayRequest {
  method: string;
  /** Path with query. */
  path: string;
  /** Lower-cased request headers (the tests check what authenticated it). */
  headers: Record<string, string | undefined>;
  /** The body, parsed as JSON where it is. */
  body?: unknown;
}

/**
 * What a route answers: a status, headers and a JSON (or raw string) body.
 *
 * @public
 */
export interface VendorReplayAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * A loopback stand-in for a registry product's REST API (Quay, Docker Hub, GitHub, DigitalOcean, Harbor, ACR,
 * ECR), which cannot run here: each test routes the documented requests to the documented responses, paging and
 * error shapes included, and reads back what was asked.
 *
 * @public
 */
export interface VendorApiReplay {
  url: string;
  host: string;
  requests: VendorReplayRequest[];
  /**
   * Answers requests whose method and path (without the query) match; the handler sees the parsed URL and request.
   * Later routes win over earlier ones for the same request.
   */
  route(
    method: string,
    path: string | RegExp,
    handler: (
      url: URL,
      request: VendorReplayRequest,
    ) => VendorReplayAnswer | Promise<VendorReplayAnswer>,
  ): void;
  /** Forgets the routes and the recorded requests. */
  reset(): void;
  stop(): Promise<void>;
}

/**
 * Starts a {@link VendorApiReplay} on a free loopback port. Unrouted requests get a 404 with a JSON message.
 *
 * @public
 */
export async function startVendorApiReplay(): Promise<VendorApiReplay> {
  const routes: Array<{
    method: string;
    path: string | RegExp;
    handler: Parameters<VendorApiReplay['route']>[2];
  }> = [];
  const requests: VendorReplayRequest[] = [];
  const sockets = new Set<Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw || undefined;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // not JSON: kept as text
    }
    const url = new URL(req.url ?? '/', 'http://replay');
    const method = req.method ?? 'GET';
    const request: VendorReplayRequest = {
      method,
      path: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [
          k,
          Array.isArray(v) ? v.join(', ') : v,
        ]),
      ),
      body,
    };
    requests.push(request);
    const route = [...routes]
      .reverse()
      .find(
        r =>
          r.method === method &&
          (typeof r.path === 'string'
            ? r.path === url.pathname
            : r.path.test(url.pathname)),
      );
    let answer: VendorReplayAnswer;
    try {
      answer = route
        ? await route.handler(url, request)
        : { status: 404, body: { message: 'Not Found' } };
    } catch (error) {
      answer = { status: 500, body: { message: String(error) } };
    }
    const payload =
      answer.body === undefined
        ? Buffer.alloc(0)
        : Buffer.from(
            typeof answer.body === 'string'
              ? answer.body
              : JSON.stringify(answer.body),
          );
    res.writeHead(answer.status ?? 200, {
      'content-type': 'application/json',
      ...answer.headers,
      'content-length': String(payload.length),
    });
    res.end(payload);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
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
    requests,
    route(method, path, handler) {
      routes.push({ method, path, handler });
    },
    reset() {
      routes.length = 0;
      requests.length = 0;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
