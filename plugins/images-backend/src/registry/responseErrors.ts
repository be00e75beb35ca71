import { RegistryError } from './errors';
import { registryCode, snippet } from './errorText';
import { readBody } from './bodies';
import { rateLimitAnswer } from './httpHeaders';
import { RegistryRequest, ResolvedEndpoint } from './types';

/** What a failed request was about, for its message. */
type Subject = Pick<RegistryRequest, 'what' | 'repository'>;

/** The registry refused the credentials Berth sent. */
export function unauthorizedError(
  endpoint: ResolvedEndpoint,
  request: Subject,
): RegistryError {
  return new RegistryError(
    'unauthorized',
    endpoint.host,
    `${endpoint.host} refused the credentials for ${
      request.repository ?? request.what
    }: ${endpoint.flavor.credentialsHint}`,
  );
}

/** The registry wants credentials and none are configured. */
export function needsCredentialsError(
  endpoint: ResolvedEndpoint,
  request: Subject,
): RegistryError {
  return new RegistryError(
    'unauthorized',
    endpoint.host,
    `${endpoint.host} needs credentials for ${
      request.repository ?? request.what
    }: configure them under images.registries (${
      endpoint.flavor.credentialsHint
    })`,
  );
}

/**
 * Turns an unexpected answer into a typed error with a message that says what to do: by its status, and by the OCI
 * error code of its body when there is one.
 */
export async function responseError(
  endpoint: ResolvedEndpoint,
  response: Response,
  request: Subject,
  attempts = 1,
): Promise<RegistryError> {
  let code: string | undefined;
  let message = '';
  try {
    const text = (
      await readBody(endpoint, response, 64 * 1024, request.what)
    ).toString('utf8');
    const first = (
      JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[] }
    ).errors?.[0];
    // Upstream text: an OCI code when it looks like one, and a short, sanitized message.
    code = registryCode(first?.code);
    message = snippet(first?.message);
  } catch {
    // The error body is optional; the status says enough.
  }
  const detail = code ? ` (${code}${message ? `: ${message}` : ''})` : '';
  const host = endpoint.host;
  const flavor = endpoint.flavor;
  const what = request.what;
  const subject = request.repository ?? what;
  const options = { registryCode: code };
  const immutable = /immutab/i.test(`${code} ${message}`);
  switch (response.status) {
    case 404:
      return new RegistryError(
        'not-found',
        host,
        `${host} has no ${what}${detail}`,
        options,
      );
    case 401:
      return unauthorizedError(endpoint, request);
    case 403:
    case 429: {
      const limited = rateLimitAnswer(response);
      if (limited) {
        const retryAt =
          limited.waitMs === undefined
            ? undefined
            : new Date(Date.now() + limited.waitMs);
        return new RegistryError(
          'rate-limited',
          host,
          `${host} is rate limiting Berth's requests for ${what}${
            retryAt ? `; it asks to wait until ${retryAt.toISOString()}` : ''
          }${attempts > 1 ? ` (gave up after ${attempts} attempts)` : ''}`,
          { ...options, retryAt },
        );
      }
      if (immutable) break;
      return new RegistryError(
        'forbidden',
        host,
        `${host} denied access to ${subject}${detail}: ${flavor.permissionHint}`,
        options,
      );
    }
    case 405:
      return new RegistryError(
        'unsupported',
        host,
        `${host} does not allow ${what}${detail}`,
        options,
      );
    case 413:
      return new RegistryError(
        'invalid-manifest',
        host,
        `${host} refused ${what} as too large${detail}`,
        options,
      );
    default:
      break;
  }
  if (immutable || (response.status === 409 && /tag/i.test(message))) {
    return new RegistryError(
      'immutable-tag',
      host,
      `${host} refused to change ${what}: the tag is immutable there${detail}`,
      options,
    );
  }
  if (code === 'UNSUPPORTED') {
    return new RegistryError(
      'unsupported',
      host,
      `${host} does not support this operation on ${what}${detail}`,
      options,
    );
  }
  if (
    response.status === 400 &&
    code &&
    /^(MANIFEST_|BLOB_UNKNOWN|TAG_INVALID|DIGEST_INVALID|SIZE_INVALID)/.test(
      code,
    )
  ) {
    return new RegistryError(
      'invalid-manifest',
      host,
      `${host} refused ${what}${detail}`,
      options,
    );
  }
  return new RegistryError(
    'failed',
    host,
    `${host} answered ${response.status} for ${what}${detail}${
      attempts > 1 ? ` (gave up after ${attempts} attempts)` : ''
    }`,
    options,
  );
}
