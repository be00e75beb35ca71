// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { EntityImagesOverview } from '../models/EntityImagesOverview.model';
import type { FleetPage } from '../models/FleetPage.model';
import type { GetApprovalInbox200Response } from '../models/GetApprovalInbox200Response.model';
import type { GetPromotions200Response } from '../models/GetPromotions200Response.model';
import type { Health } from '../models/Health.model';
import type { HoldInfo } from '../models/HoldInfo.model';
import type { HoldRequest } from '../models/HoldRequest.model';
import type { ImageDetails } from '../models/ImageDetails.model';
import type { PromoteRequest } from '../models/PromoteRequest.model';
import type { PromoteResponse } from '../models/PromoteResponse.model';
import type { PromotionDecisionRequest } from '../models/PromotionDecisionRequest.model';
import type { PromotionInfo } from '../models/PromotionInfo.model';
import type { RegistryEventsAccepted } from '../models/RegistryEventsAccepted.model';
import type { RegistryEventsEnvelope } from '../models/RegistryEventsEnvelope.model';
import type { RollbackRequest } from '../models/RollbackRequest.model';
import type { TagPage } from '../models/TagPage.model';
import type { VerifyRequest } from '../models/VerifyRequest.model';
import type { VerifyResult } from '../models/VerifyResult.model';

/** The plugin whose base URL the discovery API gives: the spec's title. */
const pluginId = 'images';

/**
 * Wraps the Response type to convey a type on the json call.
 *
 * @public
 */
export type TypedResponse<T> = Omit<Response, 'json'> & {
  json: () => Promise<T>;
};

/**
 * Options you can pass into a request for additional information.
 *
 * @public
 */
export interface RequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
}

/**
 * The request of {@link DefaultApiClient.getHealth}.
 *
 * @public
 */
export type GetHealth = {};

/**
 * The request of {@link DefaultApiClient.verify}.
 *
 * @public
 */
export type Verify = {
  body: VerifyRequest;
};

/**
 * The request of {@link DefaultApiClient.postRegistryEvents}.
 *
 * @public
 */
export type PostRegistryEvents = {
  path: {
    /** The registry's host as configured, such as ghcr.io or localhost:5000. */
    registry: string;
  };
  body: RegistryEventsEnvelope;
};

/**
 * The request of {@link DefaultApiClient.postRegistryWebhook}.
 *
 * @public
 */
export type PostRegistryWebhook = {
  path: {
    /** The registry's host as configured, such as ghcr.io or quay.io. */
    registry: string;
  };
  query?: {
    /** The configured secret, for registries that cannot send headers (Quay, Docker Hub). */
    token?: string;
  };
  body: Record<string, unknown>;
};

/**
 * The request of {@link DefaultApiClient.getEntityOverview}.
 *
 * @public
 */
export type GetEntityOverview = {
  path: {
    /** The entity's kind, by the catalog's rules (a letter, then letters and digits; at most 63). */
    kind: string;
    /** The entity's namespace, by the catalog's rules (a DNS label; at most 63). */
    namespace: string;
    /** The entity's name, by the catalog's rules (letters and digits, - _ . between them; at most 63). */
    name: string;
  };
};

/**
 * The request of {@link DefaultApiClient.getEntityTags}.
 *
 * @public
 */
export type GetEntityTags = {
  path: {
    /** The entity's kind, by the catalog's rules (a letter, then letters and digits; at most 63). */
    kind: string;
    /** The entity's namespace, by the catalog's rules (a DNS label; at most 63). */
    namespace: string;
    /** The entity's name, by the catalog's rules (letters and digits, - _ . between them; at most 63). */
    name: string;
  };
  query?: {
    /** One of the entity's images (ghcr.io/owner/app); the first when omitted. */
    image?: string;
    /** Zero-based page number. */
    page?: number;
    pageSize?: number;
    sort?: 'created' | 'version' | 'name';
    search?: string;
    /** Include signature, attestation and referrer tags. */
    artifacts?: boolean;
  };
};

/**
 * The request of {@link DefaultApiClient.getImageDetails}.
 *
 * @public
 */
export type GetImageDetails = {
  path: {
    /** The entity's kind, by the catalog's rules (a letter, then letters and digits; at most 63). */
    kind: string;
    /** The entity's namespace, by the catalog's rules (a DNS label; at most 63). */
    namespace: string;
    /** The entity's name, by the catalog's rules (letters and digits, - _ . between them; at most 63). */
    name: string;
  };
  query: {
    /** One of the entity's images (ghcr.io/owner/app); the first when omitted. */
    image?: string;
    digest: string;
  };
};

/**
 * The request of {@link DefaultApiClient.getPromotions}.
 *
 * @public
 */
export type GetPromotions = {
  path: {
    /** The entity's kind, by the catalog's rules (a letter, then letters and digits; at most 63). */
    kind: string;
    /** The entity's namespace, by the catalog's rules (a DNS label; at most 63). */
    namespace: string;
    /** The entity's name, by the catalog's rules (letters and digits, - _ . between them; at most 63). */
    name: string;
  };
};

/**
 * The request of {@link DefaultApiClient.promote}.
 *
 * @public
 */
export type Promote = {
  path: {
    /** The entity's kind, by the catalog's rules (a letter, then letters and digits; at most 63). */
    kind: string;
    /** The entity's namespace, by the catalog's rules (a DNS label; at most 63). */
    namespace: string;
    /** The entity's name, by the catalog's rules (letters and digits, - _ . between them; at most 63). */
    name: string;
  };
  body: PromoteRequest;
};

/**
 * The request of {@link DefaultApiClient.getPromotion}.
 *
 * @public
 */
export type GetPromotion = {
  path: {
    /** The entity's kind, by the catalog's rules (a letter, then letters and digits; at most 63). */
    kind: string;
    /** The entity's namespace, by the catalog's rules (a DNS label; at most 63). */
    namespace: string;
    /** The entity's name, by the catalog's rules (letters and digits, - _ . between them; at most 63). */
    name: string;
    id: string;
  };
};

/**
 * The request of {@link DefaultApiClient.approvePromotion}.
 *
 * @public
 */
export type ApprovePromotion = {
  path: {
    /** The entity's kind, by the catalog's rules (a letter, then letters and digits; at most 63). */
    kind: string;
    /** The entity's namespace, by the catalog's rules (a DNS label; at most 63). */
    namespace: string;
    /** The entity's name, by the catalog's rules (letters and digits, - _ . between them; at most 63). */
    name: string;
    id: string;
  };
  body?: PromotionDecisionRequest;
};

/**
 * The request of {@link DefaultApiClient.rejectPromotion}.
 *
 * @public
 */
export type RejectPromotion = {
  path: {
    /** The entity's kind, by the catalog's rules (a letter, then letters and digits; at most 63). */
    kind: string;
    /** The entity's namespace, by the catalog's rules (a DNS label; at most 63). */
    namespace: string;
    /** The entity's name, by the catalog's rules (letters and digits, - _ . between them; at most 63). */
    name: string;
    id: string;
  };
  body?: PromotionDecisionRequest;
};

/**
 * The request of {@link DefaultApiClient.rollback}.
 *
 * @public
 */
export type Rollback = {
  path: {
    /** The entity's kind, by the catalog's rules (a letter, then letters and digits; at most 63). */
    kind: string;
    /** The entity's namespace, by the catalog's rules (a DNS label; at most 63). */
    namespace: string;
    /** The entity's name, by the catalog's rules (letters and digits, - _ . between them; at most 63). */
    name: string;
  };
  body: RollbackRequest;
};

/**
 * The request of {@link DefaultApiClient.holdEnvironment}.
 *
 * @public
 */
export type HoldEnvironment = {
  path: {
    /** The entity's kind, by the catalog's rules (a letter, then letters and digits; at most 63). */
    kind: string;
    /** The entity's namespace, by the catalog's rules (a DNS label; at most 63). */
    namespace: string;
    /** The entity's name, by the catalog's rules (letters and digits, - _ . between them; at most 63). */
    name: string;
  };
  body: HoldRequest;
};

/**
 * The request of {@link DefaultApiClient.releaseEnvironment}.
 *
 * @public
 */
export type ReleaseEnvironment = {
  path: {
    /** The entity's kind, by the catalog's rules (a letter, then letters and digits; at most 63). */
    kind: string;
    /** The entity's namespace, by the catalog's rules (a DNS label; at most 63). */
    namespace: string;
    /** The entity's name, by the catalog's rules (letters and digits, - _ . between them; at most 63). */
    name: string;
    environment: string;
  };
  query?: {
    /** One of the entity's images (ghcr.io/owner/app); the first when omitted. */
    image?: string;
  };
};

/**
 * The request of {@link DefaultApiClient.getFleet}.
 *
 * @public
 */
export type GetFleet = {
  query?: {
    /** Part of an image name, a tag, or the start of a digest (`sha256:4a5b…` or `4a5b…`). */
    q?: string;
    /** An owner entity reference (`group:default/checkout`). */
    owner?: string;
    /** Only entities owned by the caller or one of the caller's groups. */
    mine?: boolean;
    /** A system entity reference (`system:default/the-shop`, or `the-shop`). */
    system?: string;
    /** An entity kind (`Component`). */
    kind?: string;
    /** A lifecycle (`production`). */
    lifecycle?: string;
    /** Rows with at least one cell so (`behind`, any environment behind the one before it). */
    status?: 'GREEN' | 'RED' | 'GREY' | 'behind';
    /** `name` (default), or `staleness`: longest behind first. */
    sort?: 'name' | 'staleness';
    /** 0-based page number. */
    page?: number;
    /** Rows per page (default 100). */
    pageSize?: number;
  };
};

/**
 * The request of {@link DefaultApiClient.getApprovalInbox}.
 *
 * @public
 */
export type GetApprovalInbox = {};

/**
 * Berth's images API: environment status, tags and image details of catalog entities, read from their
 * registries through Berth's tag index. The entity is read with the caller's credentials and the
 * images.image.read permission is checked before any registry request.
 *
 * One method per operation of the OpenAPI spec; each returns the response whatever its status, for the caller
 * to check.
 *
 * @public
 */
export class DefaultApiClient {
  private readonly discoveryApi: {
    getBaseUrl(pluginId: string): Promise<string>;
  };
  private readonly fetchApi: { fetch: typeof fetch };

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? {
      fetch: (input, init) => fetch(input, init),
    };
  }

  /** The plugin is up. Open to anyone, so it says nothing else: no registry hosts, no environment names. */
  public async getHealth(
    _request: GetHealth = {},
    options?: RequestOptions,
  ): Promise<TypedResponse<Health>> {
    return this.send('GET', `/health`, {
      options,
    });
  }

  /**
   * Whether a tag exists in an image repository, and its digest. With entityRef, needs images.image.read on that
   * entity, which must name the image (or keep an environment's tags in it); without, needs images.image.verify,
   * and is reported to the auditor. Nothing is asked of the registry before that.
   */
  public async verify(
    request: Verify,
    options?: RequestOptions,
  ): Promise<TypedResponse<VerifyResult>> {
    return this.send('POST', `/verify`, {
      body: request.body,
      options,
    });
  }

  /**
   * Notifications from a registry (the CNCF Distribution registry's notifications envelope) that tags were
   * pushed or deleted. Open to the registry, not to Backstage users: the request must carry the registry's
   * configured secret (`images.registries[].events.token`) as a bearer token, or it is refused with 401 and
   * changes nothing. Only repositories Berth indexes are refreshed, each at most once per short window however
   * many events arrive; open Images tabs showing them are told through Backstage signals.
   */
  public async postRegistryEvents(
    request: PostRegistryEvents,
    options?: RequestOptions,
  ): Promise<TypedResponse<RegistryEventsAccepted>> {
    return this.send(
      'POST',
      `/events/${encodeURIComponent(request.path.registry)}`,
      {
        body: request.body,
        options,
      },
    );
  }

  /**
   * A vendor's webhook that tags were pushed (or deleted): GitHub's `package` / `registry_package` events for
   * ghcr.io, Quay's repository push notification, Docker Hub's push webhook, Harbor's PUSH_ARTIFACT and
   * DELETE_ARTIFACT events, as `images.registries[].events.format` says. Open to the registry, not to Backstage
   * users: GitHub's deliveries must carry an `X-Hub-Signature-256` made with the configured secret; Quay and
   * Docker Hub, which can only be given a URL, the secret as the `token` query parameter; Harbor the secret as
   * its auth header. Anything else is refused with 401 and changes nothing. Events for repositories Berth does
   * not index, and events of other kinds, change nothing.
   */
  public async postRegistryWebhook(
    request: PostRegistryWebhook,
    options?: RequestOptions,
  ): Promise<TypedResponse<RegistryEventsAccepted>> {
    return this.send(
      'POST',
      `/webhooks/${encodeURIComponent(request.path.registry)}`,
      {
        query: [['token', request.query?.token]],
        body: request.body,
        options,
      },
    );
  }

  /** Each image of the entity with its environments, in pipeline order. */
  public async getEntityOverview(
    request: GetEntityOverview,
    options?: RequestOptions,
  ): Promise<TypedResponse<EntityImagesOverview>> {
    return this.send(
      'GET',
      `/entities/${encodeURIComponent(request.path.kind)}/${encodeURIComponent(
        request.path.namespace,
      )}/${encodeURIComponent(request.path.name)}/overview`,
      {
        options,
      },
    );
  }

  /** One page of an image's tags, one row per digest. */
  public async getEntityTags(
    request: GetEntityTags,
    options?: RequestOptions,
  ): Promise<TypedResponse<TagPage>> {
    return this.send(
      'GET',
      `/entities/${encodeURIComponent(request.path.kind)}/${encodeURIComponent(
        request.path.namespace,
      )}/${encodeURIComponent(request.path.name)}/tags`,
      {
        query: [
          ['image', request.query?.image],
          ['page', request.query?.page],
          ['pageSize', request.query?.pageSize],
          ['sort', request.query?.sort],
          ['search', request.query?.search],
          ['artifacts', request.query?.artifacts],
        ],
        options,
      },
    );
  }

  /** Manifest, config, layers, platforms and attachments of one image by digest. */
  public async getImageDetails(
    request: GetImageDetails,
    options?: RequestOptions,
  ): Promise<TypedResponse<ImageDetails>> {
    return this.send(
      'GET',
      `/entities/${encodeURIComponent(request.path.kind)}/${encodeURIComponent(
        request.path.namespace,
      )}/${encodeURIComponent(request.path.name)}/details`,
      {
        query: [
          ['image', request.query.image],
          ['digest', request.query.digest],
        ],
        options,
      },
    );
  }

  /** The entity's promotion history, newest first. */
  public async getPromotions(
    request: GetPromotions,
    options?: RequestOptions,
  ): Promise<TypedResponse<GetPromotions200Response>> {
    return this.send(
      'GET',
      `/entities/${encodeURIComponent(request.path.kind)}/${encodeURIComponent(
        request.path.namespace,
      )}/${encodeURIComponent(request.path.name)}/promotions`,
      {
        options,
      },
    );
  }

  /**
   * Moves an environment to an image (or, with dryRun, says what that would do). Needs images.image.promote on
   * the entity (and images.image.force to go past failed gates). A stale expectedCurrentDigest answers 409; a
   * protected environment answers with a promotion pending approval.
   */
  public async promote(
    request: Promote,
    options?: RequestOptions,
  ): Promise<TypedResponse<PromoteResponse>> {
    return this.send(
      'POST',
      `/entities/${encodeURIComponent(request.path.kind)}/${encodeURIComponent(
        request.path.namespace,
      )}/${encodeURIComponent(request.path.name)}/promotions`,
      {
        body: request.body,
        options,
      },
    );
  }

  /** One promotion or rollback, for a template waiting on an approval. */
  public async getPromotion(
    request: GetPromotion,
    options?: RequestOptions,
  ): Promise<TypedResponse<PromotionInfo>> {
    return this.send(
      'GET',
      `/entities/${encodeURIComponent(request.path.kind)}/${encodeURIComponent(
        request.path.namespace,
      )}/${encodeURIComponent(
        request.path.name,
      )}/promotions/${encodeURIComponent(request.path.id)}`,
      {
        options,
      },
    );
  }

  /**
   * Approves a pending promotion to a protected environment, which then runs. Needs images.promotion.approve on
   * the entity, and a user other than the one who asked.
   */
  public async approvePromotion(
    request: ApprovePromotion,
    options?: RequestOptions,
  ): Promise<TypedResponse<PromotionInfo>> {
    return this.send(
      'POST',
      `/entities/${encodeURIComponent(request.path.kind)}/${encodeURIComponent(
        request.path.namespace,
      )}/${encodeURIComponent(
        request.path.name,
      )}/promotions/${encodeURIComponent(request.path.id)}/approve`,
      {
        body: request.body,
        options,
      },
    );
  }

  /**
   * Rejects a pending promotion, with a comment. Needs images.promotion.approve on the entity; the requester may
   * withdraw their own with images.image.promote, and no comment.
   */
  public async rejectPromotion(
    request: RejectPromotion,
    options?: RequestOptions,
  ): Promise<TypedResponse<PromotionInfo>> {
    return this.send(
      'POST',
      `/entities/${encodeURIComponent(request.path.kind)}/${encodeURIComponent(
        request.path.namespace,
      )}/${encodeURIComponent(
        request.path.name,
      )}/promotions/${encodeURIComponent(request.path.id)}/reject`,
      {
        body: request.body,
        options,
      },
    );
  }

  /**
   * Moves an environment back to the digest it ran before its last move (or to a rollback tag or digest),
   * through the same path as a promotion. Needs images.image.promote on the entity.
   */
  public async rollback(
    request: Rollback,
    options?: RequestOptions,
  ): Promise<TypedResponse<PromoteResponse>> {
    return this.send(
      'POST',
      `/entities/${encodeURIComponent(request.path.kind)}/${encodeURIComponent(
        request.path.namespace,
      )}/${encodeURIComponent(request.path.name)}/rollbacks`,
      {
        body: request.body,
        options,
      },
    );
  }

  /**
   * Holds one of the entity's environments (for one image): no promotion enters it until the hold is released; a
   * rollback still may. The lane shows who holds it and why. Needs images.image.promote on the entity.
   */
  public async holdEnvironment(
    request: HoldEnvironment,
    options?: RequestOptions,
  ): Promise<TypedResponse<HoldInfo>> {
    return this.send(
      'POST',
      `/entities/${encodeURIComponent(request.path.kind)}/${encodeURIComponent(
        request.path.namespace,
      )}/${encodeURIComponent(request.path.name)}/holds`,
      {
        body: request.body,
        options,
      },
    );
  }

  /** Releases a held environment. Needs images.image.promote on the entity. */
  public async releaseEnvironment(
    request: ReleaseEnvironment,
    options?: RequestOptions,
  ): Promise<TypedResponse<HoldInfo>> {
    return this.send(
      'DELETE',
      `/entities/${encodeURIComponent(request.path.kind)}/${encodeURIComponent(
        request.path.namespace,
      )}/${encodeURIComponent(request.path.name)}/holds/${encodeURIComponent(
        request.path.environment,
      )}`,
      {
        query: [['image', request.query?.image]],
        options,
      },
    );
  }

  /**
   * Every onboarded entity and image the caller may read, one row each, with a cell per environment: status,
   * tag, digest, build time, since when it runs there and how far behind the environment before it. From the
   * index and Berth's records alone: no registry request.
   */
  public async getFleet(
    request: GetFleet,
    options?: RequestOptions,
  ): Promise<TypedResponse<FleetPage>> {
    return this.send('GET', `/fleet`, {
      query: [
        ['q', request.query?.q],
        ['owner', request.query?.owner],
        ['mine', request.query?.mine],
        ['system', request.query?.system],
        ['kind', request.query?.kind],
        ['lifecycle', request.query?.lifecycle],
        ['status', request.query?.status],
        ['sort', request.query?.sort],
        ['page', request.query?.page],
        ['pageSize', request.query?.pageSize],
      ],
      options,
    });
  }

  /**
   * Every promotion, across entities, waiting for an approval the caller may give: the approve permission on its
   * entity, not their own request, not approved by them already, and among its approvers or approval group.
   */
  public async getApprovalInbox(
    _request: GetApprovalInbox = {},
    options?: RequestOptions,
  ): Promise<TypedResponse<GetApprovalInbox200Response>> {
    return this.send('GET', `/approvals`, {
      options,
    });
  }

  private async send(
    method: string,
    path: string,
    request: {
      query?: Array<[string, unknown]>;
      headers?: Record<string, unknown>;
      body?: unknown;
      options?: RequestOptions;
    },
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl(pluginId);
    const params = new URLSearchParams();
    for (const [name, value] of request.query ?? []) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item !== undefined) params.append(name, String(item));
      }
    }
    const search = params.toString();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined) headers[name] = String(value);
    }
    // A request without a body says nothing of its content type.
    if (request.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (request.options?.token) {
      headers.Authorization = `Bearer ${request.options.token}`;
    }
    return this.fetchApi.fetch(
      `${baseUrl}${path}${search ? `?${search}` : ''}`,
      {
        method,
        headers,
        ...(request.body !== undefined && {
          body: JSON.stringify(request.body),
        }),
      },
    );
  }
}
