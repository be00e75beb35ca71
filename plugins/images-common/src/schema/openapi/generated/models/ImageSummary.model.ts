// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { ImageSource } from './ImageSource.model';

/**
 * What the tab shows about one image (a digest).
 *
 * @public
 */
export type ImageSummary = {
  digest: string;
  mediaType: string;
  /** ISO time the image was built, from its config. */
  created?: string;
  /** Compressed size in bytes; for a multi-platform image, of the largest platform. */
  size?: number;
  /** `linux/amd64`, `linux/arm64/v8`; attestation entries are left out. */
  platforms: string[];
  labels: Record<string, string>;
  source: ImageSource;
  /** Whether a signature was found (cosign tag, referrers). */
  signed: boolean;
  /** Tags on this digest that Berth knows of: releases first, at most 50. */
  tags: string[];
};
