import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  DefaultApiClient,
  EntityImagesOverview,
  entityRouteParams,
  FleetPage,
  HoldInfo,
  InboxItem,
  HoldRequest,
  ImageDetails,
  PromoteRequest,
  PromoteResponse,
  PromotionInfo,
  RollbackRequest,
  TagPage,
  TypedResponse,
} from '@berth/plugin-images-common';
import {
  FleetRequest,
  ImageDetailsRequest,
  ImagesApi,
  ImagesEntityRef,
  TagPageRequest,
} from './ImagesApi';

/**
 * The default {@link ImagesApi}: calls the images backend through the app's `fetchApi`, which adds the user's
 * token.
 *
 * @public
 */
export class ImagesClient implements ImagesApi {
  readonly #api: DefaultApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#api = new DefaultApiClient(options);
  }

  async getApprovalInbox(): Promise<InboxItem[]> {
    return (await body(this.#api.getApprovalInbox({}))).items;
  }

  async getFleet(request: FleetRequest = {}): Promise<FleetPage> {
    return body(this.#api.getFleet({ query: request }));
  }

  async getOverview(entityRef: ImagesEntityRef): Promise<EntityImagesOverview> {
    return body(
      this.#api.getEntityOverview({ path: entityRouteParams(entityRef) }),
    );
  }

  async getTags(
    entityRef: ImagesEntityRef,
    request: TagPageRequest,
  ): Promise<TagPage> {
    const { image, page, pageSize, sort, search, artifacts } = request;
    return body(
      this.#api.getEntityTags({
        path: entityRouteParams(entityRef),
        // An empty search asks for every tag.
        query: {
          image,
          page,
          pageSize,
          sort,
          search: search || undefined,
          artifacts,
        },
      }),
    );
  }

  async getDetails(
    entityRef: ImagesEntityRef,
    request: ImageDetailsRequest,
  ): Promise<ImageDetails> {
    return body(
      this.#api.getImageDetails({
        path: entityRouteParams(entityRef),
        query: { image: request.image, digest: request.digest },
      }),
    );
  }

  async getPromotions(entityRef: ImagesEntityRef): Promise<PromotionInfo[]> {
    const { items } = await body(
      this.#api.getPromotions({ path: entityRouteParams(entityRef) }),
    );
    return items;
  }

  async getPromotion(
    entityRef: ImagesEntityRef,
    id: string,
  ): Promise<PromotionInfo> {
    return body(
      this.#api.getPromotion({ path: { ...entityRouteParams(entityRef), id } }),
    );
  }

  async promote(
    entityRef: ImagesEntityRef,
    request: PromoteRequest,
  ): Promise<PromoteResponse> {
    return body(
      this.#api.promote({ path: entityRouteParams(entityRef), body: request }),
    );
  }

  async rollback(
    entityRef: ImagesEntityRef,
    request: RollbackRequest,
  ): Promise<PromoteResponse> {
    return body(
      this.#api.rollback({ path: entityRouteParams(entityRef), body: request }),
    );
  }

  async approvePromotion(
    entityRef: ImagesEntityRef,
    id: string,
    comment?: string,
  ): Promise<PromotionInfo> {
    return body(
      this.#api.approvePromotion({
        path: { ...entityRouteParams(entityRef), id },
        body: { comment },
      }),
    );
  }

  async holdEnvironment(
    entityRef: ImagesEntityRef,
    request: HoldRequest,
  ): Promise<HoldInfo> {
    return body(
      this.#api.holdEnvironment({
        path: entityRouteParams(entityRef),
        body: request,
      }),
    );
  }

  async releaseEnvironment(
    entityRef: ImagesEntityRef,
    environment: string,
    image?: string,
  ): Promise<HoldInfo> {
    return body(
      this.#api.releaseEnvironment({
        path: { ...entityRouteParams(entityRef), environment },
        query: { image },
      }),
    );
  }

  async rejectPromotion(
    entityRef: ImagesEntityRef,
    id: string,
    comment?: string,
  ): Promise<PromotionInfo> {
    return body(
      this.#api.rejectPromotion({
        path: { ...entityRouteParams(entityRef), id },
        body: { comment },
      }),
    );
  }
}

/** The answer's JSON, or a ResponseError carrying the backend's error. */
async function body<T>(request: Promise<TypedResponse<T>>): Promise<T> {
  const response = await request;
  if (!response.ok) {
    throw await ResponseError.fromResponse(response);
  }
  return response.json();
}
