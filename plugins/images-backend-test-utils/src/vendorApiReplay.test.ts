import { startVendorApiReplay, VendorApiReplay } from './vendorApiReplay';

describe('startVendorApiReplay', () => {
  let replay: VendorApiReplay;
  beforeAll(async () => {
    replay = await startVendorApiReplay();
  });
  afterEach(() => replay.reset());
  afterAll(() => replay.stop());

  it('answers routed requests as told, the later route first, and records what was asked', async () => {
    replay.route('GET', /^\/api\/v1\/repository\/.+\/tag\/$/, url => ({
      body: { page: Number(url.searchParams.get('page')) },
    }));
    replay.route('GET', '/api/v1/repository/acme/web/tag/', () => ({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: 'slow down' },
    }));
    const other = await fetch(
      `${replay.url}/api/v1/repository/acme/api/tag/?page=2`,
    );
    expect(await other.json()).toEqual({ page: 2 });
    const limited = await fetch(
      `${replay.url}/api/v1/repository/acme/web/tag/`,
      {
        headers: { authorization: 'Bearer t' },
      },
    );
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(replay.requests.map(r => r.path)).toEqual([
      '/api/v1/repository/acme/api/tag/?page=2',
      '/api/v1/repository/acme/web/tag/',
    ]);
    expect(replay.requests[1].headers.authorization).toBe('Bearer t');
  });

  it('parses JSON bodies and answers 404 to what is not routed', async () => {
    replay.route('POST', '/v2/auth/token', (_, request) => ({
      body: {
        access_token: `for ${
          (request.body as { identifier: string }).identifier
        }`,
      },
    }));
    const token = await fetch(`${replay.url}/v2/auth/token`, {
      method: 'POST',
      body: JSON.stringify({ identifier: 'acme', secret: 's' }),
    });
    expect(await token.json()).toEqual({ access_token: 'for acme' });
    const missing = await fetch(`${replay.url}/v2/auth/token`);
    expect(missing.status).toBe(404);
  });
});
