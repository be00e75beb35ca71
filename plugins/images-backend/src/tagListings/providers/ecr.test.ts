// Amazon ECR cannot run here: the real AWS SDK client (@aws-sdk/client-ecr), signing with static test keys, is
// pointed at a loopback replay of ECR's AWS JSON 1.1 protocol (`images.registries[].api.url`), which answers in the
// documented shapes:
// - DescribeImages (POST / with `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.DescribeImages`; request
//   `{repositoryName, registryId, filter: {tagStatus}, maxResults (1-1000), nextToken}`; response
//   `{imageDetails: [{registryId, repositoryName, imageDigest, imageTags, imageSizeInBytes, imagePushedAt (epoch
//   seconds), imageManifestMediaType, artifactMediaType}], nextToken}`):
//   https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html and API_ImageDetail.html
// - errors as HTTP 400 with `{"__type": "<name>", "message": "..."}` (RepositoryNotFoundException, and the common
//   AccessDeniedException, UnrecognizedClientException and ThrottlingException):
//   https://docs.aws.amazon.com/AmazonECR/latest/APIReference/CommonErrors.html
import { mockServices } from '@backstage/backend-test-utils';
import {
  startVendorApiReplay,
  VendorApiReplay,
  VendorReplayAnswer,
  VendorReplayRequest,
} from '@berth/plugin-images-backend-test-utils';
import { RegistryClient } from '../../registry/RegistryClient';
import { EcrCredentialProvider } from '../../registry/credentials/ecr';
import { StaticCredentialProvider } from '../../registry/credentials/staticCredentials';
import { TagListings } from '../TagListings';
import { listAll, vendorTestClient } from './__testUtils__/listingHarness';
import { ecrTagListing } from './ecr';

const HOST = '012345678910.dkr.ecr.eu-west-3.amazonaws.com';
const ACCESS_KEY_ID = 'test-access-key-id';
const SECRET_ACCESS_KEY = 'test-secret-access-key-FAKESECRET';
const TARGET = 'AmazonEC2ContainerRegistry_V20150921.DescribeImages';
const PUSHED = 1_780_000_000;

describe('ecrTagListing', () => {
  let ecr: VendorApiReplay;

  beforeAll(async () => {
    ecr = await startVendorApiReplay();
  });
  afterEach(() => ecr.reset());
  afterAll(() => ecr.stop());

  const awsKeys = () =>
    new EcrCredentialProvider({
      host: HOST,
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRET_ACCESS_KEY,
    });

  const client = (
    credentials: RegistryClient['endpoint']['credentials'] = awsKeys(),
    apiUrl = ecr.url,
  ) =>
    vendorTestClient({
      host: HOST,
      flavor: 'ecr',
      credentials,
      api: { url: apiUrl },
    });

  const listings = () =>
    new TagListings({
      logger: mockServices.logger.mock(),
      providers: [ecrTagListing],
    });

  // Image n carries two tags; every tenth image is a manifest list.
  const image = (n: number) => ({
    registryId: '012345678910',
    repositoryName: 'shop/web',
    imageDigest: `sha256:${String(n).padStart(64, '0')}`,
    imageTags: [`build-${n}`, `sha-${n}`],
    imageSizeInBytes: 50_000_000 + n,
    imagePushedAt: PUSHED - n * 60 + 0.5,
    imageManifestMediaType:
      n % 10 === 0
        ? 'application/vnd.oci.image.index.v1+json'
        : 'application/vnd.oci.image.manifest.v1+json',
    artifactMediaType: 'application/vnd.oci.image.config.v1+json',
  });

  const answer = (
    handle: (body: Record<string, unknown>) => VendorReplayAnswer,
  ) =>
    ecr.route('POST', '/', (_url, request) => {
      if (request.headers['x-amz-target'] !== TARGET) {
        return {
          status: 400,
          body: { __type: 'UnknownOperationException' },
        };
      }
      return {
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        ...handle(request.body as Record<string, unknown>),
      };
    });

  // The token is the offset of the next page, as an opaque string.
  const serveImages = (total: number) =>
    answer(body => {
      const start = body.nextToken ? Number(atob(String(body.nextToken))) : 0;
      const size = Number(body.maxResults);
      const end = Math.min(total, start + size);
      return {
        body: {
          imageDetails: Array.from({ length: end - start }, (_, i) =>
            image(start + i),
          ),
          ...(end < total && { nextToken: btoa(String(end)) }),
        },
      };
    });

  const awsError = (status: number, type: string, message: string) =>
    answer(() => ({
      status,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': type,
      },
      body: { __type: type, message },
    }));

  const list = async (
    registry: RegistryClient = client(),
    options: { limit?: number; stop?: boolean } = {},
  ) => {
    const vendor = listings().forRegistry(registry);
    if (!vendor) throw new Error('ECR is not listed through DescribeImages');
    const { pages, result } = await listAll(vendor.provider, vendor.api, {
      repository: 'shop/web',
      limit: options.limit,
      stopAfterFirstPage: options.stop,
    });
    return { pages, result, provider: vendor.provider };
  };

  const bodies = () => ecr.requests.map(r => r.body);

  it('lists every page by nextToken, one request per 1000 images, with digests, sizes and push times', async () => {
    serveImages(2_500);
    const { pages, result, provider } = await list();
    expect(provider).toMatchObject({ id: 'ecr', newestFirst: false });
    expect(result).toEqual({
      truncated: false,
      stoppedEarly: false,
      requests: 3,
    });
    // One ListedTag per tag: two per image.
    expect(pages.map(p => p.length)).toEqual([2000, 2000, 1000]);
    expect(pages[0].slice(0, 2)).toEqual([
      {
        tag: 'build-0',
        digest: `sha256:${'0'.repeat(64)}`,
        pushedAt: new Date(PUSHED * 1000 + 500).toISOString(),
        image: { size: 50_000_000 },
      },
      {
        tag: 'sha-0',
        digest: `sha256:${'0'.repeat(64)}`,
        pushedAt: new Date(PUSHED * 1000 + 500).toISOString(),
        image: { size: 50_000_000 },
      },
    ]);
    // ECR names the media type but not the platforms: the manifest still tells those.
    expect(pages.flat().some(t => t.image?.mediaType)).toBe(false);
    const request = {
      repositoryName: 'shop/web',
      registryId: '012345678910',
      filter: { tagStatus: 'TAGGED' },
      maxResults: 1000,
    };
    expect(bodies()).toEqual([
      request,
      { ...request, nextToken: btoa('1000') },
      { ...request, nextToken: btoa('2000') },
    ]);
    for (const sent of ecr.requests) {
      expect(sent.method).toBe('POST');
      expect(sent.path).toBe('/');
      expect(sent.headers['x-amz-target']).toBe(TARGET);
      expect(sent.headers['content-type']).toBe('application/x-amz-json-1.1');
    }
  });

  it('signs with the configured AWS keys for the region of the host, never sending the secret', async () => {
    serveImages(3);
    await list();
    const sent: VendorReplayRequest = ecr.requests[0];
    expect(sent.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/\\d{8}/eu-west-3/ecr/aws4_request, SignedHeaders=[^,]*x-amz-target[^,]*, Signature=[0-9a-f]{64}$`,
      ),
    );
    expect(JSON.stringify(sent)).not.toContain(SECRET_ACCESS_KEY);
  });

  it('leaves a registry without AWS credentials to the Distribution API', () => {
    const anonymous = new RegistryClient({
      host: HOST,
      baseUrl: `https://${HOST}`,
      api: { url: ecr.url },
    });
    expect(anonymous.flavor.name).toBe('ecr');
    expect(listings().forRegistry(anonymous)).toBeUndefined();
    expect(
      listings().forRegistry(
        client(
          new StaticCredentialProvider({ username: 'AWS', password: 'x' }),
        ),
      ),
    ).toBeUndefined();
  });

  it('stops at the limit and says the listing is truncated', async () => {
    serveImages(2_500);
    const { pages, result } = await list(client(), { limit: 2_500 });
    expect(result).toEqual({
      truncated: true,
      stoppedEarly: false,
      requests: 2,
    });
    expect(pages.flat()).toHaveLength(2_500);
    expect(pages.flat().at(-1)?.tag).toBe('sha-1249');
  });

  it('stops when the listing knows the rest', async () => {
    serveImages(2_500);
    const { result } = await list(client(), { stop: true });
    expect(result).toEqual({
      truncated: false,
      stoppedEarly: true,
      requests: 1,
    });
    expect(ecr.requests).toHaveLength(1);
  });

  it('says the credentials lack ecr:DescribeImages, or were refused, without leaking the secret key', async () => {
    awsError(
      400,
      'AccessDeniedException',
      `User: arn:aws:iam::012345678910:user/ci is not authorized to perform: ecr:DescribeImages on resource: arn:aws:ecr:eu-west-3:012345678910:repository/shop/web (${SECRET_ACCESS_KEY})`,
    );
    const denied = await list().catch(error => error);
    expect(denied).toMatchObject({
      kind: 'forbidden',
      registry: HOST,
      message: expect.stringContaining('ecr:DescribeImages'),
    });
    expect(denied.message).toContain('AccessDeniedException');
    expect(denied.message).not.toContain(SECRET_ACCESS_KEY);

    awsError(
      400,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
    await expect(list()).rejects.toMatchObject({
      kind: 'unauthorized',
      message: expect.stringContaining('refused the AWS credentials'),
    });
  });

  it('says DescribeImages was throttled, and a repository ECR does not have', async () => {
    awsError(400, 'ThrottlingException', 'Rate exceeded');
    await expect(list()).rejects.toMatchObject({
      kind: 'rate-limited',
      message: expect.stringContaining('throttled'),
    });
    // Once only: the registry's maxAttempts (1 here) bounds the SDK's retries.
    expect(ecr.requests).toHaveLength(1);

    awsError(
      400,
      'RepositoryNotFoundException',
      "The repository with name 'shop/web' does not exist in the registry with id '012345678910'",
    );
    await expect(list()).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('says ECR could not be reached when nothing answers at the API endpoint', async () => {
    const closed = await startVendorApiReplay();
    await closed.stop();
    await expect(list(client(awsKeys(), closed.url))).rejects.toMatchObject({
      kind: 'unreachable',
      message: expect.stringContaining('could not be reached'),
    });
  });

  it('refuses an answer in another shape, and a paging loop', async () => {
    answer(() => ({ body: { images: [] } }));
    await expect(list()).rejects.toMatchObject({
      kind: 'invalid-response',
    });
    answer(() => ({ body: { imageDetails: 'all of them' } }));
    await expect(list()).rejects.toMatchObject({
      kind: 'invalid-response',
    });

    // Entries without a usable tag are skipped; a token that comes back again is a loop.
    answer(() => ({
      body: {
        imageDetails: [image(1), { imageDigest: 'sha256:x' }, 42, null],
        nextToken: 'same',
      },
    }));
    await expect(list()).rejects.toMatchObject({
      kind: 'invalid-response',
      message: expect.stringContaining('loop'),
    });
  });
});
