import express from 'express';
import Router from 'express-promise-router';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ImagesService } from './services/ImagesService';

export async function createRouter(options: {
  images: ImagesService;
  httpAuth: HttpAuthService;
}): Promise<express.Router> {
  const { images, httpAuth } = options;
  const router = Router();
  router.use(express.json());

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

  return router;
}
