import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { MAX_JSON_BYTES } from '../bodies';
import { RegistryError } from '../errors';
import { pullScope, pushScope } from '../scopes';
import { checkReference, repositoryPath, sha256Digest } from './references';
import { RegistryApi } from './RegistryApi';

/** `/v2/<name>/blobs/<digest>`, refusing anything that is not a digest before a request is made. */
function blobPath(api: RegistryApi, repository: string, digest: string) {
  return `/v2/${repositoryPath(repository)}/blobs/${checkReference(
    api.transport.host,
    digest,
  )}`;
}

/** The upload session a POST opened, which must be on the registry's own origin. */
function uploadLocation(
  api: RegistryApi,
  response: Response,
  what: string,
): string {
  const { host, origin, endpoint } = api.transport;
  const location = response.headers.get('location');
  if (!location) {
    throw new RegistryError(
      'invalid-response',
      host,
      `${host} opened ${what} without a Location`,
    );
  }
  const url = new URL(location, `${endpoint.baseUrl}/`);
  if (url.origin !== origin) {
    throw new RegistryError(
      'refused-host',
      host,
      `${host} sent ${what} to another host (${url.host}); Berth only talks to configured registries`,
    );
  }
  return url.href;
}

/** Reads a small blob (a config, typically) by digest, verifying it. */
export async function getBlob(
  api: RegistryApi,
  repository: string,
  digest: string,
  maxBytes = MAX_JSON_BYTES,
): Promise<Buffer> {
  const what = `the blob ${repository}@${digest}`;
  const response = await api.request({
    method: 'GET',
    path: blobPath(api, repository, digest),
    what,
    repository,
    scopes: [pullScope(repository)],
    followForeignRedirects: true,
  });
  const bytes = await api.transport.readBody(response, maxBytes, what);
  if (sha256Digest(bytes) !== digest) {
    const host = api.transport.host;
    throw new RegistryError(
      'invalid-response',
      host,
      `${host} returned ${what} with the wrong content`,
    );
  }
  return bytes;
}

/**
 * Streams a blob. The stream fails at its end if the bytes do not match the digest, so a consumer that
 * forwards it (a copy to another registry) never completes with corrupt content.
 */
export async function getBlobStream(
  api: RegistryApi,
  repository: string,
  digest: string,
): Promise<{ size: number; stream: Readable }> {
  const what = `the blob ${repository}@${digest}`;
  const response = await api.request({
    method: 'GET',
    path: blobPath(api, repository, digest),
    what,
    repository,
    scopes: [pullScope(repository)],
    followForeignRedirects: true,
    streamed: true,
  });
  const size = Number(response.headers.get('content-length') ?? -1);
  const hash = createHash('sha256');
  const host = api.transport.host;
  const verify = new Transform({
    transform(chunk, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      const actual = `sha256:${hash.digest('hex')}`;
      callback(
        actual === digest
          ? null
          : new RegistryError(
              'invalid-response',
              host,
              `${host} sent ${what} with the wrong content`,
            ),
      );
    },
  });
  const body = api.transport.bodyStream(response, what);
  body.on('error', error => verify.destroy(error));
  // Consumers see a failure through the stream they read (iteration, or fetch sending it), which may already
  // have stopped listening when a cut-off connection is noticed: that must not crash the process.
  verify.on('error', () => undefined);
  return { size, stream: body.pipe(verify) };
}

/** True when the repository holds the blob. */
export async function hasBlob(
  api: RegistryApi,
  repository: string,
  digest: string,
): Promise<boolean> {
  const response = await api.request({
    method: 'HEAD',
    path: blobPath(api, repository, digest),
    what: `the blob ${repository}@${digest}`,
    repository,
    scopes: [pullScope(repository)],
    acceptStatuses: [404],
    followForeignRedirects: true,
  });
  return response.status !== 404;
}

/**
 * Asks the registry to link a blob from another repository instead of uploading it. When it does not, the
 * upload session it opened is handed back, to upload the bytes into.
 */
export async function mountBlob(
  api: RegistryApi,
  repository: string,
  digest: string,
  fromRepository: string,
): Promise<{ mounted: true } | { mounted: false; uploadUrl: string }> {
  const what = `a mount of ${digest} from ${fromRepository} into ${repository}`;
  const response = await api.request({
    method: 'POST',
    path: `/v2/${repositoryPath(
      repository,
    )}/blobs/uploads/?mount=${encodeURIComponent(
      digest,
    )}&from=${encodeURIComponent(fromRepository)}`,
    what,
    repository,
    scopes: [pushScope(repository), pullScope(fromRepository)],
    headers: { 'content-length': '0' },
    idempotent: true,
  });
  await response.body?.cancel();
  if (response.status === 201) {
    api.capabilities.blobMount = true;
    return { mounted: true };
  }
  api.capabilities.blobMount ??= false;
  return { mounted: false, uploadUrl: uploadLocation(api, response, what) };
}

/** Uploads a blob unless the repository has it already; returns its descriptor fields. */
export async function pushBlob(
  api: RegistryApi,
  repository: string,
  bytes: Buffer,
): Promise<{ digest: string; size: number; uploaded: boolean }> {
  const digest = sha256Digest(bytes);
  if (await hasBlob(api, repository, digest))
    return { digest, size: bytes.length, uploaded: false };
  await pushBlobStream(api, repository, { digest, size: bytes.length }, bytes);
  return { digest, size: bytes.length, uploaded: true };
}

/**
 * Uploads a blob in one request (POST to open the session, PUT with the bytes), streaming when given a stream.
 * `uploadUrl` reuses a session a failed mount opened.
 */
export async function pushBlobStream(
  api: RegistryApi,
  repository: string,
  blob: { digest: string; size: number },
  body: Buffer | Readable,
  uploadUrl?: string,
): Promise<void> {
  const what = `an upload of ${blob.digest} to ${repository}`;
  let location = uploadUrl;
  if (!location) {
    const started = await api.request({
      method: 'POST',
      path: `/v2/${repositoryPath(repository)}/blobs/uploads/`,
      what,
      repository,
      scopes: [pushScope(repository)],
      headers: { 'content-length': '0' },
      idempotent: true,
    });
    await started.body?.cancel();
    location = uploadLocation(api, started, what);
  }
  const url = new URL(location);
  url.searchParams.set('digest', blob.digest);
  const response = await api.request({
    method: 'PUT',
    path: url.href,
    what,
    repository,
    scopes: [pushScope(repository)],
    body,
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(blob.size),
    },
    // A session is spent by a failed PUT: the caller restarts from the POST.
    idempotent: false,
  });
  await response.body?.cancel();
}
