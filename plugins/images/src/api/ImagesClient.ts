import {
  CompoundEntityRef,
  DEFAULT_NAMESPACE,
  parseEntityRef,
} from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  EntityImagesOverview,
  ImageDetails,
  PromoteRequest,
  PromoteResponse,
  PromotionDecisionRequest,
  PromotionInfo,
  RollbackRequest,
  TagPage,
} from '@berth/plugin-images-common';
import {
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
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async getOverview(entityRef: ImagesEntityRef): Promise<EntityImagesOverview> {
    return this.#get(entityRef, 'overview');
  }

  async getTags(
    entityRef: ImagesEntityRef,
    request: TagPageRequest,
  ): Promise<TagPage> {
    const query: Record<string, string | undefined> = {
      image: request.image,
      page: request.page?.toString(),
      pageSize: request.pageSize?.toString(),
      sort: request.sort,
      search: request.search || undefined,
      artifacts:
        request.artifacts === undefined ? undefined : String(request.artifacts),
    };
    return this.#get(entityRef, 'tags', query);
  }

  async getDetails(
    entityRef: ImagesEntityRef,
    request: ImageDetailsRequest,
  ): Promise<ImageDetails> {
    return this.#get(entityRef, 'details', {
      image: request.image,
      digest: request.digest,
    });
  }

  async getPromotions(entityRef: ImagesEntityRef): Promise<PromotionInfo[]> {
    const { items } = await this.#get<{ items: PromotionInfo[] }>(
      entityRef,
      'promotions',
    );
    return items;
  }

  async getPromotion(
    entityRef: ImagesEntityRef,
    id: string,
  ): Promise<PromotionInfo> {
    return this.#get(entityRef, `promotions/${encodeURIComponent(id)}`);
  }

  async promote(
    entityRef: ImagesEntityRef,
    request: PromoteRequest,
  ): Promise<PromoteResponse> {
    return this.#post(entityRef, 'promotions', request);
  }

  async rollback(
    entityRef: ImagesEntityRef,
    request: RollbackRequest,
  ): Promise<PromoteResponse> {
    return this.#post(entityRef, 'rollbacks', request);
  }

  async approvePromotion(
    entityRef: ImagesEntityRef,
    id: string,
    comment?: string,
  ): Promise<PromotionInfo> {
    const body: PromotionDecisionRequest = { comment };
    return this.#post(
      entityRef,
      `promotions/${encodeURIComponent(id)}/approve`,
      body,
    );
  }

  async rejectPromotion(
    entityRef: ImagesEntityRef,
    id: string,
    comment?: string,
  ): Promise<PromotionInfo> {
    const body: PromotionDecisionRequest = { comment };
    return this.#post(
      entityRef,
      `promotions/${encodeURIComponent(id)}/reject`,
      body,
    );
  }

  async #get<T>(
    entityRef: ImagesEntityRef,
    path: string,
    query: Record<string, string | undefined> = {},
  ): Promise<T> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.set(key, value);
    }
    const search = params.toString();
    return this.#fetch(entityRef, `${path}${search ? `?${search}` : ''}`);
  }

  async #post<T>(
    entityRef: ImagesEntityRef,
    path: string,
    body: object,
  ): Promise<T> {
    return this.#fetch(entityRef, path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async #fetch<T>(
    entityRef: ImagesEntityRef,
    path: string,
    init?: RequestInit,
  ): Promise<T> {
    const { kind, namespace, name } = toCompoundRef(entityRef);
    const baseUrl = await this.#discoveryApi.getBaseUrl('images');
    const url = `${baseUrl}/entities/${[
      kind.toLocaleLowerCase('en-US'),
      namespace,
      name,
    ]
      .map(encodeURIComponent)
      .join('/')}/${path}`;
    const response = await this.#fetchApi.fetch(url, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

function toCompoundRef(entityRef: ImagesEntityRef): CompoundEntityRef {
  if (typeof entityRef === 'string') {
    return parseEntityRef(entityRef, { defaultNamespace: DEFAULT_NAMESPACE });
  }
  return {
    kind: entityRef.kind,
    namespace: entityRef.namespace || DEFAULT_NAMESPACE,
    name: entityRef.name,
  };
}
