/**
 * What a registry error may say about things Berth did not write itself: upstream text, network failures. Messages
 * reach users, error bodies and logs, so nothing internal goes in them: no socket addresses, no nested error text,
 * no control characters, nothing long.
 */

/** Longest piece of upstream text quoted in a message. */
export const MAX_SNIPPET_LENGTH = 160;

/** Longest message a RegistryError keeps; anything longer is cut (the message is built from bounded pieces). */
export const MAX_MESSAGE_LENGTH = 1000;

// C0 and C1 controls, and the bidirectional overrides that can make text read differently than it is.
const UNSAFE_CHARACTERS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** Text without control characters, on one line, at most `max` characters (an ellipsis says it was cut). */
export function cleanText(text: string, max: number): string {
  const clean = text
    .replace(UNSAFE_CHARACTERS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1).trimEnd()}…` : clean;
}

/** A short, sanitized piece of upstream text (an OCI error message, a content type) for a message. */
export function snippet(value: unknown, max = MAX_SNIPPET_LENGTH): string {
  return typeof value === 'string' ? cleanText(value, max) : '';
}

/** An OCI error code (`MANIFEST_UNKNOWN`, `DENIED`) when the upstream one looks like one; undefined otherwise. */
export function registryCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(value)
    ? value
    : undefined;
}

/** An error that says a time limit passed. */
export function timeoutError(ms: number): Error {
  const error = new Error(`no answer within ${ms / 1000} s`);
  error.name = 'TimeoutError';
  return error;
}

const PHRASE_BY_CODE: Record<string, string> = {
  ECONNRESET: 'closed the connection',
  UND_ERR_SOCKET: 'closed the connection',
  EPIPE: 'closed the connection',
  ECONNREFUSED: 'refused the connection',
  ENOTFOUND: 'could not be found in DNS',
  EAI_AGAIN: 'could not be found in DNS',
  ETIMEDOUT: 'did not accept the connection in time',
  UND_ERR_CONNECT_TIMEOUT: 'did not accept the connection in time',
  EHOSTUNREACH: 'could not be reached (no route to the host)',
  ENETUNREACH: 'could not be reached (no route to the network)',
  CERT_HAS_EXPIRED: 'presented an expired TLS certificate',
  DEPTH_ZERO_SELF_SIGNED_CERT:
    'presented a self-signed TLS certificate that Berth does not trust',
  SELF_SIGNED_CERT_IN_CHAIN:
    'presented a TLS certificate from an authority Berth does not trust',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'presented a TLS certificate Berth could not verify',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    'presented a TLS certificate from an authority Berth does not trust',
  ERR_TLS_CERT_ALTNAME_INVALID:
    'presented a TLS certificate issued for another name',
  EPROTO: 'failed the TLS handshake',
};

/** The errors inside an error: its causes, and the attempts of an AggregateError (one per address tried). */
function* errorChain(error: unknown): Generator<Record<string, unknown>> {
  const queue: unknown[] = [error];
  const seen = new Set<unknown>();
  while (queue.length > 0 && seen.size < 20) {
    const current = queue.shift();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    yield current as Record<string, unknown>;
    queue.push((current as { cause?: unknown }).cause);
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) queue.push(...errors);
  }
}

/**
 * What went wrong on the network, in words that follow the registry's name ("ghcr.io refused the connection"). Built
 * from the error's code only: Node's own text carries socket addresses (`connect ECONNREFUSED 127.0.0.1:5500`).
 */
export function describeNetworkError(
  error: unknown,
  timeoutMs: number,
): string {
  let code: string | undefined;
  for (const link of errorChain(error)) {
    if (link.name === 'TimeoutError') {
      return `did not answer within ${timeoutMs / 1000} s`;
    }
    if (!code && typeof link.code === 'string' && link.code in PHRASE_BY_CODE)
      code = link.code;
  }
  if (code) return PHRASE_BY_CODE[code];
  const other = [...errorChain(error)]
    .map(link => link.code)
    .find(
      value =>
        typeof value === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(value),
    );
  return `could not be reached${other ? ` (${other})` : ''}`;
}

/** `4 MiB`, `64 KiB`. */
export function formatLimit(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${bytes / 1024 / 1024} MiB`
    : `${bytes / 1024} KiB`;
}
