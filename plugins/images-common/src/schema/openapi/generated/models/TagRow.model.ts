// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { TagInfo } from './TagInfo.model';

/**
 * A row of the tags table: one digest with all its tags. A tag whose digest is not known yet has a row of its
 * own without a digest.
 *
 * @public
 */
export type TagRow = {
  digest?: string;
  tags: TagInfo[];
  created?: string;
  /**
   * When the newest of its tags was pushed (ISO), where the registry product's own API lists it (Quay, Docker
   * Hub, GitHub, DigitalOcean, Harbor, ACR, ECR). Newest first sorts by it, else by `created`.
   */
  pushedAt?: string;
  size?: number;
  platforms?: string[];
  signed?: boolean;
  /** Environments whose tag is on this digest. */
  environments: string[];
  /** Why the digest cannot be described (its manifest or config is malformed); its tags still show. */
  error?: string;
};
