import express from 'express';
import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createErrorHandler } from './errorHandler';
import {
  checkPathEncoding,
  entityPathError,
  entityRefFromParams as entityRef,
  integerQuery,
} from './requestParams';
import { createOpenApiRouter } from './schema/openapi.generated';
import { RegistryEventsService } from './events/RegistryEventsService';
import { FleetService } from './fleet/FleetService';
import { HoldService } from './holds/HoldService';
import { PromotionApprovalService } from './promotion/PromotionApprovalService';
import { PromotionService } from './promotion/PromotionService';
import { EnvironmentLanesService } from './tab/EnvironmentLanesService';
import { ImageDetailsService } from './tab/ImageDetailsService';
import { TagTableService } from './tab/TagTableService';
import { VerifyService } from './verify/VerifyService';

const EVENTS_MEDIA_TYPE = 'application/vnd.docker.distribution.events.v1+json';

/** The largest page number the tags route takes: far past the last page of the largest index. */
const MAX_PAGE = 1_000_000;

/** The images API, as `src/schema/openapi.yaml` describes it: each route reads the caller and delegates. */
export async function createRouter(options: {
  lanes: EnvironmentLanesService;
  tagTable: TagTableService;
  details: ImageDetailsService;
  promotions: PromotionService;
  approvals: PromotionApprovalService;
  verifier: VerifyService;
  holds: HoldService;
  fleet: FleetService;
  events: RegistryEventsService;
  httpAuth: HttpAuthService;
  logger: LoggerService;
}): Promise<express.Router> {
  const {
    lanes,
    tagTable,
    details,
    promotions,
    approvals,
    verifier,
    holds,
    fleet,
    events,
    httpAuth,
  } = options;
  // The exact bytes of each body: GitHub signs them, and a signature over re-serialised JSON would not match.
  const rawBodies = new WeakMap<express.Request, Buffer>();
  const router = await createOpenApiRouter({
    middleware: [
      // Registries post their events with the Distribution events media type.
      express.json({
        type: ['application/json', EVENTS_MEDIA_TYPE],
        verify: (req, _res, body) => {
          rawBodies.set(req as express.Request, body);
        },
      }),
      checkPathEncoding,
    ],
  });
  const delivery = (req: express.Request) => ({
    authorization: req.header('authorization'),
    signature: req.header('x-hub-signature-256'),
    token: typeof req.query.token === 'string' ? req.query.token : undefined,
    rawBody: rawBodies.get(req),
  });

  // Open to anyone (plugin.ts): says that Berth is up, and nothing of its configuration.
  router.get('/health', async (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Open to registries (plugin.ts): the service refuses a request without the registry's token.
  router.post('/events/:registry', async (req, res) => {
    res
      .status(202)
      .json(await events.receive(req.params.registry, delivery(req), req.body));
  });

  // Vendors' webhooks (GitHub packages, Quay, Docker Hub, Harbor), open to registries like the route above.
  router.post('/webhooks/:registry', async (req, res) => {
    res
      .status(202)
      .json(await events.receive(req.params.registry, delivery(req), req.body));
  });

  router.post('/verify', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { image, tag, entityRef: forEntity } = req.body ?? {};
    if (
      typeof image !== 'string' ||
      typeof tag !== 'string' ||
      (forEntity !== undefined && typeof forEntity !== 'string')
    ) {
      throw new InputError(
        'Expected a JSON body with "image" (a repository such as ghcr.io/owner/app), "tag", and optionally "entityRef"',
      );
    }
    res.json(
      await verifier.verify({ image, tag, entityRef: forEntity }, credentials),
    );
  });

  router.get('/approvals', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json({ items: await approvals.inbox(credentials) });
  });

  router.get('/fleet', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { q, owner, mine, system, kind, lifecycle, status, sort } = req.query;
    res.json(
      await fleet.fleet(credentials, {
        q,
        owner,
        mine: String(mine) === 'true',
        system,
        kind,
        lifecycle,
        status,
        sort,
        page: integerQuery(req.originalUrl, 'page', { min: 0, max: MAX_PAGE }),
        pageSize: integerQuery(req.originalUrl, 'pageSize', {
          min: 1,
          max: 500,
        }),
      }),
    );
  });

  router.get('/entities/:kind/:namespace/:name/overview', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await lanes.overview(entityRef(req.params), credentials));
  });

  router.get('/entities/:kind/:namespace/:name/tags', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { image, sort, search, artifacts } = req.query;
    res.json(
      await tagTable.tags(entityRef(req.params), credentials, {
        image,
        page: integerQuery(req.originalUrl, 'page', { min: 0, max: MAX_PAGE }),
        pageSize: integerQuery(req.originalUrl, 'pageSize', {
          min: 1,
          max: 100,
        }),
        sort,
        search,
        artifacts: String(artifacts) === 'true',
      }),
    );
  });

  router.get('/entities/:kind/:namespace/:name/details', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { image, digest } = req.query;
    res.json(
      await details.details(entityRef(req.params), credentials, {
        image,
        digest,
      }),
    );
  });

  router.get(
    '/entities/:kind/:namespace/:name/promotions',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      res.json({
        items: await promotions.history(entityRef(req.params), credentials),
      });
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/promotions',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      res.json(
        await promotions.promote(entityRef(req.params), credentials, req.body),
      );
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/promotions/:id',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      res.json(
        await promotions.get(entityRef(req.params), credentials, req.params.id),
      );
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/promotions/:id/approve',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      res.json(
        await approvals.approve(
          entityRef(req.params),
          credentials,
          req.params.id,
          req.body,
        ),
      );
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/promotions/:id/reject',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      res.json(
        await approvals.reject(
          entityRef(req.params),
          credentials,
          req.params.id,
          req.body,
        ),
      );
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/rollbacks',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      res.json(
        await promotions.rollback(entityRef(req.params), credentials, req.body),
      );
    },
  );

  router.post('/entities/:kind/:namespace/:name/holds', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await holds.hold(entityRef(req.params), credentials, req.body));
  });

  router.delete(
    '/entities/:kind/:namespace/:name/holds/:environment',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      res.json(
        await holds.release(
          entityRef(req.params),
          credentials,
          req.params.environment,
          typeof req.query.image === 'string' ? req.query.image : undefined,
        ),
      );
    },
  );

  // No route matches an entity path with an empty part: say which part, rather than a bare 404.
  router.use('/entities', req => {
    throw entityPathError(req.method, req.originalUrl);
  });

  router.use(createErrorHandler({ logger: options.logger }));
  return router;
}
