import { Readable } from 'node:stream';
import { RegistryError } from './errors';
import { bodyStream, readBody, readJson, withIdleTimeout } from './bodies';

describe('bodies', () => {
  const endpoint = {
    host: 'registry.example',
    baseUrl: 'https://registry.example',
    timeoutMs: 1000,
  };
  /** A body without Content-Length, sent in chunks, that may break after them. */
  const chunked = (chunks: string[], failure?: Error) =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) {
            controller.enqueue(new TextEncoder().encode(chunk));
          }
          if (failure) controller.error(failure);
          else controller.close();
        },
      }),
    );
  const reset = () =>
    Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

  it('reads a body within the limit', async () => {
    const bytes = await readBody(endpoint, chunked(['ab', 'cd']), 4, 'a blob');
    expect(bytes.toString()).toBe('abcd');
  });

  it('refuses a body larger than the limit, declared or not', async () => {
    const message =
      'registry.example sent the manifest acme/app:v1 larger than Berth accepts (1 KiB)';
    await expect(
      readBody(
        endpoint,
        new Response('x', { headers: { 'content-length': '2048' } }),
        1024,
        'the manifest acme/app:v1',
      ),
    ).rejects.toThrow(message);
    await expect(
      readBody(
        endpoint,
        chunked(['x'.repeat(1000), 'x'.repeat(100)]),
        1024,
        'the manifest acme/app:v1',
      ),
    ).rejects.toThrow(message);
  });

  it('says which transfer broke when the connection does', async () => {
    const error = await readBody(
      endpoint,
      chunked(['ab'], reset()),
      1024,
      'the tags of acme/app',
    ).catch(e => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe(
      'registry.example closed the connection while sending the tags of acme/app',
    );
  });

  it('parses JSON, and says when a body is not JSON', async () => {
    expect(
      await readJson(endpoint, new Response('{"tags":[]}'), 1024, 'tags'),
    ).toEqual({ tags: [] });
    await expect(
      readJson(endpoint, new Response('<html>'), 1024, 'the tags of acme/app'),
    ).rejects.toThrow(
      'registry.example returned the tags of acme/app that is not JSON',
    );
  });

  it('streams a body, and fails the stream with a registry error when the connection breaks', async () => {
    const read = async (stream: Readable) => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      return Buffer.concat(chunks).toString();
    };
    expect(
      await read(bodyStream(endpoint, chunked(['a', 'b']), 'a blob')),
    ).toBe('ab');
    expect(await read(bodyStream(endpoint, new Response(null), 'a blob'))).toBe(
      '',
    );
    await expect(
      read(
        bodyStream(endpoint, chunked(['a'], reset()), 'the blob acme/app@x'),
      ),
    ).rejects.toThrow(
      'registry.example closed the connection while sending the blob acme/app@x',
    );
  });

  it('aborts a body that goes silent for longer than the time limit, and only then', async () => {
    const passing = new AbortController();
    expect(
      await withIdleTimeout(new Response('abc'), passing, 1000).text(),
    ).toBe('abc');
    expect(passing.signal.aborted).toBe(false);

    const silent = new AbortController();
    const response = withIdleTimeout(
      new Response(
        new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) }),
      ),
      silent,
      50,
    );
    await new Promise(resolve =>
      silent.signal.addEventListener('abort', resolve),
    );
    expect((silent.signal.reason as Error).name).toBe('TimeoutError');
    await response.body?.cancel();
  });
});
