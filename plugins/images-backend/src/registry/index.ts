export { RegistryClient, sha256Digest } from './RegistryClient';
export type {
  FetchedManifest,
  RegistryEndpoint,
  TagList,
} from './RegistryClient';
export { RegistryHosts } from './RegistryHosts';
export { RegistryError } from './errors';
export type { RegistryErrorKind } from './errors';
export { MEDIA_TYPES, MANIFEST_ACCEPT, isIndexMediaType } from './mediaTypes';
export type { Descriptor, ImageIndex, ImageManifest } from './mediaTypes';
