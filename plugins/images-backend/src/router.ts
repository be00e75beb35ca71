import express from 'express';
import Router from 'express-promise-router';
import { ImagesService } from './services/ImagesService';

export async function createRouter(options: { images: ImagesService }): Promise<express.Router> {
  const { images } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', async (_req, res) => {
    res.json(await images.health());
  });

  return router;
}
