// Azure Container Registry and Microsoft Entra ID cannot run here. The Entra token comes from an injected
// TokenCredential (the @azure/identity interface), and a loopback server replays ACR's documented token exchange:
// - `POST /oauth2/exchange` with form fields grant_type=access_token, service, tenant, access_token, answering
//   `{"refresh_token": "<JWT>"}`: https://azure.github.io/acr/AAD-OAuth.html and
//   https://learn.microsoft.com/rest/api/containerregistry/refresh-tokens/get-from-exchange
// - ACR's error body `{"errors":[{"code":"UNAUTHORIZED","message":...}]}` (the same page's AcrErrors).
import { AccessToken, TokenCredential } from '@azure/identity';
import { RegistryError } from '../errors';
import {
  LoopbackServer,
  startLoopbackServer,
} from './__testUtils__/loopbackServer';
import { AcrCredentialProvider } from './acr';

const HOST = 'berthdemo.azurecr.io';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ENTRA_TOKEN =
  'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2NvbnRhaW5lcnJlZ2lzdHJ5LmF6dXJlLm5ldCJ9.entra-signature';

function jwt(claims: object): string {
  const encode = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(
    claims,
  )}.acr-signature`;
}

function fakeCredential(expiresOnTimestamp = Date.now() + 3600_000) {
  const getToken = jest.fn(
    async (_scopes: string | string[]): Promise<AccessToken> => ({
      token: ENTRA_TOKEN,
      expiresOnTimestamp,
    }),
  );
  const credential: TokenCredential = { getToken };
  return { credential, getToken };
}

describe('AcrCredentialProvider', () => {
  let server: LoopbackServer;

  beforeEach(async () => {
    server = await startLoopbackServer();
  });
  afterEach(() => server.close());

  it('exchanges an Entra token for an ACR refresh token, used as the password of the null GUID user', async () => {
    const exp = Math.floor(Date.now() / 1000) + 3 * 3600;
    let refreshToken = jwt({ exp, grant_type: 'refresh_token' });
    server.reply(() => ({
      status: 200,
      body: { refresh_token: refreshToken },
    }));
    const { credential, getToken } = fakeCredential();
    const acr = new AcrCredentialProvider({
      host: HOST,
      baseUrl: server.url,
      tenantId: TENANT,
      credential,
    });

    await expect(acr.getCredentials()).resolves.toEqual({
      username: '00000000-0000-0000-0000-000000000000',
      password: refreshToken,
      expiresAt: exp * 1000,
    });
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(getToken.mock.calls[0][0]).toBe(
      'https://containerregistry.azure.net/.default',
    );

    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/oauth2/exchange');
    expect(request.headers['content-type']).toBe(
      'application/x-www-form-urlencoded',
    );
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'access_token',
      service: HOST,
      tenant: TENANT,
      access_token: ENTRA_TOKEN,
    });

    // Cached: neither Entra nor the registry is asked again.
    const first = refreshToken;
    refreshToken = jwt({ exp: exp + 60 });
    await Promise.all([acr.getCredentials(), acr.getCredentials()]);
    expect(server.requests).toHaveLength(1);
    expect(getToken).toHaveBeenCalledTimes(1);

    acr.invalidate();
    const renewed = await acr.getCredentials();
    expect(renewed.password).not.toBe(first);
    expect(renewed.expiresAt).toBe((exp + 60) * 1000);
    expect(server.requests).toHaveLength(2);
  });

  it('leaves the tenant out when none is configured, and keeps the path of the base URL', async () => {
    server.reply({ status: 200, body: { refresh_token: jwt({ exp: 1 }) } });
    const acr = new AcrCredentialProvider({
      host: HOST,
      baseUrl: `${server.url}/mirror/`,
      credential: fakeCredential().credential,
    });
    await acr.getCredentials();
    expect(server.requests[0].url).toBe('/mirror/oauth2/exchange');
    expect(new URLSearchParams(server.requests[0].body).has('tenant')).toBe(
      false,
    );
  });

  it("takes the Entra token's expiry when the refresh token is not a readable JWT", async () => {
    server.reply({
      status: 200,
      body: { refresh_token: 'opaque-refresh-token' },
    });
    const entraExpiry = Date.now() + 45 * 60_000;
    const acr = new AcrCredentialProvider({
      host: HOST,
      baseUrl: server.url,
      credential: fakeCredential(entraExpiry).credential,
    });
    await expect(acr.getCredentials()).resolves.toMatchObject({
      password: 'opaque-refresh-token',
      expiresAt: entraExpiry,
    });
  });

  it('turns a refused exchange into a clear error without the Entra token', async () => {
    server.reply({
      status: 401,
      body: {
        errors: [
          {
            code: 'UNAUTHORIZED',
            message: `authentication required, token ${ENTRA_TOKEN} is not valid for this registry`,
          },
        ],
      },
    });
    const acr = new AcrCredentialProvider({
      host: HOST,
      baseUrl: server.url,
      credential: fakeCredential().credential,
    });
    const error = await acr.getCredentials().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RegistryError);
    const registryError = error as RegistryError;
    expect(registryError.kind).toBe('unauthorized');
    expect(registryError.message).toContain(
      `${HOST} refused the Microsoft Entra token at the token exchange at /oauth2/exchange (HTTP 401: UNAUTHORIZED: authentication required`,
    );
    expect(registryError.message).toContain('AcrPull');
    for (const text of [
      registryError.message,
      String(registryError),
      JSON.stringify(registryError),
      JSON.stringify(acr),
      String(acr),
    ]) {
      expect(text).not.toContain(ENTRA_TOKEN);
      expect(text).not.toContain('entra-signature');
    }
  });

  it('reports an Entra failure without the client secret', async () => {
    const secret = 'Qx8Q~berth-test-client-secret-value';
    const credential: TokenCredential = {
      getToken: async () => {
        throw Object.assign(
          new Error(
            `AADSTS7000215: Invalid client secret provided (${secret}).`,
          ),
          { name: 'AuthenticationError' },
        );
      },
    };
    const acr = new AcrCredentialProvider({
      host: HOST,
      baseUrl: server.url,
      tenantId: TENANT,
      clientId: '11111111-2222-3333-4444-555555555555',
      clientSecret: secret,
      credential,
    });
    const error = (await acr.getCredentials().catch(e => e)) as RegistryError;
    expect(error.kind).toBe('unauthorized');
    expect(error.message).toContain(
      `Microsoft Entra ID did not issue a token for ${HOST} (AuthenticationError: AADSTS7000215`,
    );
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(acr)).not.toContain(secret);
    expect(server.requests).toHaveLength(0);
  });

  it('does not follow a redirect with the Entra token', async () => {
    const elsewhere = await startLoopbackServer();
    try {
      server.reply({
        status: 307,
        headers: { location: `${elsewhere.url}/oauth2/exchange` },
      });
      const acr = new AcrCredentialProvider({
        host: HOST,
        baseUrl: server.url,
        credential: fakeCredential().credential,
      });
      await expect(acr.getCredentials()).rejects.toMatchObject({
        kind: 'invalid-response',
      });
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('reports an answer without a refresh token, and a registry that cannot be reached', async () => {
    server.reply({ status: 200, body: { access_token: 'not what was asked' } });
    const acr = new AcrCredentialProvider({
      host: HOST,
      baseUrl: server.url,
      credential: fakeCredential().credential,
    });
    await expect(acr.getCredentials()).rejects.toMatchObject({
      kind: 'invalid-response',
    });

    const offline = await startLoopbackServer();
    await offline.close();
    await expect(
      new AcrCredentialProvider({
        host: HOST,
        baseUrl: offline.url,
        credential: fakeCredential().credential,
      }).getCredentials(),
    ).rejects.toMatchObject({
      kind: 'unreachable',
      message: expect.stringContaining(
        `${HOST} could not be reached to exchange a Microsoft Entra token`,
      ),
    });
  });

  it('needs a tenant and client next to a client secret', () => {
    expect(
      () =>
        new AcrCredentialProvider({
          host: HOST,
          baseUrl: `https://${HOST}`,
          clientSecret: 'secret',
        }),
    ).toThrow(
      `images.registries: the Azure credentials of ${HOST} have a clientSecret, which also needs tenantId and clientId`,
    );
  });
});
