import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import { createErrorHandler } from './errorHandler';
import { imagesPlugin } from './plugin';
import { RegistryError } from './registry';
import {
  createTestDatabases,
  findFreePort,
} from '@berth/plugin-images-backend-test-utils';

interface LogLine {
  level: string;
  message: string;
  error?: unknown;
}

/** A logger that keeps what it is told. */
function recordingLogger(lines: LogLine[]): LoggerService {
  const at =
    (level: string) =>
    (message: string, meta?: Error | Record<string, unknown>) => {
      lines.push({ level, message, error: meta });
    };
  const logger: LoggerService = {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: () => logger,
  };
  return logger;
}

/** What no error body may carry. */
function expectNothingInternal(body: unknown) {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(
    /cause|stack|127\.0\.0\.1|ECONNREFUSED|select |SQLITE|images_promotions/i,
  );
}

// The images router's error middleware: Backstage's error JSON with the caller's status and sentence, nothing nested.
describe('images error responses', () => {
  describe('the middleware', () => {
    function app(error: unknown, options: { showStackTraces?: boolean } = {}) {
      const lines: LogLine[] = [];
      const router = Router();
      router.get('/fail', async () => {
        throw error;
      });
      router.use(
        createErrorHandler({ logger: recordingLogger(lines), ...options }),
      );
      return { server: express().use(router), lines };
    }

    it.each([
      [
        'InputError',
        new InputError('Bad tag', new Error('at 10.0.0.5:443')),
        400,
      ],
      ['AuthenticationError', new AuthenticationError('Who are you?'), 401],
      [
        'NotAllowedError',
        new NotAllowedError('You may not', new Error('policy')),
        403,
      ],
      [
        'NotFoundError',
        new NotFoundError('No entity component:default/x'),
        404,
      ],
      [
        'ConflictError',
        new ConflictError('staging moved', new Error('row 7')),
        409,
      ],
    ])(
      'keeps the status and message of a %s, without its cause',
      async (_, error, status) => {
        const { server, lines } = app(error);
        const response = await request(server).get('/fail');
        expect(response.status).toBe(status);
        expect(response.body).toEqual({
          error: { name: error.name, message: error.message },
          request: { method: 'GET', url: '/fail' },
          response: { statusCode: status },
        });
        expect(lines).toEqual([]);
      },
    );

    it("keeps a registry error's status and sentence, not the socket error under it", async () => {
      const cause = Object.assign(
        new Error('connect ECONNREFUSED 127.0.0.1:5999'),
        { code: 'ECONNREFUSED' },
      );
      const { server, lines } = app(
        new RegistryError(
          'unreachable',
          'ghcr.io',
          'ghcr.io refused the connection while Berth was reading bxtech/dotca:staging',
          { cause: new TypeError('fetch failed', { cause }) },
        ),
      );
      const response = await request(server).get('/fail');
      expect(response.status).toBe(503);
      expect(response.body.error).toEqual({
        name: 'RegistryError',
        message:
          'ghcr.io refused the connection while Berth was reading bxtech/dotca:staging',
      });
      expectNothingInternal(response.body);
      expect(lines.map(l => l.level)).toEqual(['warn']);
    });

    it.each([
      [
        'a TypeError',
        new TypeError("Cannot read properties of undefined (reading 'digest')"),
      ],
      [
        'a database error with SQL',
        Object.assign(
          new Error(
            'select * from `images_promotions` - SQLITE_ERROR: no such table',
          ),
          { code: 'SQLITE_ERROR', cause: new Error('at 127.0.0.1:5432') },
        ),
      ],
      [
        'an upstream error that carries a status',
        Object.assign(
          new Error('Request failed with 404 Not Found: {"internal":1}'),
          {
            statusCode: 404,
            name: 'ResponseError',
          },
        ),
      ],
      ['a thrown string', 'boom'],
    ])('answers %s with a generic 500, logged with an id', async (_, error) => {
      const { server, lines } = app(error);
      const response = await request(server).get('/fail');
      expect(response.status).toBe(500);
      expect(response.body.error.name).toBe('Error');
      expect(response.body.error.message).toMatch(
        /^The images backend failed to answer this request; its log has the details \(logId=[0-9a-f]{16}\)$/,
      );
      expectNothingInternal(response.body);
      expect(response.body.error.message).not.toContain('undefined');
      expect(response.body.error.message).not.toContain('{"internal"');
      const [line] = lines;
      expect(lines).toHaveLength(1);
      expect(line.level).toBe('error');
      expect(line.message).toContain(
        response.body.error.message.match(/logId=\w+/)![0],
      );
      expect(String(line.error)).toContain(
        typeof error === 'string' ? error : (error as Error).message,
      );
    });

    it('adds the stack only in development mode', async () => {
      const error = new InputError('Bad tag');
      const dev = await request(
        app(error, { showStackTraces: true }).server,
      ).get('/fail');
      expect(dev.body.error.stack).toContain('InputError: Bad tag');
      const prod = await request(
        app(error, { showStackTraces: false }).server,
      ).get('/fail');
      expect(prod.body.error.stack).toBeUndefined();
    });
  });

  describe('in the plugin', () => {
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'dotca',
        namespace: 'default',
        annotations: { 'berth.dev/images': 'ghcr.io/bxtech/dotca' },
      },
      spec: { type: 'service', owner: 'bxtech', lifecycle: 'production' },
    };
    const databases = createTestDatabases();
    afterAll(() => databases.stop());

    async function backend(options: {
      registryPort: number;
      lines: LogLine[];
    }) {
      const knex = await databases.open('SQLite');
      const { server } = await startTestBackend({
        features: [
          imagesPlugin,
          mockServices.database.factory({ knex }),
          catalogServiceMock.factory({ entities: [entity] }),
          createServiceFactory({
            service: coreServices.logger,
            deps: {},
            factory: () => recordingLogger(options.lines),
          }),
          mockServices.rootConfig.factory({
            data: {
              images: {
                registries: [
                  {
                    host: 'ghcr.io',
                    endpoint: `http://127.0.0.1:${options.registryPort}`,
                    insecure: true,
                    maxAttempts: 1,
                    credentials: {
                      username: 'bot',
                      password: 'super-secret-token',
                    },
                  },
                ],
                index: { refreshMinutes: 600 },
              },
            },
          }),
        ],
      });
      return { server, knex };
    }

    it('answers a database failure with a generic 500 and logs the database error', async () => {
      const lines: LogLine[] = [];
      const { server, knex } = await backend({
        registryPort: await findFreePort(),
        lines,
      });
      await knex.schema.dropTable('images_promotions');
      const response = await request(server).get(
        '/api/images/entities/component/default/dotca/promotions',
      );
      expect(response.status).toBe(500);
      expect(response.body.error.message).toMatch(/logId=[0-9a-f]{16}/);
      expectNothingInternal(response.body);
      const logged = lines.find(l => l.level === 'error');
      expect(String(logged?.error)).toMatch(/images_promotions/);
    });

    it('answers an unreachable registry with its status and sentence, not the socket address', async () => {
      const lines: LogLine[] = [];
      const port = await findFreePort();
      const { server } = await backend({ registryPort: port, lines });
      const response = await request(server)
        .post('/api/images/verify')
        .send({ image: 'ghcr.io/bxtech/dotca', tag: 'staging' });
      expect(response.status).toBe(503);
      expect(response.body.error.message).toMatch(
        /^ghcr.io refused the connection/,
      );
      expectNothingInternal(response.body);
      expect(JSON.stringify(response.body)).not.toContain(String(port));
      expect(JSON.stringify(lines)).not.toContain('super-secret-token');
    });

    it('answers malformed JSON with a 400', async () => {
      const { server } = await backend({
        registryPort: await findFreePort(),
        lines: [],
      });
      const response = await request(server)
        .post('/api/images/verify')
        .set('content-type', 'application/json')
        .send('{"image": ');
      expect(response.status).toBe(400);
      expect(response.body.error.name).toBe('InputError');
    });
  });
});
