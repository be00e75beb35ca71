import { RegistryCredentials } from './types';

/** Renew this long before the credentials expire, so that no request starts with a password about to lapse. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** How long to keep credentials whose lifetime the vendor did not state. */
const UNKNOWN_LIFETIME_MS = 5 * 60 * 1000;

/**
 * Keeps exchanged credentials until shortly before they expire, and lets concurrent callers share one exchange
 * instead of each asking the cloud provider (ECR, Google and Entra ID all rate-limit their token endpoints).
 */
export class CredentialCache {
  readonly #exchange: () => Promise<RegistryCredentials>;
  #cached?: { credentials: RegistryCredentials; refreshAt: number };
  #pending?: Promise<RegistryCredentials>;
  /** Bumped by invalidate(), so that an exchange already under way does not refill the cache with old credentials. */
  #generation = 0;

  constructor(exchange: () => Promise<RegistryCredentials>) {
    this.#exchange = exchange;
  }

  async get(): Promise<RegistryCredentials> {
    const cached = this.#cached;
    if (cached && Date.now() < cached.refreshAt) {
      return { ...cached.credentials };
    }
    if (!this.#pending) {
      const generation = this.#generation;
      const pending = this.#exchange()
        .then(credentials => {
          if (generation === this.#generation) {
            this.#cached = {
              credentials,
              refreshAt: refreshTime(credentials.expiresAt),
            };
          }
          return credentials;
        })
        .finally(() => {
          if (this.#pending === pending) this.#pending = undefined;
        });
      this.#pending = pending;
    }
    return { ...(await this.#pending) };
  }

  invalidate(): void {
    this.#generation += 1;
    this.#cached = undefined;
    this.#pending = undefined;
  }
}

/**
 * Five minutes before expiry; for credentials that live less than ten minutes, halfway through their life, so
 * that they are still used at least once.
 */
function refreshTime(expiresAt: number | undefined): number {
  const now = Date.now();
  if (expiresAt === undefined) return now + UNKNOWN_LIFETIME_MS;
  const lifetime = expiresAt - now;
  return expiresAt - Math.min(REFRESH_MARGIN_MS, Math.max(lifetime, 0) / 2);
}
