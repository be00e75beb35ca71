/**
 * Test utilities: a real CNCF Distribution registry on loopback.
 *
 * @packageDocumentation
 */
export { findFreePort, REGISTRY_BINARY, startRegistry } from './testRegistry';
export type { RunningRegistry, StartRegistryOptions } from './testRegistry';
export { pushTestImage } from './testImage';
