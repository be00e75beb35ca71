// Generated from openapi.yaml by `yarn generate:openapi` (plugins/images-backend/scripts/generate-openapi.js).
// Do not edit: edit openapi.yaml and generate again.
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
      Health: {
        type: 'object',
        additionalProperties: false,
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
        required: ['reference', 'status'],
        properties: {
          reference: {
            type: 'string',
          },
          status: {
            type: 'string',
            enum: ['GREEN', 'RED'],
          },
          digest: {
            type: 'string',
          },
        },
      },
      ImageSource: {
        type: 'object',
        additionalProperties: false,
        properties: {
          repository: {
            type: 'string',
          },
          revision: {
            type: 'string',
          },
          commitUrl: {
            type: 'string',
          },
        },
      },
      ImageSummary: {
        type: 'object',
        additionalProperties: false,
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
          },
          tags: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
        },
      },
      EnvironmentLane: {
        type: 'object',
        additionalProperties: false,
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
            type: 'string',
            enum: ['GREEN', 'RED', 'GREY'],
          },
          digest: {
            type: 'string',
          },
          image: {
            $ref: '#/components/schemas/ImageSummary',
          },
          drift: {
            type: 'string',
            enum: ['same', 'behind', 'ahead', 'different'],
          },
          message: {
            type: 'string',
          },
          repository: {
            type: 'string',
            description:
              "The repository the environment's tag lives in, when not the image's own.",
          },
        },
      },
      ImagesErrorInfo: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'message'],
        properties: {
          kind: {
            type: 'string',
            description:
              'A registry error kind, InputError, or claim-refused (the entity may not claim the repository).',
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
          'A repository several entities name, with no images.repositoryOwners entry to decide.',
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
              'Who approves promotions asked from the other entities.',
          },
        },
      },
      ImageOverview: {
        type: 'object',
        additionalProperties: false,
        required: ['image', 'registry', 'repository', 'environments'],
        properties: {
          image: {
            type: 'string',
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
        },
      },
      EntityImagesOverview: {
        type: 'object',
        additionalProperties: false,
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
      TagInfo: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'kind'],
        properties: {
          name: {
            type: 'string',
          },
          kind: {
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
          },
        },
      },
      TagRow: {
        type: 'object',
        additionalProperties: false,
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
          },
          error: {
            type: 'string',
            description:
              'Why the digest cannot be described (malformed manifest or config).',
          },
        },
      },
      TagIndexState: {
        type: 'object',
        additionalProperties: false,
        required: ['totalTags', 'resolvedTags', 'complete', 'truncated'],
        properties: {
          totalTags: {
            type: 'integer',
          },
          resolvedTags: {
            type: 'integer',
          },
          complete: {
            type: 'boolean',
          },
          listedAt: {
            type: 'string',
          },
          truncated: {
            type: 'boolean',
          },
          listing: {
            type: 'boolean',
            description:
              'The first listing of the repository is still going; more tags will appear.',
          },
        },
      },
      TagPage: {
        type: 'object',
        additionalProperties: false,
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
            type: 'string',
            enum: ['created', 'version', 'name'],
          },
          index: {
            $ref: '#/components/schemas/TagIndexState',
          },
        },
      },
      LayerInfo: {
        type: 'object',
        additionalProperties: false,
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
          },
        },
      },
      PromotionInfo: {
        type: 'object',
        additionalProperties: false,
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
            type: 'string',
            enum: [
              'pending-approval',
              'running',
              'succeeded',
              'failed',
              'rejected',
            ],
          },
          requestedBy: {
            type: 'string',
          },
          reason: {
            type: 'string',
          },
          source: {
            type: 'string',
          },
          sourceDigest: {
            type: 'string',
          },
          previousDigest: {
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
          gates: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/GateResultInfo',
            },
          },
          forced: {
            type: 'boolean',
          },
          decidedBy: {
            type: 'string',
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
              'A retry - the earlier attempt whose work this one finished.',
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
              'Who must approve it, when not anyone with the approve permission.',
          },
          createdAt: {
            type: 'string',
          },
          finishedAt: {
            type: 'string',
          },
        },
      },
      PromotionPlanInfo: {
        type: 'object',
        additionalProperties: false,
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
          },
          approvers: {
            type: 'array',
            items: {
              type: 'string',
            },
            description:
              'Owners of the entity that claimed a contested repository first, who must approve.',
          },
        },
      },
      PromoteRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['environment', 'source', 'reason'],
        properties: {
          image: {
            type: 'string',
            maxLength: 512,
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
          },
          force: {
            type: 'boolean',
          },
          dryRun: {
            type: 'boolean',
          },
        },
      },
      RollbackRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['environment', 'reason'],
        properties: {
          image: {
            type: 'string',
            maxLength: 512,
          },
          environment: {
            type: 'string',
            maxLength: 64,
          },
          target: {
            type: 'string',
            maxLength: 200,
            description:
              'A rollback tag or digest; the previous digest when omitted.',
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
      PromotionDecisionRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          comment: {
            type: 'string',
            maxLength: 1000,
          },
        },
      },
      GateResultInfo: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'passed', 'message'],
        properties: {
          id: {
            type: 'string',
          },
          passed: {
            type: 'boolean',
          },
          message: {
            type: 'string',
          },
        },
      },
      PromoteResponse: {
        type: 'object',
        additionalProperties: false,
        required: ['dryRun'],
        properties: {
          dryRun: {
            type: 'boolean',
          },
          plan: {
            $ref: '#/components/schemas/PromotionPlanInfo',
          },
          promotion: {
            $ref: '#/components/schemas/PromotionInfo',
          },
        },
      },
    },
  },
} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
