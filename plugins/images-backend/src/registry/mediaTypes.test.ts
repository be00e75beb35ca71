import {
  MANIFEST_ACCEPT,
  MEDIA_TYPES,
  isIndexMediaType,
  isManifestMediaType,
} from './mediaTypes';

describe('media types', () => {
  it('tells indexes from image manifests, OCI and Docker alike', () => {
    expect(isIndexMediaType(MEDIA_TYPES.ociIndex)).toBe(true);
    expect(isIndexMediaType(MEDIA_TYPES.dockerManifestList)).toBe(true);
    expect(isIndexMediaType(MEDIA_TYPES.ociManifest)).toBe(false);
    for (const type of [
      MEDIA_TYPES.ociManifest,
      MEDIA_TYPES.ociIndex,
      MEDIA_TYPES.dockerManifest,
      MEDIA_TYPES.dockerManifestList,
    ]) {
      expect(isManifestMediaType(type)).toBe(true);
      expect(MANIFEST_ACCEPT.split(', ')).toContain(type);
    }
    expect(isManifestMediaType(MEDIA_TYPES.ociConfig)).toBe(false);
    expect(
      isManifestMediaType(
        'application/vnd.docker.distribution.manifest.v1+json',
      ),
    ).toBe(false);
  });
});
