import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request as the loopback server received it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A reply: status, headers and body (objects are sent as JSON). */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string | object;
}

/** A local HTTP server on 127.0.0.1 and a free port that records requests and answers with replayed responses. */
export interface LoopbackServer {
  url: string;
  requests: RecordedRequest[];
  /** Sets the reply to every following request. */
  reply(handler: Reply | ((request: RecordedRequest) => Reply)): void;
  close(): Promise<void>;
}

/**
 * Starts a loopback server standing in for a vendor endpoint that cannot run in tests; each test file says which
 * documented response it replays.
 */
export async function startLoopbackServer(): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  let handler: (request: RecordedRequest) => Reply = () => ({ status: 500 });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const reply = handler(recorded);
      const body =
        reply.body === undefined || typeof reply.body === 'string'
          ? reply.body ?? ''
          : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        'content-type': 'application/json',
        ...reply.headers,
      });
      res.end(body);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply(next) {
      handler = typeof next === 'function' ? next : () => next;
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
