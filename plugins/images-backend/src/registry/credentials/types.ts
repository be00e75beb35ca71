/**
 * A user name and password (or token) for a registry's Basic auth or its token service.
 *
 * @public
 */
export interface RegistryCredentials {
  username: string;
  password: string;
  /** When these credentials stop working (epoch milliseconds); unset for credentials that do not expire. */
  expiresAt?: number;
}

/**
 * Supplies a registry's credentials: static ones from configuration, or short-lived ones exchanged with a
 * cloud provider (ECR, Artifact Registry, ACR). Implementations cache until shortly before expiry.
 *
 * @public
 */
export interface RegistryCredentialProvider {
  /** Credentials to use now. */
  getCredentials(): Promise<RegistryCredentials>;
  /** Drops any cached credentials (the registry refused them), so that the next call exchanges afresh. */
  invalidate?(): void;
}
