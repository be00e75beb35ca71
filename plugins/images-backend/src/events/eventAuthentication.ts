import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { EventFormat } from './vendorWebhooks';

/** What a registry sent with its events, for checking that it knows the configured secret. */
export interface EventDelivery {
  /** The `Authorization` header. */
  authorization?: string;
  /** GitHub's `X-Hub-Signature-256` header. */
  signature?: string;
  /** The `token` query parameter, for registries that can only be given a URL (Quay, Docker Hub). */
  token?: string;
  /** The body exactly as received: GitHub signs these bytes. */
  rawBody?: Buffer;
}

/** Compared as digests of equal length, so that the time taken says nothing of the secret. */
function same(given: string | Buffer | undefined, expected: string | Buffer) {
  if (given === undefined) return false;
  const digest = (value: string | Buffer) =>
    createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

const bearer = (authorization?: string) =>
  /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];

/** Whether the delivery proves knowledge of `secret` in the way its registry's format has. */
export function isAuthentic(
  format: EventFormat,
  secret: string,
  delivery: EventDelivery,
): boolean {
  switch (format) {
    case 'github': {
      if (!delivery.rawBody || !delivery.signature) return false;
      const expected = `sha256=${createHmac('sha256', secret)
        .update(delivery.rawBody)
        .digest('hex')}`;
      return same(delivery.signature, expected);
    }
    case 'quay':
    case 'dockerhub':
      return (
        same(delivery.token, secret) ||
        same(bearer(delivery.authorization), secret)
      );
    case 'harbor':
      // Harbor sends the policy's "Auth Header" as it was written.
      return (
        same(delivery.authorization, secret) ||
        same(bearer(delivery.authorization), secret)
      );
    default:
      return same(bearer(delivery.authorization), secret);
  }
}

/** How a registry of this format is told to send the secret, for the 401's message. */
export function howToAuthenticate(format: EventFormat): string {
  switch (format) {
    case 'github':
      return 'an X-Hub-Signature-256 made with the webhook secret configured as images.registries[].events.token';
    case 'quay':
    case 'dockerhub':
      return 'the configured images.registries[].events.token as the token query parameter of the webhook URL';
    case 'harbor':
      return 'the configured images.registries[].events.token as the auth header of the webhook policy';
    default:
      return "the registry's configured token (images.registries[].events.token) as a bearer token";
  }
}
