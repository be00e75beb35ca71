import { PassThrough, Readable } from 'node:stream';
import { RegistryError } from './errors';
import { describeNetworkError, formatLimit, timeoutError } from './errorText';
import { RegistryEndpoint, timeLimit } from './types';

/**
 * Reading what a registry sends: whole bodies within a limit (a registry's answer is not trusted to be small), and
 * streamed bodies whose silences, not their length, are limited in time.
 */

/** Largest JSON answer Berth reads (a tag page, a vendor API answer), and the default for a small blob. */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;

/** A transfer that broke, saying which. */
function transferError(
  endpoint: RegistryEndpoint,
  error: unknown,
  what: string,
): RegistryError {
  const host = endpoint.host;
  return new RegistryError(
    'unreachable',
    host,
    `${host} ${describeNetworkError(
      error,
      timeLimit(endpoint),
    )} while sending ${what}`,
    { cause: error },
  );
}

/** Reads a whole body, refusing more than `maxBytes`. */
export async function readBody(
  endpoint: RegistryEndpoint,
  response: Response,
  maxBytes: number,
  what: string,
): Promise<Buffer> {
  const host = endpoint.host;
  const declared = Number(response.headers.get('content-length') ?? '0');
  const tooLarge = () =>
    new RegistryError(
      'invalid-response',
      host,
      `${host} sent ${what} larger than Berth accepts (${formatLimit(
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
    throw transferError(endpoint, error, what);
  }
  return Buffer.concat(chunks);
}

/** Reads and parses a JSON body of at most `maxBytes`. */
export async function readJson(
  endpoint: RegistryEndpoint,
  response: Response,
  maxBytes: number,
  what: string,
): Promise<unknown> {
  const bytes = await readBody(endpoint, response, maxBytes, what);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new RegistryError(
      'invalid-response',
      endpoint.host,
      `${endpoint.host} returned ${what} that is not JSON`,
    );
  }
}

/** Turns a body into a Node stream whose silence longer than the time limit aborts the transfer. */
export function bodyStream(
  endpoint: RegistryEndpoint,
  response: Response,
  what: string,
): Readable {
  if (!response.body) return Readable.from([]);
  const source = Readable.fromWeb(
    response.body as import('node:stream/web').ReadableStream,
  );
  // Network failures mid-stream become a registry error that says which transfer broke.
  const wrapped = new PassThrough();
  source.on('error', error =>
    wrapped.destroy(
      error instanceof RegistryError
        ? error
        : transferError(endpoint, error, what),
    ),
  );
  wrapped.on('error', () => undefined);
  return source.pipe(wrapped);
}

/** Aborts a response whose body goes silent for longer than the time limit. */
export function withIdleTimeout(
  response: Response,
  controller: AbortController,
  timeoutMs: number,
): Response {
  if (!response.body) return response;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () => controller.abort(timeoutError(timeoutMs)),
      timeoutMs,
    );
    timer.unref?.();
  };
  const reader = response.body.getReader();
  arm();
  const body = new ReadableStream<Uint8Array>({
    async pull(stream) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          clearTimeout(timer);
          stream.close();
          return;
        }
        arm();
        stream.enqueue(value);
      } catch (error) {
        clearTimeout(timer);
        stream.error(error);
      }
    },
    cancel(reason) {
      clearTimeout(timer);
      return reader.cancel(reason);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
