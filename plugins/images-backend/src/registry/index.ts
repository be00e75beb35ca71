export { RegistryClient, sha256Digest } from './RegistryClient';
export type {
  FetchedManifest,
  ImageAttachment,
  ImageConfigSummary,
  ManifestHead,
  ManifestWrite,
  RegistryCapabilities,
  TagList,
} from './RegistryClient';
export { RegistryTransport } from './RegistryTransport';
export type {
  RegistryEndpoint,
  RegistryLogger,
  RegistryRequest,
} from './RegistryTransport';
export type { VendorApiSettings } from './types';
export { RegistryHosts } from './RegistryHosts';
export { RegistryError, isNotFound } from './errors';
export type { RegistryErrorKind } from './errors';
export { registryFlavor, REGISTRY_FLAVOR_NAMES } from './flavors';
export type { RegistryFlavor, RegistryFlavorName } from './flavors';
export { copyImage } from './copyImage';
export { formatPlatform, inspectPlatforms, platformOf } from './inspectImage';
export type { InspectedPlatform } from './inspectImage';
export type { CopyImageRequest, CopyImageResult } from './copyImage';
export {
  MEDIA_TYPES,
  MANIFEST_ACCEPT,
  isIndexMediaType,
  isManifestMediaType,
} from './mediaTypes';
export type { Descriptor, ImageIndex, ImageManifest } from './mediaTypes';
export type {
  RegistryCredentialProvider,
  RegistryCredentials,
} from './credentials/types';
