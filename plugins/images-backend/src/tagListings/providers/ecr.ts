import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import type {
  ListedTag,
  TagListingProvider,
  TagListingRequest,
  TagListingResult,
  VendorApi,
} from '@berth/plugin-images-node';
import {
  EcrApi,
  EcrCredentialProvider,
  awsFailure,
  parseEcrHost,
} from '../../registry/credentials/ecr';
import { RegistryError } from '../../registry/errors';
import { timeLimit } from '../../registry/types';
import { RegistryBoundTagListing } from '../RegistryBoundTagListing';
import { count, listPages, text } from './pages';

/** DescribeImages answers at most 1000 images per page (`maxResults` 1 to 1000). */
const PAGE_SIZE = 1000;

/** Error names AWS answers a call over the account's request rate with. */
const THROTTLED = new Set([
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

const ECR = {
  id: 'ecr',
  // DescribeImages states no order.
  newestFirst: false,
  supports: ({ flavor }: { flavor: string }) => flavor === 'ecr',
} as const;

/**
 * Amazon ECR: `DescribeImages` (AWS JSON 1.1, signed with SigV4 through `@aws-sdk/client-ecr`) with
 * `filter.tagStatus=TAGGED`, 1000 images a page by `nextToken`, each with its digest, tags, push time and size.
 * It goes with the registry's AWS credentials (`images.registries[].credentials.aws`: static keys or the SDK's
 * default chain) and region, to `images.registries[].api.url` when set (a VPC endpoint); the IAM permission is
 * `ecr:DescribeImages`. Without AWS credentials the registry is listed through the Distribution API.
 */
export const ecrTagListing: RegistryBoundTagListing = {
  ...ECR,
  forClient(client) {
    const { endpoint } = client;
    if (!(endpoint.credentials instanceof EcrCredentialProvider)) {
      return undefined;
    }
    const ecr = endpoint.credentials.api({
      endpoint: endpoint.api?.url,
      maxAttempts: endpoint.maxAttempts,
    });
    const options = {
      ecr,
      host: client.host,
      // The account the host names; DescribeImages assumes the credentials' own account without it.
      registryId: parseEcrHost(client.host)?.account,
      timeoutMs: timeLimit(endpoint),
    };
    const bound: TagListingProvider = {
      ...ECR,
      listTags: (api, request) => describeImages(api, request, options),
    };
    return bound;
  },
  async listTags(api) {
    // TagListings binds this provider to the registry's client first; a VendorApi lends no AWS credentials.
    throw new RegistryError(
      'unsupported',
      api.host,
      `Amazon ECR's DescribeImages lists ${api.host} only with the registry's AWS credentials`,
    );
  },
};

async function describeImages(
  api: VendorApi,
  request: TagListingRequest,
  options: {
    ecr: EcrApi;
    host: string;
    registryId?: string;
    timeoutMs: number;
  },
): Promise<TagListingResult> {
  const { ecr, host, registryId, timeoutMs } = options;
  const { repository } = request;
  const what = `the images of ${repository}`;
  // The first page has no token; an empty string stands for it as a cursor.
  return listPages<string>(api, request, {
    first: '',
    async fetch(token) {
      let output: unknown;
      try {
        output = await ecr.client.send(
          new DescribeImagesCommand({
            repositoryName: repository,
            registryId,
            filter: { tagStatus: 'TAGGED' },
            maxResults: PAGE_SIZE,
            nextToken: token || undefined,
          }),
          { abortSignal: AbortSignal.timeout(timeoutMs) },
        );
      } catch (error) {
        throw listingError(error, { api, ecr, host, repository, what });
      }
      const { imageDetails, nextToken } = (output ?? {}) as {
        imageDetails?: unknown;
        nextToken?: unknown;
      };
      if (!Array.isArray(imageDetails)) throw api.invalidResponse(what);
      return {
        tags: imageDetails.flatMap(listedTags),
        next: text(nextToken),
      };
    },
  });
}

/**
 * One ListedTag per tag of an image: its digest, push time and size (for a manifest list, ECR states the largest
 * platform's). ECR names the manifest's media type but not the platforms, so the media type is left for the
 * manifest to tell.
 */
function listedTags(entry: unknown): ListedTag[] {
  if (typeof entry !== 'object' || entry === null) return [];
  const detail = entry as Record<string, unknown>;
  const tags = Array.isArray(detail.imageTags) ? detail.imageTags : [];
  const digest = text(detail.imageDigest);
  const pushedAt = isoTime(detail.imagePushedAt);
  const size = count(detail.imageSizeInBytes);
  return tags.flatMap((value): ListedTag[] => {
    const tag = text(value);
    return tag ? [{ tag, digest, pushedAt, image: { size } }] : [];
  });
}

/** The SDK reads JSON 1.1 timestamps (epoch seconds) into Dates; anything unreadable is left out. */
function isoTime(value: unknown): string | undefined {
  const time =
    typeof (value as Date | undefined)?.getTime === 'function'
      ? (value as Date).getTime()
      : NaN;
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}

/** A registry error for a failed DescribeImages call, with AWS's text (no secret) and what to do. */
function listingError(
  error: unknown,
  context: {
    api: VendorApi;
    ecr: EcrApi;
    host: string;
    repository: string;
    what: string;
  },
): Error {
  const { api, ecr, host, repository, what } = context;
  if (error instanceof RegistryError) return error;
  const detail = ecr.describeError(error);
  const { kind, name, status } = awsFailure(error);
  const aws = `Amazon ECR (${ecr.region})`;
  if (kind === 'no-credentials') {
    return new RegistryError(
      'unauthorized',
      host,
      `No AWS credentials were found to list ${repository} on ${host} through DescribeImages (${detail}): configure credentials.aws.accessKeyId and secretAccessKey, or provide credentials to the AWS SDK's default chain`,
    );
  }
  if (kind === 'refused') {
    return new RegistryError(
      'unauthorized',
      host,
      `${aws} refused the AWS credentials of ${host} listing ${repository} (${detail}): check that they are valid and not expired`,
    );
  }
  if (kind === 'denied') {
    return new RegistryError(
      'forbidden',
      host,
      `${aws} denied listing ${repository} on ${host} (${detail}): the AWS credentials need the IAM permission ecr:DescribeImages on the repository`,
    );
  }
  if ((name && THROTTLED.has(name)) || status === 429) {
    return new RegistryError(
      'rate-limited',
      host,
      `${aws} throttled DescribeImages for ${repository} on ${host} (${detail}); it is asked again later`,
    );
  }
  if (name === 'RepositoryNotFoundException') {
    return new RegistryError(
      'not-found',
      host,
      `${aws} has no repository ${repository} on ${host} (${detail})`,
    );
  }
  if (kind === 'unreachable') {
    return new RegistryError(
      'unreachable',
      host,
      `${aws} could not be reached to list ${repository} on ${host} (${detail})`,
    );
  }
  // The SDK could not read a 2xx answer (not JSON, or not in DescribeImages' shape).
  if (status !== undefined && status >= 200 && status < 300) {
    return api.invalidResponse(what);
  }
  return new RegistryError(
    'failed',
    host,
    `${aws} failed to list ${repository} on ${host} (${detail})`,
  );
}
