import { registryFlavor } from './flavors';
import {
  needsCredentialsError,
  responseError,
  unauthorizedError,
} from './responseErrors';

describe('responseError', () => {
  const endpoint = {
    host: 'registry.example',
    baseUrl: 'https://registry.example',
    flavor: registryFlavor('registry.example'),
  };
  const request = { what: 'the manifest acme/app:v1', repository: 'acme/app' };
  const answer = (
    status: number,
    error?: { code: string; message: string },
    headers: Record<string, string> = {},
  ) =>
    new Response(error ? JSON.stringify({ errors: [error] }) : null, {
      status,
      headers,
    });

  it.each<[string, Response, string, string]>([
    [
      'a 404 as not found, with the OCI code and message',
      answer(404, { code: 'MANIFEST_UNKNOWN', message: 'unknown' }),
      'not-found',
      'registry.example has no the manifest acme/app:v1 (MANIFEST_UNKNOWN: unknown)',
    ],
    [
      'a 403 as forbidden, with the advice of the flavour',
      answer(403, { code: 'DENIED', message: 'no' }),
      'forbidden',
      'registry.example denied access to acme/app (DENIED: no): the configured account lacks the permission (pull to read, push to promote)',
    ],
    [
      'a 403 about an immutable tag as an immutable tag',
      answer(403, { code: 'DENIED', message: 'tag is immutable' }),
      'immutable-tag',
      'registry.example refused to change the manifest acme/app:v1: the tag is immutable there (DENIED: tag is immutable)',
    ],
    [
      'a 409 about a tag as an immutable tag',
      answer(409, { code: 'CONFLICT', message: 'tag exists' }),
      'immutable-tag',
      'registry.example refused to change the manifest acme/app:v1: the tag is immutable there (CONFLICT: tag exists)',
    ],
    [
      'a 405 as unsupported',
      answer(405),
      'unsupported',
      'registry.example does not allow the manifest acme/app:v1',
    ],
    [
      'an UNSUPPORTED code as unsupported',
      answer(400, { code: 'UNSUPPORTED', message: 'no' }),
      'unsupported',
      'registry.example does not support this operation on the manifest acme/app:v1 (UNSUPPORTED: no)',
    ],
    [
      'a 413 as a manifest too large',
      answer(413),
      'invalid-manifest',
      'registry.example refused the manifest acme/app:v1 as too large',
    ],
    [
      'a 400 with a manifest code as an invalid manifest',
      answer(400, { code: 'BLOB_UNKNOWN', message: 'blob unknown' }),
      'invalid-manifest',
      'registry.example refused the manifest acme/app:v1 (BLOB_UNKNOWN: blob unknown)',
    ],
    [
      'a 400 without a code as a failure',
      answer(400),
      'failed',
      'registry.example answered 400 for the manifest acme/app:v1',
    ],
    [
      'a 401 as refused credentials',
      answer(401),
      'unauthorized',
      'registry.example refused the credentials for acme/app: check the user name and password configured for it',
    ],
  ])('reads %s', async (_case, response, kind, message) => {
    const error = await responseError(endpoint, response, request);
    expect(error.kind).toBe(kind);
    expect(error.message).toBe(message);
  });

  it('keeps the OCI code, and counts attempts in a failure', async () => {
    const error = await responseError(
      endpoint,
      answer(502, { code: 'UNAVAILABLE', message: 'later' }),
      request,
      3,
    );
    expect(error.registryCode).toBe('UNAVAILABLE');
    expect(error.message).toBe(
      'registry.example answered 502 for the manifest acme/app:v1 (UNAVAILABLE: later) (gave up after 3 attempts)',
    );
  });

  it('says until when a rate-limited registry asks to wait', async () => {
    const error = await responseError(
      endpoint,
      answer(429, undefined, { 'retry-after': '120' }),
      request,
      2,
    );
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAt!.getTime()).toBeGreaterThan(Date.now() + 110_000);
    expect(error.message).toBe(
      `registry.example is rate limiting Berth's requests for the manifest acme/app:v1; it asks to wait until ${error.retryAt!.toISOString()} (gave up after 2 attempts)`,
    );
  });

  it('names what needs credentials, and what they were refused for', () => {
    const ghcr = { ...endpoint, flavor: registryFlavor('ghcr.io') };
    expect(
      needsCredentialsError(ghcr, { what: 'the registry API' }).message,
    ).toBe(
      'registry.example needs credentials for the registry API: configure them under images.registries (check that the token has read:packages (write:packages to promote))',
    );
    expect(unauthorizedError(ghcr, request).message).toBe(
      'registry.example refused the credentials for acme/app: check that the token has read:packages (write:packages to promote)',
    );
  });
});
