// Google's OAuth token endpoint cannot be used here, so the real google-auth-library signs a service account
// JWT assertion and posts it, and the loopback server replays Google's documented token endpoint responses:
// - success `{"access_token": ..., "expires_in": 3599, "token_type": "Bearer"}` and the `invalid_grant` error:
//   https://developers.google.com/identity/protocols/oauth2/service-account#httprest
// google-auth-library 11 ignores a key file's `token_uri` (its JWT client always posts to
// https://oauth2.googleapis.com/token), so the test hands the library a gaxios transporter whose request
// interceptor sends that one URL to loopback and refuses any other.
import { generateKeyPairSync, createVerify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gaxios } from 'google-auth-library';
import { RegistryError } from '../errors';
import {
  LoopbackServer,
  startLoopbackServer,
} from './__testUtils__/loopbackServer';
import { ArtifactRegistryCredentialProvider } from './artifactRegistry';

const HOST = 'europe-west1-docker.pkg.dev';
const CLIENT_EMAIL = 'berth@berth-test.iam.gserviceaccount.com';
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

const { privateKey: PRIVATE_KEY, publicKey: PUBLIC_KEY } = generateKeyPairSync(
  'rsa',
  {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  },
);

/**
 * A transporter that sends requests for Google's token endpoint to the loopback server instead. It uses Node's
 * fetch: gaxios otherwise loads node-fetch with a dynamic `import()`, which Jest's CommonJS sandbox refuses.
 */
function loopbackTransporter(server: LoopbackServer): gaxios.Gaxios {
  const transporter = new gaxios.Gaxios({ fetchImplementation: fetch });
  transporter.interceptors.request.add({
    resolved: async options => {
      if (String(options.url) === GOOGLE_TOKEN_URL) {
        return { ...options, url: new URL(`${server.url}/token`) };
      }
      throw new Error(`unexpected request to ${String(options.url)}`);
    },
  });
  return transporter;
}

function decodeAssertion(body: string) {
  const form = new URLSearchParams(body);
  const assertion = form.get('assertion') ?? '';
  const [header, payload, signature] = assertion.split('.');
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${header}.${payload}`);
  return {
    grantType: form.get('grant_type'),
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    claims: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
    signedByKey: verifier.verify(PUBLIC_KEY, signature, 'base64url'),
  };
}

describe('ArtifactRegistryCredentialProvider', () => {
  let server: LoopbackServer;
  let dir: string;

  beforeEach(async () => {
    server = await startLoopbackServer();
    dir = mkdtempSync(join(tmpdir(), 'berth-gar-'));
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const provider = (
    options: Partial<
      ConstructorParameters<typeof ArtifactRegistryCredentialProvider>[0]
    > = {},
  ) =>
    new ArtifactRegistryCredentialProvider({
      host: HOST,
      clientOptions: { transporter: loopbackTransporter(server) },
      ...options,
    });

  it('gets an access token for the service account and offers it as the password of oauth2accesstoken', async () => {
    let accessToken = 'ya29.test';
    server.reply(() => ({
      status: 200,
      body: {
        access_token: accessToken,
        expires_in: 3599,
        token_type: 'Bearer',
      },
    }));
    const before = Date.now();
    const gar = provider({
      clientEmail: CLIENT_EMAIL,
      // As pasted into an environment variable, with `\n` escapes.
      privateKey: PRIVATE_KEY.replace(/\n/g, '\\n'),
    });
    const credentials = await gar.getCredentials();
    expect(credentials).toMatchObject({
      username: 'oauth2accesstoken',
      password: 'ya29.test',
    });
    expect(credentials.expiresAt).toBeGreaterThanOrEqual(before + 3599_000);
    expect(credentials.expiresAt).toBeLessThanOrEqual(Date.now() + 3599_000);

    // The request is Google's JWT bearer grant, signed with the configured key.
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    const assertion = decodeAssertion(request.body);
    expect(assertion.grantType).toBe(
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    );
    expect(assertion.header.alg).toBe('RS256');
    expect(assertion.claims).toMatchObject({
      iss: CLIENT_EMAIL,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      aud: GOOGLE_TOKEN_URL,
    });
    expect(assertion.signedByKey).toBe(true);

    // Cached until 5 minutes before expiry; invalidate() asks again.
    accessToken = 'ya29.second';
    await gar.getCredentials();
    expect(server.requests).toHaveLength(1);
    gar.invalidate();
    await expect(gar.getCredentials()).resolves.toMatchObject({
      password: 'ya29.second',
    });
    expect(server.requests).toHaveLength(2);
  });

  it('reads a service account key file, and application default credentials', async () => {
    server.reply({
      status: 200,
      body: {
        access_token: 'ya29.file',
        expires_in: 3599,
        token_type: 'Bearer',
      },
    });
    const keyFile = join(dir, 'key.json');
    writeFileSync(
      keyFile,
      JSON.stringify({
        type: 'service_account',
        project_id: 'berth-test',
        private_key_id: 'abc123',
        private_key: PRIVATE_KEY,
        client_email: CLIENT_EMAIL,
        token_uri: GOOGLE_TOKEN_URL,
      }),
    );
    await expect(provider({ keyFile }).getCredentials()).resolves.toMatchObject(
      { username: 'oauth2accesstoken', password: 'ya29.file' },
    );

    const previous = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    process.env.GOOGLE_APPLICATION_CREDENTIALS = keyFile;
    try {
      await expect(provider().getCredentials()).resolves.toMatchObject({
        password: 'ya29.file',
      });
    } finally {
      if (previous === undefined)
        delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      else process.env.GOOGLE_APPLICATION_CREDENTIALS = previous;
    }
    expect(server.requests).toHaveLength(2);
    expect(decodeAssertion(server.requests[1].body).claims.iss).toBe(
      CLIENT_EMAIL,
    );
  });

  it('explains a refused key without showing it', async () => {
    server.reply({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'Invalid JWT Signature.',
      },
    });
    const gar = provider({
      clientEmail: CLIENT_EMAIL,
      privateKey: PRIVATE_KEY,
    });
    const error = await gar.getCredentials().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RegistryError);
    const registryError = error as RegistryError;
    expect(registryError.kind).toBe('unauthorized');
    expect(registryError.message).toContain(
      `Google did not issue an access token for ${HOST}`,
    );
    expect(registryError.message).toContain('invalid_grant');
    expect(registryError.message).toContain(
      'check the service account key in credentials.google',
    );
    const keyBody = PRIVATE_KEY.split('\n')[1];
    for (const text of [
      registryError.message,
      String(registryError),
      JSON.stringify(registryError),
      JSON.stringify(gar),
      String(gar),
    ]) {
      expect(text).not.toContain(keyBody);
      expect(text).not.toContain('PRIVATE KEY');
    }
  });

  it('refuses a key file that is missing or not a service account key', async () => {
    const missing = join(dir, 'missing.json');
    await expect(
      provider({ keyFile: missing }).getCredentials(),
    ).rejects.toMatchObject({
      kind: 'unauthorized',
      message: expect.stringContaining(
        `cannot read the key file ${missing} (ENOENT)`,
      ),
    });
    const external = join(dir, 'external.json');
    writeFileSync(
      external,
      JSON.stringify({
        type: 'external_account',
        audience: '//iam.googleapis.com/x',
      }),
    );
    await expect(
      provider({ keyFile: external }).getCredentials(),
    ).rejects.toThrow(
      `the key file ${external} is not a service account key (type service_account with client_email and private_key); for other credential types set GOOGLE_APPLICATION_CREDENTIALS instead`,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('explains a private key that is not a key without quoting it', async () => {
    const notAKey =
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC-secret';
    const gar = provider({ clientEmail: CLIENT_EMAIL, privateKey: notAKey });
    const error = (await gar.getCredentials().catch(e => e)) as RegistryError;
    expect(error.kind).toBe('unauthorized');
    expect(error.message).toContain(HOST);
    expect(error.message).not.toContain(notAKey);
    expect(server.requests).toHaveLength(0);
  });

  it('reports a token service that cannot be reached', async () => {
    const offline = await startLoopbackServer();
    await offline.close();
    const gar = provider({
      clientEmail: CLIENT_EMAIL,
      privateKey: PRIVATE_KEY,
      clientOptions: {
        transporter: loopbackTransporter(offline),
      },
    });
    await expect(gar.getCredentials()).rejects.toMatchObject({
      kind: 'unreachable',
    });
  });

  it('needs both halves of a service account key, and only one source', () => {
    expect(() => provider({ clientEmail: CLIENT_EMAIL })).toThrow(
      `images.registries: the Google credentials of ${HOST} need both clientEmail and privateKey, or neither`,
    );
    expect(() =>
      provider({
        clientEmail: CLIENT_EMAIL,
        privateKey: PRIVATE_KEY,
        keyFile: '/k.json',
      }),
    ).toThrow(
      'have both a service account key (clientEmail, privateKey) and a keyFile; keep one',
    );
  });
});
