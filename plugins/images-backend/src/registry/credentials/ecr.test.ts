// Amazon ECR cannot run here, so the real AWS SDK client (@aws-sdk/client-ecr) is pointed at a loopback server
// that replays ECR's documented responses:
// - GetAuthorizationToken's example response (content type application/x-amz-json-1.1, `authorizationData` with a
//   base64 `AWS:<password>` token, `expiresAt` in epoch seconds, `proxyEndpoint`):
//   https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetAuthorizationToken.html
// - the common error AccessDeniedException (HTTP 400, JSON body with `__type`):
//   https://docs.aws.amazon.com/AmazonECR/latest/APIReference/CommonErrors.html
import { RegistryError } from '../errors';
import {
  LoopbackServer,
  startLoopbackServer,
} from './__testUtils__/loopbackServer';
import { EcrCredentialProvider, parseEcrHost } from './ecr';

const HOST = '012345678910.dkr.ecr.eu-west-3.amazonaws.com';
// AWS's documented example key pair.
const ACCESS_KEY_ID = 'test-access-key-id';
const SECRET_ACCESS_KEY = 'test-secret-access-key-FAKESECRET';
const SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLESESSIONTOKENvalue1234567890';

function tokenResponse(password: string, expiresAtSeconds: number) {
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: {
      authorizationData: [
        {
          authorizationToken: Buffer.from(`AWS:${password}`).toString('base64'),
          expiresAt: expiresAtSeconds,
          proxyEndpoint: `https://${HOST}`,
        },
      ],
    },
  };
}

describe('EcrCredentialProvider', () => {
  let server: LoopbackServer;

  beforeEach(async () => {
    server = await startLoopbackServer();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await server.close();
  });

  const provider = (
    options: Partial<
      ConstructorParameters<typeof EcrCredentialProvider>[0]
    > = {},
  ) =>
    new EcrCredentialProvider({
      host: HOST,
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRET_ACCESS_KEY,
      sessionToken: SESSION_TOKEN,
      ...options,
      clientOptions: {
        endpoint: server.url,
        maxAttempts: 1,
        ...options.clientOptions,
      },
    });

  it('exchanges the AWS keys for the 12-hour ECR password through GetAuthorizationToken', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 12 * 3600;
    let password = 'eyJwYXlsb2FkIjoiZWNyLXBhc3N3b3JkLW9uZSJ9';
    server.reply(() => tokenResponse(password, expiresAt + 0.809));

    const ecr = provider();
    await expect(ecr.getCredentials()).resolves.toEqual({
      username: 'AWS',
      password: 'eyJwYXlsb2FkIjoiZWNyLXBhc3N3b3JkLW9uZSJ9',
      expiresAt: expiresAt * 1000 + 809,
    });

    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.headers['x-amz-target']).toBe(
      'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
    );
    expect(request.headers['content-type']).toBe('application/x-amz-json-1.1');
    // Signed with the static key, for the region read from the host.
    expect(request.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/\\d{8}/eu-west-3/ecr/aws4_request`,
      ),
    );
    expect(request.headers['x-amz-security-token']).toBe(SESSION_TOKEN);
    expect(JSON.parse(request.body)).toEqual({});

    // Cached: a second call, and concurrent calls, make no further request.
    password = 'second-password';
    await ecr.getCredentials();
    await Promise.all([ecr.getCredentials(), ecr.getCredentials()]);
    expect(server.requests).toHaveLength(1);

    // invalidate() (the registry refused the password) forces a new exchange.
    ecr.invalidate();
    await expect(ecr.getCredentials()).resolves.toMatchObject({
      password: 'second-password',
    });
    expect(server.requests).toHaveLength(2);
  });

  it("uses the AWS SDK's default credential chain when no keys are configured", async () => {
    server.reply(tokenResponse('pw', Date.now() / 1000 + 3600));
    const saved = { ...process.env };
    process.env.AWS_ACCESS_KEY_ID = 'test-access-key-from-environment';
    process.env.AWS_SECRET_ACCESS_KEY = 'environment-secret-example';
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    try {
      await provider({
        accessKeyId: undefined,
        secretAccessKey: undefined,
        sessionToken: undefined,
      }).getCredentials();
    } finally {
      process.env = saved;
    }
    expect(server.requests[0].headers.authorization).toContain(
      'Credential=test-access-key-from-environment/',
    );
  });

  it('renews the password 5 minutes before it expires', async () => {
    const issued = Date.now();
    const expiresAt = Math.floor(issued / 1000) + 12 * 3600;
    server.reply(tokenResponse('pw', expiresAt));
    const ecr = provider();
    await ecr.getCredentials();

    jest.spyOn(Date, 'now').mockReturnValue(expiresAt * 1000 - 6 * 60_000);
    await ecr.getCredentials();
    expect(server.requests).toHaveLength(1);

    jest.spyOn(Date, 'now').mockReturnValue(expiresAt * 1000 - 4 * 60_000);
    await ecr.getCredentials();
    expect(server.requests).toHaveLength(2);
  });

  it('reads the region from the host, or takes it from configuration', async () => {
    server.reply(tokenResponse('pw', Date.now() / 1000 + 3600));
    await provider({
      host: '012345678910.dkr.ecr.cn-north-1.amazonaws.com.cn',
    }).getCredentials();
    await provider({ region: 'us-west-2' }).getCredentials();
    const regions = server.requests.map(
      request =>
        /\/\d{8}\/([a-z0-9-]+)\/ecr\//.exec(
          String(request.headers.authorization),
        )?.[1],
    );
    expect(regions).toEqual(['cn-north-1', 'us-west-2']);
  });

  it('turns an AccessDeniedException into an error that names the host and the IAM permission, without the secret key', async () => {
    server.reply({
      status: 400,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': 'AccessDeniedException',
      },
      body: {
        __type: 'AccessDeniedException',
        message:
          'User: arn:aws:iam::012345678910:user/berth is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no identity-based policy allows the ecr:GetAuthorizationToken action',
      },
    });
    const ecr = provider();
    const error = await ecr.getCredentials().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RegistryError);
    const registryError = error as RegistryError;
    expect(registryError.kind).toBe('unauthorized');
    expect(registryError.registry).toBe(HOST);
    expect(registryError.message).toContain(HOST);
    expect(registryError.message).toContain('ecr:GetAuthorizationToken');
    expect(registryError.message).toContain('AccessDeniedException');
    for (const text of [
      registryError.message,
      String(registryError),
      JSON.stringify(registryError),
      JSON.stringify(ecr),
      String(ecr),
    ]) {
      expect(text).not.toContain(SECRET_ACCESS_KEY);
      expect(text).not.toContain(SESSION_TOKEN);
    }
    // A failed exchange is not cached.
    server.reply(tokenResponse('pw', Date.now() / 1000 + 3600));
    await expect(ecr.getCredentials()).resolves.toMatchObject({
      password: 'pw',
    });
  });

  it('reports an ECR endpoint that cannot be reached', async () => {
    const offline = await startLoopbackServer();
    await offline.close();
    await expect(
      provider({ clientOptions: { endpoint: offline.url } }).getCredentials(),
    ).rejects.toMatchObject({
      kind: 'unreachable',
      message: expect.stringContaining(
        `could not be reached to get a registry password for ${HOST}`,
      ),
    });
  });

  it('refuses an answer without an authorization token', async () => {
    server.reply({
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: { authorizationData: [] },
    });
    await expect(provider().getCredentials()).rejects.toMatchObject({
      kind: 'invalid-response',
    });
  });

  it('needs a region when the host does not name one, and both halves of a static key', () => {
    expect(() => provider({ host: 'registry.example.com' })).toThrow(
      'images.registries: the AWS region of registry.example.com cannot be read from the host; set credentials.aws.region',
    );
    expect(() => provider({ secretAccessKey: undefined })).toThrow(
      'need both accessKeyId and secretAccessKey',
    );
  });
});

describe('parseEcrHost', () => {
  it.each([
    ['012345678910.dkr.ecr.us-east-1.amazonaws.com', 'us-east-1'],
    ['012345678910.dkr.ecr-fips.us-gov-west-1.amazonaws.com', 'us-gov-west-1'],
    ['012345678910.dkr.ecr.cn-northwest-1.amazonaws.com.cn', 'cn-northwest-1'],
    ['012345678910.dkr-ecr.eu-central-1.on.aws', 'eu-central-1'],
    ['012345678910.dkr-ecr-fips.us-east-2.on.aws', 'us-east-2'],
  ])('reads the region of %s', (host, region) => {
    expect(parseEcrHost(host)).toEqual({ account: '012345678910', region });
  });

  it.each([
    'ghcr.io',
    'public.ecr.aws',
    '12345.dkr.ecr.us-east-1.amazonaws.com',
    '012345678910.dkr.ecr.us-east-1.amazonaws.com.evil.example',
  ])('answers undefined for %s', host => {
    expect(parseEcrHost(host)).toBeUndefined();
  });
});
