import { existsSync } from 'node:fs';
import { RunningRegistry, startRegistry } from './testRegistry';
import { startTokenServer, TokenServer } from './tokenServer';

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function decodeClaims(token: string): any {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

describe.each(['ec', 'rsa'] as const)('startTokenServer (%s key)', keyType => {
  let tokenServer: TokenServer;
  let registry: RunningRegistry;

  beforeAll(async () => {
    tokenServer = await startTokenServer({
      keyType,
      users: { alice: 's3cret' },
    });
    registry = await startRegistry({
      extraConfig: tokenServer.registryAuthConfig,
    });
  });

  afterAll(async () => {
    await registry?.stop();
    await tokenServer?.stop();
  });

  async function token(
    scopes: string[],
    authorization?: string,
  ): Promise<Response> {
    const url = new URL(tokenServer.realm);
    url.searchParams.set('service', tokenServer.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    return fetch(url, {
      headers: authorization ? { authorization } : {},
    });
  }

  it('makes the registry answer with a Bearer challenge naming the realm', async () => {
    const response = await fetch(`${registry.url}/v2/`);
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain(`realm="${tokenServer.realm}"`);
    expect(challenge).toContain(`service="${tokenServer.service}"`);
  });

  it('issues a token the registry accepts for pull and push', async () => {
    const response = await token(
      ['repository:demo/app:pull,push'],
      basic('alice', 's3cret'),
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.access_token).toBe(body.token);
    expect(body.expires_in).toBe(300);
    expect(typeof body.issued_at).toBe('string');
    expect(decodeClaims(body.token)).toMatchObject({
      iss: tokenServer.issuer,
      sub: 'alice',
      aud: tokenServer.service,
      access: [
        { type: 'repository', name: 'demo/app', actions: ['pull', 'push'] },
      ],
    });

    const headers = { authorization: `Bearer ${body.token}` };
    expect((await fetch(`${registry.url}/v2/`, { headers })).status).toBe(200);
    const upload = await fetch(`${registry.url}/v2/demo/app/blobs/uploads/`, {
      method: 'POST',
      headers,
    });
    expect(upload.status).toBe(202);
    expect(tokenServer.requests.at(-1)).toEqual({
      account: 'alice',
      scopes: ['repository:demo/app:pull,push'],
      status: 200,
    });
  });

  it('issues pull-only tokens the registry refuses for push', async () => {
    const response = await token(
      ['repository:demo/app:pull'],
      basic('alice', 's3cret'),
    );
    const { token: pullToken } = await response.json();
    const upload = await fetch(`${registry.url}/v2/demo/app/blobs/uploads/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${pullToken}` },
    });
    expect([401, 403]).toContain(upload.status);
    // The registry lists the actions in no fixed order.
    expect(upload.headers.get('www-authenticate')).toMatch(
      /scope="repository:demo\/app:(pull,push|push,pull)"/,
    );
  });

  it('refuses a wrong password and missing credentials', async () => {
    const wrong = await token(
      ['repository:demo/app:pull'],
      basic('alice', 'wrong'),
    );
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toHaveProperty('errors');
    const anonymous = await token(['repository:demo/app:pull']);
    expect(anonymous.status).toBe(401);
    expect(tokenServer.requests.slice(-2).map(r => r.status)).toEqual([
      401, 401,
    ]);
  });
});

describe('startTokenServer options', () => {
  it('grants anonymous pull when allowed, and follows a custom grant', async () => {
    const tokenServer = await startTokenServer({
      users: { alice: 's3cret' },
      allowAnonymousPull: true,
      expiresInSeconds: 60,
      grant: (account, _type, name, actions) =>
        account === undefined || name.startsWith('readonly/')
          ? actions.filter(action => action === 'pull')
          : actions,
    });
    try {
      const url = new URL(tokenServer.realm);
      url.searchParams.append('scope', 'repository:demo/app:pull,push');
      url.searchParams.append('scope', 'repository:readonly/app:pull,push');
      const anonymous = await (await fetch(url)).json();
      expect(anonymous.expires_in).toBe(60);
      expect(decodeClaims(anonymous.token).access).toEqual([
        { type: 'repository', name: 'demo/app', actions: ['pull'] },
        { type: 'repository', name: 'readonly/app', actions: ['pull'] },
      ]);
      const alice = await (
        await fetch(url, {
          headers: { authorization: basic('alice', 's3cret') },
        })
      ).json();
      expect(decodeClaims(alice.token).access).toEqual([
        { type: 'repository', name: 'demo/app', actions: ['pull', 'push'] },
        { type: 'repository', name: 'readonly/app', actions: ['pull'] },
      ]);
      expect(tokenServer.requests.map(r => r.account)).toEqual([
        undefined,
        'alice',
      ]);
    } finally {
      await tokenServer.stop();
    }
    expect(existsSync(tokenServer.certFile)).toBe(false);
  });
});
