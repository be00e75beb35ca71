import { BackendFeature, ServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import imagesPlugin, { RegistryClient } from '@berth/plugin-images-backend';
import {
  pushTestImage,
  RunningRegistry,
  startRegistry,
} from '@berth/plugin-images-backend-test-utils';
import type { PromotionInfo } from '@berth/plugin-images-common';
import { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import yaml from 'yaml';
import { PromotionActionOptions } from '../promotionStep';

/** The API path of the test entity. */
export const DOTCA = '/entities/component/default/dotca';

/** Who approves in the tests: not the user the actions run for (`user:default/mock`). */
export const APPROVER = 'user:default/approver';

/**
 * A real images backend (entity from an in-memory catalog, default environments: staging, and production which is
 * protected on `latest`) promoting in a real registry standing in for ghcr.io. `old` carries v1, staging and
 * latest; `new` carries v2.
 */
export async function startImagesTestBackend(
  options: {
    /** More of the `images` configuration, such as `promotion.validation`. */
    images?: Record<string, unknown>;
    /** The permissions service (default: everything allowed). */
    permissions?: ServiceFactory;
    /** More features in the same backend, such as the scaffolder and this module. */
    features?: BackendFeature[];
  } = {},
) {
  const registry: RunningRegistry = await startRegistry();
  const direct = new RegistryClient({
    host: registry.host,
    baseUrl: registry.url,
  });
  // One push at a time: concurrent pushes of a shared config blob can fail with DIGEST_INVALID.
  const digests = {
    old: await pushTestImage(
      direct,
      'bxtech/dotca',
      ['v1', 'staging', 'latest'],
      { layer: 'v1' },
    ),
    new: await pushTestImage(direct, 'bxtech/dotca', ['v2'], { layer: 'v2' }),
  };
  const { server }: { server: Server } = await startTestBackend({
    features: [
      imagesPlugin,
      ...(options.features ?? []),
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'dotca',
              namespace: 'default',
              annotations: { 'berth.dev/images': 'ghcr.io/bxtech/dotca' },
            },
            spec: { type: 'website', owner: 'bxtech', lifecycle: 'production' },
          },
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          images: {
            registries: [
              { host: 'ghcr.io', endpoint: registry.url, insecure: true },
            ],
            index: { refreshMinutes: 600 },
            ...options.images,
          },
        },
      }),
      options.permissions ??
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    ],
  });
  const { port } = server.address() as { port: number };
  const baseUrl = `http://localhost:${port}/api/images`;

  /** Calls the images API as a user, as the Images tab would. */
  async function api<T>(
    path: string,
    request: { as?: string; body?: unknown } = {},
  ): Promise<T> {
    const response = await fetch(`${baseUrl}${path}`, {
      method: request.body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: mockCredentials.user.header(request.as),
        'content-type': 'application/json',
      },
      body:
        request.body === undefined ? undefined : JSON.stringify(request.body),
    });
    if (!response.ok) {
      throw new Error(
        `${request.body === undefined ? 'GET' : 'POST'} ${path}: ${
          response.status
        } ${await response.text()}`,
      );
    }
    return (await response.json()) as T;
  }

  /**
   * Starts a step that should wait for an approval, and returns the promotion it created once the step itself has
   * said it waits (the backend lists the promotion a moment before the step reads the answer); fails at once if the
   * step ends first. The context must come from `mockContext`, whose logger records its messages.
   */
  async function startWaitingStep(
    ctx: { logger: unknown },
    run: () => Promise<void>,
  ) {
    const info = (ctx.logger as { info: jest.Mock }).info;
    const step = run();
    let outcome: { error?: unknown } | undefined;
    step.then(
      () => {
        outcome = {};
      },
      error => {
        outcome = { error };
      },
    );
    for (let attempt = 0; attempt < 400; attempt++) {
      const waiting = info.mock.calls
        .map(([message]) => String(message))
        .find(message => message.includes(' is waiting for approval '));
      const id = waiting?.match(/ ([0-9a-f-]{36}) is waiting/)?.[1];
      if (id) {
        const pending = await api<PromotionInfo>(`${DOTCA}/promotions/${id}`);
        return { pending, step };
      }
      if (outcome) {
        throw outcome.error ?? new Error('The step ended without waiting');
      }
      await sleep(25);
    }
    throw new Error('The step never said it waits for an approval');
  }

  const actionOptions: PromotionActionOptions = {
    discovery: {
      getBaseUrl: async () => baseUrl,
      getExternalBaseUrl: async () => '',
    },
    auth: mockServices.auth(),
    approvalPollIntervalMs: 50,
  };

  return {
    server,
    direct,
    digests,
    actionOptions,
    api,
    startWaitingStep,
    /** What the registry says a tag of the test image points at. */
    resolve: (tag: string) => direct.resolveDigest('bxtech/dotca', tag),
    stop: () => registry.stop(),
  };
}

export type ImagesTestBackend = Awaited<
  ReturnType<typeof startImagesTestBackend>
>;

/** What is wrong with the examples of an action: not its steps, missing inputs, inputs its schema does not accept. */
export function exampleProblems(
  action: { id: string; schema?: { input?: unknown } },
  examples: Array<{ description: string; example: string }>,
): string[] {
  const schema = action.schema?.input as {
    properties: Record<string, { type?: string }>;
    required?: string[];
  };
  const problems: string[] = [];
  for (const { description, example } of examples) {
    const [step] = yaml.parse(example).steps;
    if (step.action !== action.id) {
      problems.push(`${description}: runs ${step.action}`);
    }
    for (const name of schema.required ?? []) {
      if (!(name in step.input)) problems.push(`${description}: no ${name}`);
    }
    for (const [name, value] of Object.entries(step.input)) {
      const declared = schema.properties[name];
      if (!declared) {
        problems.push(`${description}: unknown input ${name}`);
      } else if (
        // A template expression is rendered before validation; anything else must have the declared type.
        !/^\$\{\{.*\}\}$/.test(String(value)) &&
        typeof value !== declared.type
      ) {
        problems.push(`${description}: ${name} is not a ${declared.type}`);
      }
    }
  }
  return problems;
}

/**
 * An action context for these actions, with a logger that records its messages, and no workspace: one path for all rather than a mock directory (and a
 * process exit listener) per context.
 */
export const mockContext: typeof createMockActionContext = options =>
  createMockActionContext({
    logger: mockServices.logger.mock(),
    ...options,
    workspacePath: tmpdir(),
  });
