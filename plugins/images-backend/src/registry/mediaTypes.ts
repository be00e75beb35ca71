/**
 * Manifest media types Berth reads and writes (OCI Image Spec and Docker Registry v2 schema 2).
 *
 * @public
 */
export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList:
    'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

/** Every manifest type, so that a HEAD returns the digest of what is stored rather than a conversion. */
export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerManifestList,
  MEDIA_TYPES.dockerManifest,
].join(', ');

/**
 * OCI descriptor: a reference to content by digest.
 *
 * @public
 */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
  annotations?: Record<string, string>;
  artifactType?: string;
  /** Foreign layers: where to download them instead of the registry (not copied). */
  urls?: string[];
}

/**
 * An image manifest (OCI or Docker schema 2).
 *
 * @public
 */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/**
 * An image index (OCI) or manifest list (Docker).
 *
 * @public
 */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export function isIndexMediaType(mediaType: string): boolean {
  return (
    mediaType === MEDIA_TYPES.ociIndex ||
    mediaType === MEDIA_TYPES.dockerManifestList
  );
}

/** True for the four manifest types Berth reads: OCI image and index, Docker image and manifest list. */
export function isManifestMediaType(mediaType: string): boolean {
  return (
    mediaType === MEDIA_TYPES.ociManifest ||
    mediaType === MEDIA_TYPES.ociIndex ||
    mediaType === MEDIA_TYPES.dockerManifest ||
    mediaType === MEDIA_TYPES.dockerManifestList
  );
}
