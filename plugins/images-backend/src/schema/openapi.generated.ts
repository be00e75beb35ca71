// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'images',
    version: '1',
    description:
      "Berth's images API: environment status, tags and image details of catalog entities, read from their registries through Berth's tag index. The entity is read with the caller's credentials and the images.image.read permission is checked before any registry request.",
    license: {
      name: 'Apache-2.0',
    },
  },
  servers: [
    {
      url: '/',
    },
  ],
  paths: {
    '/health': {
      get: {
        operationId: 'GetHealth',
        description:
          'The plugin is up. Open to anyone, so it says nothing else: no registry hosts, no environment names.',
        security: [],
        responses: {
          '200': {
            description: 'Healthy.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Health',
                },
              },
            },
          },
        },
      },
    },
    '/verify': {
      post: {
        operationId: 'Verify',
        description:
          "Whether a tag exists in an image repository, and its digest. With entityRef, needs images.image.read on that entity, which must name the image (or keep an environment's tags in it); without, needs images.image.verify, and is reported to the auditor. Nothing is asked of the registry before that.",
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/VerifyRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'GREEN with the digest, or RED.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/VerifyResult',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/events/{registry}': {
      post: {
        operationId: 'PostRegistryEvents',
        description:
          "Notifications from a registry (the CNCF Distribution registry's notifications envelope) that tags were pushed or deleted. Open to the registry, not to Backstage users: the request must carry the registry's configured secret (`images.registries[].events.token`) as a bearer token, or it is refused with 401 and changes nothing. Only repositories Berth indexes are refreshed, each at most once per short window however many events arrive; open Images tabs showing them are told through Backstage signals.",
        security: [],
        parameters: [
          {
            name: 'registry',
            in: 'path',
            required: true,
            description:
              "The registry's host as configured, such as ghcr.io or localhost:5000.",
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 255,
            },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/vnd.docker.distribution.events.v1+json': {
              schema: {
                $ref: '#/components/schemas/RegistryEventsEnvelope',
              },
            },
            'application/json': {
              schema: {
                $ref: '#/components/schemas/RegistryEventsEnvelope',
              },
            },
          },
        },
        responses: {
          '202': {
            description:
              'The events were read; the tags they name are refreshed shortly.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RegistryEventsAccepted',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/webhooks/{registry}': {
      post: {
        operationId: 'PostRegistryWebhook',
        description:
          "A vendor's webhook that tags were pushed (or deleted): GitHub's `package` / `registry_package` events for ghcr.io, Quay's repository push notification, Docker Hub's push webhook, Harbor's PUSH_ARTIFACT and DELETE_ARTIFACT events, as `images.registries[].events.format` says. Open to the registry, not to Backstage users: GitHub's deliveries must carry an `X-Hub-Signature-256` made with the configured secret; Quay and Docker Hub, which can only be given a URL, the secret as the `token` query parameter; Harbor the secret as its auth header. Anything else is refused with 401 and changes nothing. Events for repositories Berth does not index, and events of other kinds, change nothing.",
        security: [],
        parameters: [
          {
            name: 'registry',
            in: 'path',
            required: true,
            description:
              "The registry's host as configured, such as ghcr.io or quay.io.",
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 255,
            },
          },
          {
            name: 'token',
            in: 'query',
            required: false,
            description:
              'The configured secret, for registries that cannot send headers (Quay, Docker Hub).',
            schema: {
              type: 'string',
              maxLength: 512,
            },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                description:
                  "The vendor's payload; Berth reads the repository and tags and ignores the rest.",
              },
            },
          },
        },
        responses: {
          '202': {
            description:
              'The payload was read; the tags it names are refreshed shortly.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RegistryEventsAccepted',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/overview': {
      get: {
        operationId: 'GetEntityOverview',
        description:
          'Each image of the entity with its environments, in pipeline order.',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: "The entity's images and environments.",
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/EntityImagesOverview',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/tags': {
      get: {
        operationId: 'GetEntityTags',
        description: "One page of an image's tags, one row per digest.",
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            $ref: '#/components/parameters/image',
          },
          {
            name: 'page',
            in: 'query',
            description: 'Zero-based page number.',
            schema: {
              type: 'integer',
              minimum: 0,
              maximum: 1000000,
            },
          },
          {
            name: 'pageSize',
            in: 'query',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 100,
            },
          },
          {
            name: 'sort',
            in: 'query',
            schema: {
              type: 'string',
              enum: ['created', 'version', 'name'],
            },
          },
          {
            name: 'search',
            in: 'query',
            schema: {
              type: 'string',
              maxLength: 200,
            },
          },
          {
            name: 'artifacts',
            in: 'query',
            description: 'Include signature, attestation and referrer tags.',
            schema: {
              type: 'boolean',
            },
          },
        ],
        responses: {
          '200': {
            description: 'A page of tags.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/TagPage',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/details': {
      get: {
        operationId: 'GetImageDetails',
        description:
          'Manifest, config, layers, platforms and attachments of one image by digest.',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            $ref: '#/components/parameters/image',
          },
          {
            name: 'digest',
            in: 'query',
            required: true,
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'The image.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ImageDetails',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/promotions': {
      get: {
        operationId: 'GetPromotions',
        description: "The entity's promotion history, newest first.",
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: 'Promotions and rollbacks, newest first.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['items'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/PromotionInfo',
                      },
                    },
                  },
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
      post: {
        operationId: 'Promote',
        description:
          'Moves an environment to an image (or, with dryRun, says what that would do). Needs images.image.promote on the entity (and images.image.force to go past failed gates). A stale expectedCurrentDigest answers 409; a protected environment answers with a promotion pending approval.',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/PromoteRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description:
              'The plan (dry run), the finished promotion, or a promotion waiting for approval.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/PromoteResponse',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/promotions/{id}': {
      get: {
        operationId: 'GetPromotion',
        description:
          'One promotion or rollback, for a template waiting on an approval.',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            $ref: '#/components/parameters/promotionId',
          },
        ],
        responses: {
          '200': {
            description: 'The promotion.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/PromotionInfo',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/promotions/{id}/approve': {
      post: {
        operationId: 'ApprovePromotion',
        description:
          'Approves a pending promotion to a protected environment, which then runs. Needs images.promotion.approve on the entity, and a user other than the one who asked.',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            $ref: '#/components/parameters/promotionId',
          },
        ],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/PromotionDecisionRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The promotion, finished.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/PromotionInfo',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/promotions/{id}/reject': {
      post: {
        operationId: 'RejectPromotion',
        description:
          'Rejects a pending promotion, with a comment. Needs images.promotion.approve on the entity; the requester may withdraw their own with images.image.promote, and no comment.',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            $ref: '#/components/parameters/promotionId',
          },
        ],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/PromotionDecisionRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The promotion, rejected.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/PromotionInfo',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/rollbacks': {
      post: {
        operationId: 'Rollback',
        description:
          'Moves an environment back to the digest it ran before its last move (or to a rollback tag or digest), through the same path as a promotion. Needs images.image.promote on the entity.',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/RollbackRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description:
              'The plan (dry run), the finished rollback, or a rollback waiting for approval.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/PromoteResponse',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/holds': {
      post: {
        operationId: 'HoldEnvironment',
        description:
          "Holds one of the entity's environments (for one image): no promotion enters it until the hold is released; a rollback still may. The lane shows who holds it and why. Needs images.image.promote on the entity.",
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/HoldRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The hold.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/HoldInfo',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/holds/{environment}': {
      delete: {
        operationId: 'ReleaseEnvironment',
        description:
          'Releases a held environment. Needs images.image.promote on the entity.',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            name: 'environment',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
            },
          },
          {
            $ref: '#/components/parameters/image',
          },
        ],
        responses: {
          '200': {
            description: 'The hold released.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/HoldInfo',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/fleet': {
      get: {
        operationId: 'GetFleet',
        description:
          "Every onboarded entity and image the caller may read, one row each, with a cell per environment: status, tag, digest, build time, since when it runs there and how far behind the environment before it. From the index and Berth's records alone: no registry request.",
        parameters: [
          {
            name: 'q',
            in: 'query',
            description:
              'Part of an image name, a tag, or the start of a digest (`sha256:4a5b…` or `4a5b…`).',
            schema: {
              type: 'string',
              maxLength: 200,
            },
          },
          {
            name: 'owner',
            in: 'query',
            description:
              'An owner entity reference (`group:default/checkout`).',
            schema: {
              type: 'string',
              maxLength: 255,
            },
          },
          {
            name: 'mine',
            in: 'query',
            description:
              "Only entities owned by the caller or one of the caller's groups.",
            schema: {
              type: 'boolean',
            },
          },
          {
            name: 'system',
            in: 'query',
            description:
              'A system entity reference (`system:default/the-shop`, or `the-shop`).',
            schema: {
              type: 'string',
              maxLength: 255,
            },
          },
          {
            name: 'kind',
            in: 'query',
            description: 'An entity kind (`Component`).',
            schema: {
              type: 'string',
              maxLength: 63,
            },
          },
          {
            name: 'lifecycle',
            in: 'query',
            description: 'A lifecycle (`production`).',
            schema: {
              type: 'string',
              maxLength: 63,
            },
          },
          {
            name: 'status',
            in: 'query',
            description:
              'Rows with at least one cell so (`behind`, any environment behind the one before it).',
            schema: {
              type: 'string',
              enum: ['GREEN', 'RED', 'GREY', 'behind'],
            },
          },
          {
            name: 'sort',
            in: 'query',
            description:
              '`name` (default), or `staleness`: longest behind first.',
            schema: {
              type: 'string',
              enum: ['name', 'staleness'],
            },
          },
          {
            name: 'page',
            in: 'query',
            description: '0-based page number.',
            schema: {
              type: 'integer',
              minimum: 0,
              maximum: 1000000,
            },
          },
          {
            name: 'pageSize',
            in: 'query',
            description: 'Rows per page (default 100).',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 500,
            },
          },
        ],
        responses: {
          '200': {
            description: 'One page of the fleet.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/FleetPage',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/approvals': {
      get: {
        operationId: 'GetApprovalInbox',
        description:
          'Every promotion, across entities, waiting for an approval the caller may give: the approve permission on its entity, not their own request, not approved by them already, and among its approvers or approval group.',
        responses: {
          '200': {
            description: 'The inbox, oldest first.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['items'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/InboxItem',
                      },
                    },
                  },
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
  },
  components: {
    parameters: {
      promotionId: {
        name: 'id',
        in: 'path',
        required: true,
        schema: {
          type: 'string',
        },
      },
      kind: {
        name: 'kind',
        in: 'path',
        required: true,
        description:
          "The entity's kind, by the catalog's rules (a letter, then letters and digits; at most 63).",
        schema: {
          type: 'string',
        },
      },
      namespace: {
        name: 'namespace',
        in: 'path',
        required: true,
        description:
          "The entity's namespace, by the catalog's rules (a DNS label; at most 63).",
        schema: {
          type: 'string',
        },
      },
      name: {
        name: 'name',
        in: 'path',
        required: true,
        description:
          "The entity's name, by the catalog's rules (letters and digits, - _ . between them; at most 63).",
        schema: {
          type: 'string',
        },
      },
      image: {
        name: 'image',
        in: 'query',
        description:
          "One of the entity's images (ghcr.io/owner/app); the first when omitted.",
        schema: {
          type: 'string',
        },
      },
    },
    responses: {
      ErrorResponse: {
        description: "An error, as Backstage's error JSON.",
        content: {
          'application/json': {
            schema: {
              $ref: '#/components/schemas/Error',
            },
          },
        },
      },
    },
    schemas: {
      Error: {
        type: 'object',
        description:
          "Backstage's error JSON with one sentence for the caller and nothing nested (no causes); an unexpected failure is a 500 whose message gives the log id under which the backend logged it.",
        required: ['error', 'response'],
        properties: {
          error: {
            type: 'object',
            required: ['name', 'message'],
            properties: {
              name: {
                type: 'string',
              },
              message: {
                type: 'string',
              },
              stack: {
                type: 'string',
                description: 'Only in development mode.',
              },
            },
          },
          response: {
            type: 'object',
            required: ['statusCode'],
            properties: {
              statusCode: {
                type: 'integer',
              },
            },
          },
        },
      },
      RegistryEventsEnvelope: {
        type: 'object',
        description:
          "The CNCF Distribution registry's notification envelope; fields Berth does not read are allowed.",
        required: ['events'],
        properties: {
          events: {
            type: 'array',
            maxItems: 1000,
            items: {
              $ref: '#/components/schemas/RegistryEvent',
            },
          },
        },
      },
      RegistryEvent: {
        type: 'object',
        description:
          "One registry event; Berth reads the action and the target's repository, tag and digest.",
        properties: {
          action: {
            type: 'string',
            maxLength: 32,
          },
          target: {
            type: 'object',
            properties: {
              mediaType: {
                type: 'string',
                maxLength: 255,
              },
              repository: {
                type: 'string',
                maxLength: 512,
              },
              tag: {
                type: 'string',
                maxLength: 256,
              },
              digest: {
                type: 'string',
                maxLength: 200,
              },
            },
          },
        },
      },
      RegistryEventsAccepted: {
        type: 'object',
        additionalProperties: false,
        description:
          '`POST /events/{registry}`: how many events name a tag of a repository Berth indexes.',
        required: ['accepted', 'ignored'],
        properties: {
          accepted: {
            type: 'integer',
            minimum: 0,
          },
          ignored: {
            type: 'integer',
            minimum: 0,
          },
        },
      },
      Health: {
        type: 'object',
        additionalProperties: false,
        description: '`GET /health`: the plugin is up.',
        required: ['status'],
        properties: {
          status: {
            type: 'string',
            enum: ['ok'],
          },
        },
      },
      VerifyRequest: {
        type: 'object',
        additionalProperties: false,
        description:
          '`POST /verify`: whether a tag exists in an image repository.',
        required: ['image', 'tag'],
        properties: {
          image: {
            type: 'string',
            description: 'An image repository such as ghcr.io/owner/app.',
          },
          tag: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
            description:
              'The entity the image is verified for, such as component:default/dotca. Without it, the caller needs images.image.verify (meant for onboarding an image that no entity names yet).',
          },
        },
      },
      VerifyResult: {
        type: 'object',
        additionalProperties: false,
        description: 'The answer to `POST /verify`.',
        required: ['reference', 'status'],
        properties: {
          reference: {
            type: 'string',
            description:
              'The fully qualified image reference that was checked.',
          },
          status: {
            type: 'string',
            enum: ['GREEN', 'RED'],
            description: 'GREEN when the tag exists, RED when it does not.',
          },
          digest: {
            type: 'string',
            description: 'The digest the tag points at, when it exists.',
          },
        },
      },
      EnvironmentStatus: {
        type: 'string',
        enum: ['GREEN', 'RED', 'GREY'],
        description:
          "What the platform declares GREEN for the environment (`images.environments[].green`): `tagged` (the default), the environment's tag exists; `running`, the tag exists and its deployment runs it. A lane whose tag is missing is GREEN when its deployment runs an image of the repository (the-shop deploys commits, not environment tags). RED: it is not so. GREY: Berth could not tell (the registry or the deployment source failed, or a rollout is under way where the rule is `running`).",
      },
      DeploymentState: {
        type: 'string',
        enum: [
          'running',
          'rolling-out',
          'drift',
          'not-deployed',
          'unreachable',
        ],
        description:
          '`running`: the deployment runs the image the tag points at (or, with no tag, an image of the repository); `rolling-out`: some replicas run it, others another digest; `drift`: it runs something else than the tag says; `not-deployed`: the source knows the environment and runs nothing of this image; `unreachable`: the source could not say (the reason is in `message`).',
      },
      DeployedDigest: {
        type: 'object',
        additionalProperties: false,
        description: 'One image the deployment runs.',
        required: ['digest'],
        properties: {
          digest: {
            type: 'string',
          },
          reference: {
            type: 'string',
            description:
              'The reference the deployment names it by, when it names one: `registry.example.com/shop/web:3f2a9c1`.',
          },
          replicas: {
            type: 'integer',
            description: 'How many pods run it (Kubernetes).',
          },
        },
      },
      EnvironmentDeployment: {
        type: 'object',
        additionalProperties: false,
        description:
          "What the environment's deployment runs, beside what its tag says.",
        required: ['source', 'location', 'state', 'running', 'message'],
        properties: {
          source: {
            type: 'string',
            description:
              '`kubernetes`, `file`, or the id of a deployment source module.',
          },
          location: {
            type: 'string',
            description:
              'Where Berth looked: `cluster prod-eu, namespace support`, or the file URL.',
          },
          state: {
            $ref: '#/components/schemas/DeploymentState',
          },
          running: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/DeployedDigest',
            },
          },
          message: {
            type: 'string',
            description:
              'The state in words, with both digests when they differ.',
          },
        },
      },
      ImageSource: {
        type: 'object',
        additionalProperties: false,
        description:
          'Where an image was built from, read from its OCI labels (`org.opencontainers.image.source`, `.revision`).',
        properties: {
          repository: {
            type: 'string',
          },
          revision: {
            type: 'string',
          },
          commitUrl: {
            type: 'string',
            description:
              'Link to the commit, when the source is a known forge (GitHub, GitLab, Bitbucket).',
          },
        },
      },
      ImageSummary: {
        type: 'object',
        additionalProperties: false,
        description: 'What the tab shows about one image (a digest).',
        required: [
          'digest',
          'mediaType',
          'platforms',
          'labels',
          'source',
          'signed',
          'tags',
        ],
        properties: {
          digest: {
            type: 'string',
          },
          mediaType: {
            type: 'string',
          },
          created: {
            type: 'string',
            description: 'ISO time the image was built, from its config.',
          },
          size: {
            type: 'integer',
            description:
              'Compressed size in bytes; for a multi-platform image, of the largest platform.',
          },
          platforms: {
            type: 'array',
            items: {
              type: 'string',
            },
            description:
              '`linux/amd64`, `linux/arm64/v8`; attestation entries are left out.',
          },
          labels: {
            type: 'object',
            additionalProperties: {
              type: 'string',
            },
          },
          source: {
            $ref: '#/components/schemas/ImageSource',
          },
          signed: {
            type: 'boolean',
            description:
              'Whether a signature was found (cosign tag, referrers).',
          },
          tags: {
            type: 'array',
            items: {
              type: 'string',
            },
            description:
              'Tags on this digest that Berth knows of: releases first, at most 50.',
          },
        },
      },
      EnvironmentDrift: {
        type: 'string',
        enum: ['same', 'behind', 'ahead', 'different'],
        description:
          "How an environment's image compares with the previous environment in the pipeline that has an image (absent for the first).",
      },
      EnvironmentLane: {
        type: 'object',
        additionalProperties: false,
        description: 'One environment of one image.',
        required: ['name', 'tag', 'protected', 'status'],
        properties: {
          name: {
            type: 'string',
          },
          tag: {
            type: 'string',
          },
          protected: {
            type: 'boolean',
          },
          status: {
            $ref: '#/components/schemas/EnvironmentStatus',
          },
          digest: {
            type: 'string',
          },
          image: {
            $ref: '#/components/schemas/ImageSummary',
          },
          drift: {
            $ref: '#/components/schemas/EnvironmentDrift',
          },
          hold: {
            $ref: '#/components/schemas/HoldInfo',
          },
          policies: {
            $ref: '#/components/schemas/LanePolicies',
          },
          message: {
            type: 'string',
            description: 'Why the lane is RED or GREY, in words.',
          },
          repository: {
            type: 'string',
            description:
              "The repository the environment's tag lives in, when it is not the image's own: `registry.prod.example.com/acme/app`.",
          },
          deployment: {
            $ref: '#/components/schemas/EnvironmentDeployment',
          },
        },
      },
      LanePolicies: {
        type: 'object',
        additionalProperties: false,
        description:
          "The environment's release policies (`images.environments[].policies`) as its lane shows them, before anyone plans a promotion; a plan checks them as gates.",
        properties: {
          frozen: {
            type: 'object',
            additionalProperties: false,
            description:
              'A freeze window open now (of several open, the one that closes last).',
            required: ['until', 'timeZone'],
            properties: {
              until: {
                type: 'string',
                description: 'When it closes, an ISO date-time.',
              },
              timeZone: {
                type: 'string',
                description:
                  "The window's IANA time zone, to say `until` in: `Europe/Paris`.",
              },
              reason: {
                type: 'string',
                description: 'Why: `Year-end freeze`.',
              },
            },
          },
          upstreamFirst: {
            type: 'object',
            additionalProperties: false,
            description:
              'A digest enters only once it ran in the environment before (`upstreamFirst`), for at least `soakSeconds` (`soakTime`).',
            properties: {
              environment: {
                type: 'string',
                description:
                  "Where it must run first: the one `upstream` names, else the one before in the entity's environments; absent when there is none, so no digest can pass.",
              },
              soakSeconds: {
                type: 'number',
                description: 'How long it must run there, in seconds.',
              },
            },
          },
          approvals: {
            type: 'object',
            additionalProperties: false,
            description:
              'A promotion waits for this many approvals from distinct people, none of them the requester.',
            required: ['count'],
            properties: {
              count: {
                type: 'integer',
              },
              group: {
                type: 'string',
                description:
                  'Only members of this group may approve: `group:default/release-managers`.',
              },
            },
          },
        },
      },
      ImagesErrorInfo: {
        type: 'object',
        additionalProperties: false,
        description:
          'An error the API reports for one image (the others still answer).',
        required: ['kind', 'message'],
        properties: {
          kind: {
            type: 'string',
            description:
              '`RegistryError` kind, `InputError`, or `claim-refused` (the entity may not claim the repository).',
          },
          message: {
            type: 'string',
          },
        },
      },
      ImageClaimInfo: {
        type: 'object',
        additionalProperties: false,
        description:
          "A repository named by more than one entity's `berth.dev/images`, with no `images.repositoryOwners` entry to decide: the entity that named it first keeps it, and promotions from the others wait for its owners' approval.",
        required: [
          'contested',
          'claimants',
          'firstClaimant',
          'firstClaimantOwners',
        ],
        properties: {
          contested: {
            type: 'boolean',
            enum: [true],
          },
          claimants: {
            type: 'array',
            items: {
              type: 'string',
            },
            description: 'Every entity naming the repository, first first.',
          },
          firstClaimant: {
            type: 'string',
          },
          firstClaimantOwners: {
            type: 'array',
            items: {
              type: 'string',
            },
            description:
              'Owners of the first claimant: who approves promotions asked from the other entities.',
          },
        },
      },
      ImageOverview: {
        type: 'object',
        additionalProperties: false,
        description:
          'One image repository of an entity and its environments; `claim` is set when other entities name the repository too.',
        required: ['image', 'registry', 'repository', 'environments'],
        properties: {
          image: {
            type: 'string',
            description:
              "As written in the annotation's normalised form: `ghcr.io/bxtech/dotca`.",
          },
          registry: {
            type: 'string',
          },
          repository: {
            type: 'string',
          },
          environments: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/EnvironmentLane',
            },
          },
          error: {
            $ref: '#/components/schemas/ImagesErrorInfo',
          },
          claim: {
            $ref: '#/components/schemas/ImageClaimInfo',
          },
          previews: {
            type: 'array',
            description:
              "Short-lived environments: the image's tags matching `images.previews.tags` (`feature-*`, `pr-*`), newest first, from the index alone.",
            items: {
              $ref: '#/components/schemas/PreviewEnvironment',
            },
          },
        },
      },
      PreviewEnvironment: {
        type: 'object',
        additionalProperties: false,
        description:
          'A preview environment of an image (a tag such as `pr-412`).',
        required: ['tag', 'digest'],
        properties: {
          tag: {
            type: 'string',
          },
          digest: {
            type: 'string',
          },
          pushedAt: {
            type: 'string',
            description:
              "When the tag was pushed, where the registry's listing says.",
          },
          created: {
            type: 'string',
            description: "When the image was built (its config's `created`).",
          },
        },
      },
      EntityImagesOverview: {
        type: 'object',
        additionalProperties: false,
        description: '`GET /entities/{kind}/{namespace}/{name}/overview`.',
        required: ['entityRef', 'images'],
        properties: {
          entityRef: {
            type: 'string',
          },
          images: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ImageOverview',
            },
          },
        },
      },
      TagKind: {
        type: 'string',
        enum: [
          'environment',
          'release',
          'commit',
          'rollback',
          'pull-request',
          'artifact',
          'other',
        ],
        description: 'Kinds of tag, told apart by their names.',
      },
      TagInfo: {
        type: 'object',
        additionalProperties: false,
        description: 'A tag and its kind.',
        required: ['name', 'kind'],
        properties: {
          name: {
            type: 'string',
          },
          kind: {
            $ref: '#/components/schemas/TagKind',
          },
        },
      },
      TagRow: {
        type: 'object',
        additionalProperties: false,
        description:
          'A row of the tags table: one digest with all its tags. A tag whose digest is not known yet has a row of its own without a digest.',
        required: ['tags', 'environments'],
        properties: {
          digest: {
            type: 'string',
          },
          tags: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/TagInfo',
            },
          },
          created: {
            type: 'string',
          },
          pushedAt: {
            type: 'string',
            description:
              "When the newest of its tags was pushed (ISO), where the registry product's own API lists it (Quay, Docker Hub, GitHub, DigitalOcean, Harbor, ACR, ECR). Newest first sorts by it, else by `created`.",
          },
          size: {
            type: 'integer',
          },
          platforms: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          signed: {
            type: 'boolean',
          },
          environments: {
            type: 'array',
            items: {
              type: 'string',
            },
            description: 'Environments whose tag is on this digest.',
          },
          error: {
            type: 'string',
            description:
              'Why the digest cannot be described (its manifest or config is malformed); its tags still show.',
          },
        },
      },
      TagSort: {
        type: 'string',
        enum: ['created', 'version', 'name'],
        description: 'Sort orders of the tags table.',
      },
      TagIndexState: {
        type: 'object',
        additionalProperties: false,
        description: "How complete the repository's tag index is.",
        required: ['totalTags', 'resolvedTags', 'complete', 'truncated'],
        properties: {
          totalTags: {
            type: 'integer',
            description: 'Tags the registry listed.',
          },
          resolvedTags: {
            type: 'integer',
            description: 'Tags whose digest is known.',
          },
          complete: {
            type: 'boolean',
            description:
              'True when every tag is resolved and every digest described.',
          },
          listedAt: {
            type: 'string',
            description: 'When the tags were last listed (ISO).',
          },
          truncated: {
            type: 'boolean',
            description: 'The registry has more tags than Berth indexes.',
          },
          listing: {
            type: 'boolean',
            description:
              'The first listing of the repository is still going: more tags will appear.',
          },
          order: {
            type: 'string',
            enum: ['complete', 'partial'],
            description:
              'For newest first: `complete` when every row has a date; `partial` while some rows wait to be described (a plain Distribution registry lists names only): those follow the dated rows, and the rows on the page asked for are described first.',
          },
          heldBack: {
            type: 'string',
            description:
              "Why indexing waits, in words to show: the registry's rate limit leaves only what Berth keeps for page views and promotions, and until when.",
          },
        },
      },
      TagPage: {
        type: 'object',
        additionalProperties: false,
        description: '`GET /entities/{kind}/{namespace}/{name}/tags`.',
        required: [
          'image',
          'rows',
          'totalRows',
          'page',
          'pageSize',
          'sort',
          'index',
        ],
        properties: {
          image: {
            type: 'string',
          },
          rows: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/TagRow',
            },
          },
          totalRows: {
            type: 'integer',
          },
          page: {
            type: 'integer',
          },
          pageSize: {
            type: 'integer',
          },
          sort: {
            $ref: '#/components/schemas/TagSort',
          },
          index: {
            $ref: '#/components/schemas/TagIndexState',
          },
        },
      },
      LayerInfo: {
        type: 'object',
        additionalProperties: false,
        description: 'A layer of an image.',
        required: ['digest', 'mediaType', 'size'],
        properties: {
          digest: {
            type: 'string',
          },
          mediaType: {
            type: 'string',
          },
          size: {
            type: 'integer',
          },
        },
      },
      PlatformDetails: {
        type: 'object',
        additionalProperties: false,
        description: 'One platform of an image: its manifest and config.',
        required: [
          'platform',
          'digest',
          'mediaType',
          'exposedPorts',
          'labels',
          'layers',
          'size',
        ],
        properties: {
          platform: {
            type: 'string',
          },
          digest: {
            type: 'string',
          },
          mediaType: {
            type: 'string',
          },
          created: {
            type: 'string',
          },
          cmd: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          entrypoint: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          user: {
            type: 'string',
          },
          healthcheck: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          exposedPorts: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          labels: {
            type: 'object',
            additionalProperties: {
              type: 'string',
            },
          },
          layers: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/LayerInfo',
            },
          },
          size: {
            type: 'integer',
          },
        },
      },
      AttachmentInfo: {
        type: 'object',
        additionalProperties: false,
        description: 'A signature, attestation or SBOM of an image.',
        required: ['kind', 'source', 'digest', 'mediaType'],
        properties: {
          kind: {
            type: 'string',
            enum: ['signature', 'attestation', 'sbom', 'other'],
          },
          source: {
            type: 'string',
          },
          digest: {
            type: 'string',
          },
          mediaType: {
            type: 'string',
          },
          artifactType: {
            type: 'string',
          },
          tag: {
            type: 'string',
          },
        },
      },
      ImageDetails: {
        type: 'object',
        additionalProperties: false,
        description:
          '`GET /entities/{kind}/{namespace}/{name}/details?image=&digest=`.',
        required: [
          'image',
          'digest',
          'mediaType',
          'tags',
          'pullCommand',
          'platforms',
          'attachments',
          'manifest',
        ],
        properties: {
          image: {
            type: 'string',
          },
          digest: {
            type: 'string',
          },
          mediaType: {
            type: 'string',
          },
          tags: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          pullCommand: {
            type: 'string',
            description: '`docker pull ghcr.io/bxtech/dotca@sha256:…`',
          },
          platforms: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/PlatformDetails',
            },
          },
          attachments: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/AttachmentInfo',
            },
          },
          manifest: {
            type: 'string',
            description: 'The raw manifest, pretty-printed.',
          },
        },
      },
      GateResultInfo: {
        type: 'object',
        additionalProperties: false,
        description: "A validation gate's verdict on the image being promoted.",
        required: ['id', 'passed', 'message'],
        properties: {
          id: {
            type: 'string',
            description:
              "`size`, `layers`, `labels`, `cmd`, `healthcheck`, `non-root`, `signature`, or a module's gate id.",
          },
          passed: {
            type: 'boolean',
          },
          message: {
            type: 'string',
            description: 'One sentence: "412 MB is within 100 MB–2 GB".',
          },
        },
      },
      PromotionStatus: {
        type: 'string',
        enum: [
          'pending-approval',
          'running',
          'succeeded',
          'failed',
          'rejected',
        ],
        description:
          'Where a promotion stands: `pending-approval` waits for a second person (a protected environment), `rejected` was refused by them, `failed` says why in `error`.',
      },
      PromotionInfo: {
        type: 'object',
        additionalProperties: false,
        description: 'One promotion or rollback, as the history shows it.',
        required: [
          'id',
          'image',
          'environment',
          'kind',
          'status',
          'requestedBy',
          'reason',
          'source',
          'tags',
          'gates',
          'forced',
          'createdAt',
        ],
        properties: {
          id: {
            type: 'string',
          },
          image: {
            type: 'string',
          },
          environment: {
            type: 'string',
          },
          kind: {
            type: 'string',
            enum: ['promotion', 'rollback'],
          },
          status: {
            $ref: '#/components/schemas/PromotionStatus',
          },
          requestedBy: {
            type: 'string',
          },
          reason: {
            type: 'string',
          },
          source: {
            type: 'string',
            description: 'The tag or digest asked for.',
          },
          sourceDigest: {
            type: 'string',
          },
          previousDigest: {
            type: 'string',
            description: 'What the environment ran before.',
          },
          rollbackTag: {
            type: 'string',
          },
          tags: {
            type: 'array',
            items: {
              type: 'string',
            },
            description:
              'Tags written on the source digest (for a pending promotion: the tags it will write).',
          },
          gates: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/GateResultInfo',
            },
            description:
              "The gates' verdicts when the promotion was requested.",
          },
          forced: {
            type: 'boolean',
            description:
              'Went ahead past failed gates, by a user with the force permission.',
          },
          decidedBy: {
            type: 'string',
            description:
              'Who approved or rejected it (protected environments).',
          },
          decisionComment: {
            type: 'string',
          },
          decidedAt: {
            type: 'string',
          },
          error: {
            type: 'string',
          },
          resumedFrom: {
            type: 'string',
            description:
              'A retry: the earlier attempt whose work this one finished (its rollback tag is kept, not written again).',
          },
          supersededBy: {
            type: 'string',
            description:
              "The later attempt (a retry) that finished this one's work.",
          },
          approvers: {
            type: 'array',
            items: {
              type: 'string',
            },
            description:
              'Who must approve a pending promotion, when not anyone with the approve permission.',
          },
          approvalsNeeded: {
            type: 'integer',
            description:
              'Approvals from distinct people (none of them the requester) the promotion waits for.',
          },
          approvalGroup: {
            type: 'string',
            description: 'The group whose members alone may approve.',
          },
          approvals: {
            type: 'array',
            description:
              'The approvals given so far, for a promotion that needs several.',
            items: {
              $ref: '#/components/schemas/ApprovalInfo',
            },
          },
          createdAt: {
            type: 'string',
          },
          finishedAt: {
            type: 'string',
          },
        },
      },
      ApprovalInfo: {
        type: 'object',
        additionalProperties: false,
        description: "One person's approval of a promotion that needs several.",
        required: ['by', 'at'],
        properties: {
          by: {
            type: 'string',
          },
          at: {
            type: 'string',
          },
          comment: {
            type: 'string',
          },
        },
      },
      PromotionPlanInfo: {
        type: 'object',
        additionalProperties: false,
        description: 'What a promotion will do: the answer of a dry run.',
        required: [
          'image',
          'environment',
          'sourceDigest',
          'tags',
          'noChange',
          'gates',
          'needsApproval',
        ],
        properties: {
          image: {
            type: 'string',
          },
          environment: {
            type: 'string',
          },
          sourceDigest: {
            type: 'string',
          },
          currentDigest: {
            type: 'string',
          },
          rollbackTag: {
            type: 'string',
          },
          tags: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          noChange: {
            type: 'boolean',
          },
          gates: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/GateResultInfo',
            },
          },
          needsApproval: {
            type: 'boolean',
            description:
              "The environment is protected: the promotion will wait for a second person's approval.",
          },
          approvers: {
            type: 'array',
            items: {
              type: 'string',
            },
            description:
              'Who must approve, when not anyone with the approve permission: the owners of the entity that claimed a contested repository first.',
          },
          approvalsNeeded: {
            type: 'integer',
            description:
              'Approvals from distinct people (none of them the requester) the promotion will wait for.',
          },
          approvalGroup: {
            type: 'string',
            description: 'The group whose members alone may approve.',
          },
        },
      },
      PromoteRequest: {
        type: 'object',
        additionalProperties: false,
        description: '`POST /entities/{kind}/{namespace}/{name}/promotions`.',
        required: ['environment', 'source', 'reason'],
        properties: {
          image: {
            type: 'string',
            maxLength: 512,
            description: "One of the entity's images; the first when omitted.",
          },
          environment: {
            type: 'string',
            maxLength: 64,
          },
          source: {
            type: 'string',
            maxLength: 200,
            description: 'A tag or digest of the image.',
          },
          reason: {
            type: 'string',
            maxLength: 500,
          },
          expectedCurrentDigest: {
            type: 'string',
            maxLength: 200,
            description:
              'The digest the caller saw in the environment; a promotion that finds another fails with 409.',
          },
          force: {
            type: 'boolean',
            description:
              'Go ahead past failed gates (needs the force permission; the reason is kept).',
          },
          dryRun: {
            type: 'boolean',
            description: 'Work out and return the plan; write nothing.',
          },
        },
      },
      RollbackRequest: {
        type: 'object',
        additionalProperties: false,
        description:
          '`POST /entities/{kind}/{namespace}/{name}/rollbacks`: move an environment back to what it ran before.',
        required: ['environment', 'reason'],
        properties: {
          image: {
            type: 'string',
            maxLength: 512,
            description: "One of the entity's images; the first when omitted.",
          },
          environment: {
            type: 'string',
            maxLength: 64,
          },
          target: {
            type: 'string',
            maxLength: 200,
            description:
              'A rollback tag or digest to return to; when omitted, the digest the environment ran before its last move.',
          },
          reason: {
            type: 'string',
            maxLength: 500,
          },
          expectedCurrentDigest: {
            type: 'string',
            maxLength: 200,
          },
          force: {
            type: 'boolean',
          },
          dryRun: {
            type: 'boolean',
          },
        },
      },
      HoldRequest: {
        type: 'object',
        additionalProperties: false,
        description: '`POST /entities/{kind}/{namespace}/{name}/holds`.',
        required: ['environment', 'reason'],
        properties: {
          environment: {
            type: 'string',
          },
          image: {
            type: 'string',
            description: "One of the entity's images; the first when omitted.",
          },
          reason: {
            type: 'string',
            maxLength: 1000,
          },
        },
      },
      HoldInfo: {
        type: 'object',
        additionalProperties: false,
        description: 'Who holds an environment, since when and why.',
        required: ['heldBy', 'reason', 'heldAt'],
        properties: {
          heldBy: {
            type: 'string',
          },
          reason: {
            type: 'string',
          },
          heldAt: {
            type: 'string',
          },
        },
      },
      FleetPage: {
        type: 'object',
        additionalProperties: false,
        description: '`GET /fleet`.',
        required: ['environments', 'rows', 'totalRows', 'page', 'pageSize'],
        properties: {
          environments: {
            type: 'array',
            items: {
              type: 'string',
            },
            description: 'Every environment of the rows, in pipeline order.',
          },
          rows: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/FleetRow',
            },
          },
          totalRows: {
            type: 'integer',
          },
          page: {
            type: 'integer',
          },
          pageSize: {
            type: 'integer',
          },
        },
      },
      FleetRow: {
        type: 'object',
        additionalProperties: false,
        description: 'One image of one onboarded entity.',
        required: ['entityRef', 'kind', 'name', 'image', 'cells'],
        properties: {
          entityRef: {
            type: 'string',
          },
          kind: {
            type: 'string',
          },
          name: {
            type: 'string',
          },
          title: {
            type: 'string',
          },
          owner: {
            type: 'string',
          },
          system: {
            type: 'string',
          },
          lifecycle: {
            type: 'string',
          },
          image: {
            type: 'string',
          },
          cells: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/FleetCell',
            },
          },
        },
      },
      FleetCell: {
        type: 'object',
        additionalProperties: false,
        description: 'One environment of a fleet row.',
        required: ['environment', 'tag', 'status'],
        properties: {
          environment: {
            type: 'string',
          },
          tag: {
            type: 'string',
          },
          status: {
            $ref: '#/components/schemas/EnvironmentStatus',
          },
          digest: {
            type: 'string',
          },
          created: {
            type: 'string',
            description: 'When the image was built.',
          },
          since: {
            type: 'string',
            description:
              'Since when the environment runs this digest, as far as Berth saw.',
          },
          drift: {
            $ref: '#/components/schemas/EnvironmentDrift',
          },
          behind: {
            type: 'object',
            additionalProperties: false,
            description:
              'How far behind the environment before it: "3 builds behind staging for 9 days".',
            required: ['environment'],
            properties: {
              environment: {
                type: 'string',
              },
              builds: {
                type: 'integer',
                description:
                  'Digests the environment before ran since it ran this one.',
              },
              since: {
                type: 'string',
                description:
                  'Since when the environment before runs something newer.',
              },
            },
          },
        },
      },
      InboxItem: {
        type: 'object',
        additionalProperties: false,
        description:
          "A promotion waiting for the caller's approval, and its entity.",
        required: ['entityRef', 'promotion'],
        properties: {
          entityRef: {
            type: 'string',
          },
          promotion: {
            $ref: '#/components/schemas/PromotionInfo',
          },
        },
      },
      PromotionDecisionRequest: {
        type: 'object',
        additionalProperties: false,
        description:
          '`POST /entities/{kind}/{namespace}/{name}/promotions/{id}/approve` and `/reject`.',
        properties: {
          comment: {
            type: 'string',
            maxLength: 1000,
          },
        },
      },
      PromoteResponse: {
        description:
          'The answer to a promotion or rollback request: the plan of a dry run, or the promotion. A promotion to a protected environment comes back with status `pending-approval`.',
        oneOf: [
          {
            type: 'object',
            additionalProperties: false,
            required: ['dryRun', 'plan'],
            properties: {
              dryRun: {
                type: 'boolean',
                enum: [true],
              },
              plan: {
                $ref: '#/components/schemas/PromotionPlanInfo',
              },
            },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['dryRun', 'promotion'],
            properties: {
              dryRun: {
                type: 'boolean',
                enum: [false],
              },
              promotion: {
                $ref: '#/components/schemas/PromotionInfo',
              },
            },
          },
        ],
      },
    },
  },
} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
