import {
  IncomingMessage,
  OutgoingHttpHeaders,
  request as httpRequest,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkHostBeforeConnecting, checkedLookup } from './addressPolicy';
import { timeoutError } from './errorText';

/**
 * Exchanges Berth sends with node:http rather than fetch: streamed uploads (fetch keeps a streamed request body in
 * memory until the exchange ends, nodejs/undici#4058), and downloads from another origin, which must connect to the
 * address that was checked.
 */

/** A web Response over a node:http answer; an out-of-range status (a hostile server) is an error, not a crash. */
function toResponse(incoming: IncomingMessage, method: string): Response {
  const status = incoming.statusCode ?? 0;
  if (status < 200 || status > 599) {
    incoming.destroy();
    throw Object.assign(new Error('invalid HTTP status'), {
      code: 'INVALID_STATUS',
    });
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined)
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const hasBody = method !== 'HEAD' && ![204, 205, 304].includes(status);
  if (!hasBody) incoming.resume();
  return new Response(
    hasBody
      ? (Readable.toWeb(incoming) as unknown as ReadableStream<Uint8Array>)
      : null,
    { status, headers },
  );
}

/**
 * Sends a streamed body. A silence longer than the time limit aborts the upload; a source that fails mid-stream (a
 * cut download, a digest mismatch) fails the upload with its own error.
 */
export function uploadStream(
  url: URL,
  request: {
    method: string;
    headers?: Record<string, string>;
    body: Readable;
  },
  authorization: string | undefined,
  timeoutMs: number,
): Promise<Response> {
  const body = request.body;
  return new Promise<Response>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(url, {
      method: request.method,
      headers: {
        ...request.headers,
        ...(authorization && { authorization }),
      },
    });
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      outgoing.destroy();
      body.destroy();
      reject(error);
    };
    outgoing.setTimeout(timeoutMs, () => fail(timeoutError(timeoutMs)));
    outgoing.on('error', fail);
    outgoing.on('response', incoming => {
      if (settled) return;
      settled = true;
      try {
        resolve(toResponse(incoming, request.method));
      } catch (error) {
        reject(error);
      }
    });
    pipeline(body, outgoing).catch(fail);
  });
}

/**
 * A GET or HEAD to an origin that is not the registry's (a blob's storage or CDN), without credentials. Unless the
 * host is trusted (a configured registry), an address out of bounds is refused before connecting, and a name is
 * resolved once, checked, and connected to at the address checked. The time limit covers the whole exchange, or
 * for a streamed body, each silence.
 */
export function requestForeign(
  url: URL,
  options: {
    method: 'GET' | 'HEAD';
    headers?: Record<string, string>;
    timeoutMs: number;
    streamed?: boolean;
    trusted: boolean;
  },
): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    if (!options.trusted) checkHostBeforeConnecting(url.hostname);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: OutgoingHttpHeaders = { ...options.headers };
    delete headers.authorization;
    const outgoing = send(url, {
      method: options.method,
      headers,
      agent: false,
      ...(!options.trusted && { lookup: checkedLookup() }),
    });
    let incoming: IncomingMessage | undefined;
    let settled = false;
    let deadline: NodeJS.Timeout | undefined;
    const fail = (error: Error) => {
      clearTimeout(deadline);
      incoming?.destroy(error);
      outgoing.destroy();
      if (settled) return;
      settled = true;
      reject(error);
    };
    if (!options.streamed) {
      deadline = setTimeout(
        () => fail(timeoutError(options.timeoutMs)),
        options.timeoutMs,
      );
    }
    outgoing.setTimeout(options.timeoutMs, () =>
      fail(timeoutError(options.timeoutMs)),
    );
    outgoing.on('error', fail);
    outgoing.on('response', response => {
      incoming = response;
      response.once('close', () => clearTimeout(deadline));
      if (settled) return;
      settled = true;
      try {
        resolve(toResponse(response, options.method));
      } catch (error) {
        clearTimeout(deadline);
        reject(error);
      }
    });
    outgoing.end();
  });
}
