import type { RegistryTransport } from '../RegistryTransport';
import { RegistryRequest } from '../types';

/**
 * What a registry was found to support. Undefined means Berth has not needed to find out yet.
 *
 * @public
 */
export interface RegistryCapabilities {
  referrersApi?: boolean;
  blobMount?: boolean;
  tagDelete?: 'direct' | 'via-manifest' | false;
}

/** What a call of the Distribution API needs from the client that makes it. */
export interface RegistryApi {
  readonly transport: RegistryTransport;
  /** Learned support, shared by every client of the registry (a call may learn more). */
  readonly capabilities: RegistryCapabilities;
  /** Sends a request with the client's scopes and priority. */
  request(request: RegistryRequest): Promise<Response>;
}
