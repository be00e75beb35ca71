import http from 'node:http';
import { Readable } from 'node:stream';
import { RefusedAddressError } from './addressPolicy';
import { requestForeign, uploadStream } from './nodeHttp';

// A loopback server that records what it was sent and answers as each test says.
describe('node:http exchanges', () => {
  let server: http.Server;
  let url: string;
  const seen: Array<{ method?: string; authorization?: string; body: string }> =
    [];
  let answer: (res: http.ServerResponse) => void;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', chunk => chunks.push(chunk));
      req.on('end', () => {
        seen.push({
          method: req.method,
          authorization: req.headers.authorization,
          body: Buffer.concat(chunks).toString(),
        });
        answer(res);
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  beforeEach(() => {
    seen.length = 0;
    answer = res => res.writeHead(201, { location: '/done' }).end('stored');
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  it('streams an upload with the authorization, and answers with a web Response', async () => {
    const response = await uploadStream(
      new URL(`${url}/upload`),
      {
        method: 'PUT',
        body: Readable.from([Buffer.from('ab'), Buffer.from('cd')]),
      },
      'Bearer t',
      1000,
    );
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/done');
    expect(await response.text()).toBe('stored');
    expect(seen).toEqual([
      { method: 'PUT', authorization: 'Bearer t', body: 'abcd' },
    ]);
  });

  it('fails an upload with the error of a source that breaks', async () => {
    const source = new Readable({ read() {} });
    source.push(Buffer.from('partial'));
    setTimeout(() => source.destroy(new Error('digest mismatch')), 20);
    await expect(
      uploadStream(
        new URL(`${url}/upload`),
        { method: 'PUT', body: source },
        undefined,
        1000,
      ),
    ).rejects.toThrow('digest mismatch');
  });

  it('gives up on an upload nobody answers within the time limit', async () => {
    answer = () => undefined;
    const error = await uploadStream(
      new URL(`${url}/upload`),
      { method: 'PUT', body: Readable.from([Buffer.from('x')]) },
      undefined,
      100,
    ).catch(e => e);
    expect(error.name).toBe('TimeoutError');
  });

  it('sends a download to a trusted host without credentials', async () => {
    answer = res => res.writeHead(200).end('layer');
    const response = await requestForeign(new URL(`${url}/blob`), {
      method: 'GET',
      headers: { authorization: 'Bearer t', accept: '*/*' },
      timeoutMs: 1000,
      trusted: true,
    });
    expect(await response.text()).toBe('layer');
    expect(seen).toEqual([
      { method: 'GET', authorization: undefined, body: '' },
    ]);
  });

  it('refuses an untrusted host on a loopback address before connecting', async () => {
    await expect(
      requestForeign(new URL(`${url}/blob`), {
        method: 'GET',
        timeoutMs: 1000,
        trusted: false,
      }),
    ).rejects.toBeInstanceOf(RefusedAddressError);
    expect(seen).toEqual([]);
  });

  it('takes a status out of range as an error, not a crash', async () => {
    answer = res => res.writeHead(600).end();
    await expect(
      requestForeign(new URL(`${url}/blob`), {
        method: 'GET',
        timeoutMs: 1000,
        trusted: true,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_STATUS' });
  });
});
