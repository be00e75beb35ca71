import { cleanText } from '../errorText';

/** Longest vendor error text quoted in a message (Entra ID's chained-credential errors run to kilobytes). */
const MAX_DETAIL_LENGTH = 400;

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Node's text for a failed socket call: `connect ECONNREFUSED 127.0.0.1:443`, `getaddrinfo ENOTFOUND host`. */
const SYSCALL_ERROR = /\b(?:connect|getaddrinfo|read|write) ([A-Z_]+)\b/;

/**
 * Replaces every occurrence of a secret (and of each long line of a multi-line secret, such as a PEM key) with
 * `***`, so that a vendor's error text can be quoted without leaking what was sent to it.
 */
export function redact(
  text: string,
  secrets: ReadonlyArray<string | undefined>,
): string {
  const parts = new Set<string>();
  for (const secret of secrets) {
    // Too short to find without garbling the text (and too short to be worth hiding).
    if (!secret || secret.length < 6) continue;
    parts.add(secret);
    for (const line of secret.split(/\r?\n|\\n/)) {
      if (line.trim().length >= 16) parts.add(line.trim());
    }
  }
  let result = text;
  for (const part of [...parts].sort((a, b) => b.length - a.length)) {
    result = result.split(part).join('***');
  }
  // Anything shaped like a JWT is a bearer credential whoever issued it.
  return result.replace(
    /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
    '***',
  );
}

/** A short, secret-free `Name: message` for an error thrown by a vendor SDK. */
export function describeError(
  error: unknown,
  secrets: ReadonlyArray<string | undefined>,
): string {
  let text: string;
  // Duck-typed: errors from Node's own modules come from another realm under Jest.
  const { name, message } = (error ?? {}) as {
    name?: unknown;
    message?: unknown;
  };
  if (typeof message === 'string') {
    const prefix =
      typeof name === 'string' && name && name !== 'Error' ? `${name}: ` : '';
    text = `${prefix}${message}`;
    // Wrappers such as gaxios' "Unexpected Gaxios Error" say nothing without their cause.
    const cause = (error as { cause?: { message?: unknown } }).cause?.message;
    if (typeof cause === 'string' && cause && !message.includes(cause)) {
      text += `: ${cause}`;
    }
  } else {
    text = String(error);
  }
  text = redact(withoutAddresses(text), secrets);
  return cleanText(text, MAX_DETAIL_LENGTH + 1);
}

/**
 * Vendor text without the socket addresses Node's errors carry (`connect ECONNREFUSED 10.0.0.5:443`): the code says
 * what happened, the address is internal.
 */
function withoutAddresses(text: string): string {
  return text
    .replace(/\b(connect|getaddrinfo|read|write|bind) ([A-Z_]+) \S+/g, '$1 $2')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '(address)')
    .replace(/\[[0-9a-fA-F:.]+\](?::\d+)?/g, '(address)');
}

/** Whether an error means the service could not be reached at all (refused, reset, DNS, timeout). */
export function isNetworkError(error: unknown): boolean {
  for (
    let current: unknown = error, depth = 0;
    current && typeof current === 'object' && depth < 5;
    current = (current as { cause?: unknown }).cause, depth += 1
  ) {
    const { code, name, message } = current as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
    };
    if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return true;
    if (name === 'TimeoutError' || name === 'AbortError') return true;
    // Some SDKs re-wrap the error and keep only its text (the AWS SDK does for errors from another realm).
    const quoted =
      typeof message === 'string'
        ? SYSCALL_ERROR.exec(message)?.[1]
        : undefined;
    if (quoted && NETWORK_ERROR_CODES.has(quoted)) return true;
  }
  return false;
}
