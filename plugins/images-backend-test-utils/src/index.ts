/**
 * Test utilities: a real CNCF Distribution registry on loopback, and replays of the Kubernetes API and of registry
 * products' REST APIs.
 *
 * @packageDocumentation
 */
export {
  findFreePort,
  REGISTRY_BINARY,
  startRegistry,
  writeTagLinks,
} from './testRegistry';
export type { RunningRegistry, StartRegistryOptions } from './testRegistry';
export {
  pushTestImage,
  pushTestImageManifest,
  pushTestIndex,
} from './testImage';
export type { TestImageOptions } from './testImage';
export { startRegistryProxy } from './registryProxy';
export type {
  ProxyFault,
  ProxyMatch,
  ProxyResponseChange,
  ProxyResponseHead,
  ProxyResponseRewrite,
  RecordedRequest,
  RegistryProxy,
  RegistryProxyOptions,
} from './registryProxy';
export { roundTripLevels, sequentialRoundTrips } from './roundTrips';
export { startTokenServer } from './tokenServer';
export type {
  TokenGrant,
  TokenRequest,
  TokenServer,
  TokenServerOptions,
} from './tokenServer';
export { htpasswdAuthConfig } from './htpasswd';
export type { HtpasswdAuthConfig } from './htpasswd';
export { startPostgres } from './testPostgres';
export type { RunningPostgres } from './testPostgres';
export {
  createTestDatabases,
  migrateImagesDatabase,
  TEST_DATABASE_KINDS,
} from './testDatabases';
export type { TestDatabaseKind, TestDatabases } from './testDatabases';
export { startHostileRegistry } from './hostileRegistry';
export type {
  HostileManifestOptions,
  HostileRegistry,
  HostileRequest,
} from './hostileRegistry';
export { serveImage, serveIndex } from './hostileImages';
export type { HostileImage } from './hostileImages';
export { startKubernetesApiReplay } from './kubernetesApiReplay';
export type {
  KubernetesApiReplay,
  KubernetesApiReplayOptions,
  KubernetesReplayRequest,
  ReplayContainer,
  ReplayPod,
} from './kubernetesApiReplay';
export { startVendorApiReplay } from './vendorApiReplay';
export type {
  VendorApiReplay,
  VendorReplayAnswer,
  VendorReplayRequest,
} from './vendorApiReplay';
