import express from 'express';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createOpenApiRouter } from './schema/openapi.generated';
import { EntityImagesService } from './services/EntityImagesService';
import { ImagesService } from './services/ImagesService';
import { PromotionService } from './services/PromotionService';

/** The images API, as `src/schema/openapi.yaml` describes it: each route reads the caller and delegates. */
export async function createRouter(options: {
  images: ImagesService;
  entityImages: EntityImagesService;
  promotions: PromotionService;
  httpAuth: HttpAuthService;
}): Promise<express.Router> {
  const { images, entityImages, promotions, httpAuth } = options;
  const router = await createOpenApiRouter();

  const entityRef = (params: {
    kind: string;
    namespace: string;
    name: string;
  }) => stringifyEntityRef(params);

  router.get('/health', async (_req, res) => {
    res.json(await images.health());
  });

  router.post('/verify', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { image, tag } = req.body ?? {};
    if (typeof image !== 'string' || typeof tag !== 'string') {
      throw new InputError(
        'Expected a JSON body with "image" (a repository such as ghcr.io/owner/app) and "tag"',
      );
    }
    res.json(await images.verify({ image, tag }));
  });

  router.get('/entities/:kind/:namespace/:name/overview', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await entityImages.overview(entityRef(req.params), credentials));
  });

  router.get('/entities/:kind/:namespace/:name/tags', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { image, page, pageSize, sort, search, artifacts } = req.query;
    res.json(
      await entityImages.tags(entityRef(req.params), credentials, {
        image,
        page: page === undefined ? undefined : Number(page),
        pageSize: pageSize === undefined ? undefined : Number(pageSize),
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
      await entityImages.details(entityRef(req.params), credentials, {
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
        await promotions.approve(
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
        await promotions.reject(
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

  return router;
}
