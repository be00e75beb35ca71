// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { AttachmentInfo } from './AttachmentInfo.model';
import type { PlatformDetails } from './PlatformDetails.model';

/**
 * `GET /entities/{kind}/{namespace}/{name}/details?image=&digest=`.
 *
 * @public
 */
export type ImageDetails = {
  image: string;
  digest: string;
  mediaType: string;
  tags: string[];
  /** `docker pull ghcr.io/bxtech/dotca@sha256:…` */
  pullCommand: string;
  platforms: PlatformDetails[];
  attachments: AttachmentInfo[];
  /** The raw manifest, pretty-printed. */
  manifest: string;
};
