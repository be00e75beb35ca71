import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  EntityImagesOverview,
  FleetPage,
  GetFleet,
  HoldInfo,
  InboxItem,
  HoldRequest,
  ImageDetails,
  PromoteRequest,
  PromoteResponse,
  PromotionInfo,
  RollbackRequest,
  TagPage,
  TagSort,
} from '@berth/plugin-images-common';

/**
 * The entity whose images are asked for: a compound reference, or a string reference such as
 * `component:default/dotca`.
 *
 * @public
 */
export type ImagesEntityRef = CompoundEntityRef | string;

/**
 * Which page of an image's tags to read.
 *
 * @public
 */
export interface TagPageRequest {
  /** The image repository, as the overview names it: `ghcr.io/bxtech/dotca`. */
  image: string;
  /** 0-based page number. */
  page?: number;
  pageSize?: number;
  sort?: TagSort;
  /** Only tags whose name contains this text. */
  search?: string;
  /** Whether to list signatures, attestations and SBOMs (`sha256-….sig`) as rows too. */
  artifacts?: boolean;
}

/**
 * What the Images page asks of the fleet: the query of `GET /fleet`, as the backend's OpenAPI schema states it.
 *
 * @public
 */
export type FleetRequest = NonNullable<GetFleet['query']>;

/**
 * Which image to describe.
 *
 * @public
 */
export interface ImageDetailsRequest {
  image: string;
  digest: string;
}

/**
 * The images backend (`/api/images`), as the frontend reads it. Every call is made on behalf of the signed-in
 * user; the backend reads the entity's annotations itself and never takes a registry address from the browser.
 *
 * @public
 */
export interface ImagesApi {
  /** Every promotion, across entities, waiting for an approval the user may give, oldest first. */
  getApprovalInbox(): Promise<InboxItem[]>;
  /** Every onboarded entity and image the user may read, against the environments, from the index alone. */
  getFleet(request?: FleetRequest): Promise<FleetPage>;
  /** Each image of the entity and the status of each of its environments. */
  getOverview(entityRef: ImagesEntityRef): Promise<EntityImagesOverview>;
  /** A page of an image's tags, one row per digest. */
  getTags(
    entityRef: ImagesEntityRef,
    request: TagPageRequest,
  ): Promise<TagPage>;
  /** Platforms, config, layers, attachments and manifest of one image. */
  getDetails(
    entityRef: ImagesEntityRef,
    request: ImageDetailsRequest,
  ): Promise<ImageDetails>;
  /** The entity's promotions and rollbacks, newest first, including those waiting for approval. */
  getPromotions(entityRef: ImagesEntityRef): Promise<PromotionInfo[]>;
  /** One promotion or rollback. */
  getPromotion(entityRef: ImagesEntityRef, id: string): Promise<PromotionInfo>;
  /**
   * Moves an environment to an image, or with `dryRun` only says what that would do. A protected environment answers
   * with a promotion waiting for approval.
   */
  promote(
    entityRef: ImagesEntityRef,
    request: PromoteRequest,
  ): Promise<PromoteResponse>;
  /** Moves an environment back to what it ran before (or to `target`); `dryRun` as for {@link ImagesApi.promote}. */
  rollback(
    entityRef: ImagesEntityRef,
    request: RollbackRequest,
  ): Promise<PromoteResponse>;
  /** Approves another user's promotion to a protected environment, which then runs. */
  approvePromotion(
    entityRef: ImagesEntityRef,
    id: string,
    comment?: string,
  ): Promise<PromotionInfo>;
  /** Refuses a promotion waiting for approval; the comment says why. */
  rejectPromotion(
    entityRef: ImagesEntityRef,
    id: string,
    comment?: string,
  ): Promise<PromotionInfo>;
  /** Holds an environment: no promotion enters it until released; the lane says who and why. */
  holdEnvironment(
    entityRef: ImagesEntityRef,
    request: HoldRequest,
  ): Promise<HoldInfo>;
  /** Releases a held environment. */
  releaseEnvironment(
    entityRef: ImagesEntityRef,
    environment: string,
    image?: string,
  ): Promise<HoldInfo>;
}

/**
 * Reference to the {@link ImagesApi}.
 *
 * @public
 */
export const imagesApiRef = createApiRef<ImagesApi>().with({
  id: 'plugin.images.service',
  pluginId: 'images',
});
