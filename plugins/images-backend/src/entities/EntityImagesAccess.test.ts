import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  imagesPromotePermission,
  imagesReadPermission,
} from '@berth/plugin-images-common';
import { createTestDatabases } from '@berth/plugin-images-backend-test-utils';
import { EntityImagesAccess, READ_MAX_AGE_MS } from './EntityImagesAccess';
import { RepositoryClaims } from './RepositoryClaims';

const ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'api',
    namespace: 'default',
    annotations: { 'berth.dev/images': 'ghcr.io/acme/api' },
  },
  spec: { type: 'service', owner: 'acme', lifecycle: 'production' },
};
const REF = 'component:default/api';
const ALICE = mockCredentials.user('user:default/alice');
const BOB = mockCredentials.user('user:default/bob');

// The Images tab asks for the overview and then the tags page: the second request reuses what the first was
// allowed to read (the entity and the decision), for the same caller and entity and a few seconds only.
describe('EntityImagesAccess: reads reused briefly per caller and entity', () => {
  const databases = createTestDatabases();
  afterAll(() => databases.stop());

  async function setup() {
    let now = 1_000_000;
    let decision: AuthorizeResult = AuthorizeResult.ALLOW;
    const getEntityByRef = jest.fn(async () => ENTITY);
    const authorize = jest.fn(async (requests: unknown[]) =>
      requests.map(() => ({ result: decision })),
    );
    const access = new EntityImagesAccess({
      catalog: { getEntityByRef } as unknown as CatalogService,
      permissions: { authorize, authorizeConditional: jest.fn() } as any,
      environments: [{ name: 'production', tag: 'latest' }],
      claims: new RepositoryClaims(await databases.open('SQLite')),
      now: () => now,
    });
    const read = (credentials = ALICE, options?: { fresh?: boolean }) =>
      access.authorize(
        REF,
        credentials,
        imagesReadPermission,
        'read the images of',
        options,
      );
    return {
      access,
      read,
      getEntityByRef,
      authorize,
      advance: (ms: number) => {
        now += ms;
      },
      deny: () => {
        decision = AuthorizeResult.DENY;
      },
      allow: () => {
        decision = AuthorizeResult.ALLOW;
      },
    };
  }

  it('reads the entity and asks for the permission once for two reads in a row by the same user', async () => {
    const t = await setup();
    const first = await t.read();
    t.advance(READ_MAX_AGE_MS - 1);
    const second = await t.read();
    expect(second).toBe(first);
    expect(t.getEntityByRef).toHaveBeenCalledTimes(1);
    expect(t.authorize).toHaveBeenCalledTimes(1);
    expect(first.images.map(i => i.repository)).toEqual(['acme/api']);
  });

  it('asks again for another user, after the window, and when asked for a fresh read', async () => {
    const t = await setup();
    await t.read(ALICE);
    await t.read(BOB);
    expect(t.authorize).toHaveBeenCalledTimes(2);
    t.advance(READ_MAX_AGE_MS);
    await t.read(ALICE);
    expect(t.authorize).toHaveBeenCalledTimes(3);
    await t.read(ALICE, { fresh: true });
    expect(t.authorize).toHaveBeenCalledTimes(4);
    expect(t.getEntityByRef).toHaveBeenCalledTimes(4);
  });

  it('keeps no denial: access granted a moment later is seen at once, access revoked within the window', async () => {
    const t = await setup();
    t.deny();
    await expect(t.read()).rejects.toThrow(NotAllowedError);
    t.allow();
    await expect(t.read()).resolves.toBeDefined();
    expect(t.authorize).toHaveBeenCalledTimes(2);
    // Revoked: reads within the window are still served (at most READ_MAX_AGE_MS), then refused.
    t.deny();
    await expect(t.read()).resolves.toBeDefined();
    t.advance(READ_MAX_AGE_MS);
    await expect(t.read()).rejects.toThrow(NotAllowedError);
  });

  it('never reuses other permissions (promotion is asked every time)', async () => {
    const t = await setup();
    for (let i = 0; i < 2; i++) {
      await t.access.authorize(
        REF,
        ALICE,
        imagesPromotePermission,
        'promote the images of',
      );
    }
    expect(t.authorize).toHaveBeenCalledTimes(2);
  });
});
