import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ImagesClient } from './ImagesClient';

function jsonResponse(body: unknown, status = 200, statusText = 'OK') {
  return new Response(JSON.stringify(body), {
    status,
    statusText,
    headers: { 'content-type': 'application/json' },
  });
}

function setup(response: () => Response = () => jsonResponse({})) {
  const urls: string[] = [];
  const requests: Array<{
    url: string;
    method: string;
    contentType?: string;
    body?: unknown;
  }> = [];
  const discoveryApi: DiscoveryApi = {
    getBaseUrl: async pluginId => `http://backstage.test/api/${pluginId}`,
  };
  const fetchApi: FetchApi = {
    fetch: async (input, init) => {
      urls.push(String(input));
      requests.push({
        url: String(input),
        method: init?.method ?? 'GET',
        contentType:
          new Headers(init?.headers).get('content-type') ?? undefined,
        body: init?.body ? JSON.parse(String(init.body)) : undefined,
      });
      return response();
    },
  };
  return {
    client: new ImagesClient({ discoveryApi, fetchApi }),
    urls,
    requests,
  };
}

const PROMOTIONS_URL =
  'http://backstage.test/api/images/entities/component/default/dotca/promotions';

const promotion = {
  id: 'p 1/2',
  image: 'ghcr.io/bxtech/dotca',
  environment: 'production',
  kind: 'promotion',
  status: 'pending-approval',
  requestedBy: 'user:default/alice',
  reason: 'release 1.3',
  source: 'v1.3.0',
  tags: ['latest', 'main'],
  gates: [],
  forced: false,
  createdAt: '2026-05-01T10:00:00.000Z',
};

describe('ImagesClient', () => {
  const ref = { kind: 'Component', namespace: 'default', name: 'dotca' };

  it('reads the overview of an entity', async () => {
    const body = { entityRef: 'component:default/dotca', images: [] };
    const { client, urls } = setup(() => jsonResponse(body));
    await expect(client.getOverview(ref)).resolves.toEqual(body);
    expect(urls).toEqual([
      'http://backstage.test/api/images/entities/component/default/dotca/overview',
    ]);
  });

  it('encodes every part of the entity reference', async () => {
    const { client, urls } = setup();
    await client.getOverview({
      kind: 'Component',
      namespace: 'team a',
      name: 'api/v2?x',
    });
    await client.getOverview('system:the-shop');
    expect(urls).toEqual([
      'http://backstage.test/api/images/entities/component/team%20a/api%2Fv2%3Fx/overview',
      'http://backstage.test/api/images/entities/system/default/the-shop/overview',
    ]);
  });

  it('passes paging, sorting, search and artefacts to the tags endpoint', async () => {
    const { client, urls } = setup();
    await client.getTags(ref, {
      image: 'ghcr.io/bxtech/dotca',
      page: 2,
      pageSize: 20,
      sort: 'version',
      search: 'v1.2 &x',
      artifacts: false,
    });
    await client.getTags(ref, { image: 'localhost:5000/acme/api' });
    const first = new URL(urls[0]);
    expect(first.pathname).toBe(
      '/api/images/entities/component/default/dotca/tags',
    );
    expect(Object.fromEntries(first.searchParams)).toEqual({
      image: 'ghcr.io/bxtech/dotca',
      page: '2',
      pageSize: '20',
      sort: 'version',
      search: 'v1.2 &x',
      artifacts: 'false',
    });
    expect(urls[1]).toBe(
      'http://backstage.test/api/images/entities/component/default/dotca/tags?image=localhost%3A5000%2Facme%2Fapi',
    );
  });

  it('asks for the details of one digest', async () => {
    const { client, urls } = setup();
    const digest = `sha256:${'a'.repeat(64)}`;
    await client.getDetails(ref, { image: 'ghcr.io/bxtech/dotca', digest });
    expect(urls[0]).toBe(
      `http://backstage.test/api/images/entities/component/default/dotca/details?image=ghcr.io%2Fbxtech%2Fdotca&digest=sha256%3A${'a'.repeat(
        64,
      )}`,
    );
  });

  it("turns an error response into a ResponseError with the backend's message", async () => {
    const { client } = setup(() =>
      jsonResponse(
        {
          error: {
            name: 'InputError',
            message:
              'ghcr.io/bxtech/other is not an image of component:default/dotca',
          },
          request: {
            method: 'GET',
            url: '/entities/component/default/dotca/tags',
          },
          response: { statusCode: 400 },
        },
        400,
        'Bad Request',
      ),
    );
    const error = await client
      .getTags(ref, { image: 'ghcr.io/bxtech/other' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(400);
    expect(error.cause.name).toBe('InputError');
    expect(error.cause.message).toBe(
      'ghcr.io/bxtech/other is not an image of component:default/dotca',
    );
  });

  it('reads the promotion history and one promotion', async () => {
    const { client, requests } = setup(() =>
      jsonResponse({ items: [promotion] }),
    );
    await expect(client.getPromotions(ref)).resolves.toEqual([promotion]);
    await client.getPromotion(ref, 'p 1/2');
    expect(requests).toEqual([
      { url: PROMOTIONS_URL, method: 'GET' },
      { url: `${PROMOTIONS_URL}/p%201%2F2`, method: 'GET' },
    ]);
  });

  it('posts promotions and rollbacks as JSON and returns the plan or the promotion', async () => {
    const plan = {
      image: 'ghcr.io/bxtech/dotca',
      environment: 'staging',
      sourceDigest: `sha256:${'b'.repeat(64)}`,
      tags: ['staging'],
      noChange: false,
      gates: [],
      needsApproval: false,
    };
    const { client, requests } = setup(() =>
      jsonResponse({ dryRun: true, plan }),
    );
    const promoteRequest = {
      image: 'ghcr.io/bxtech/dotca',
      environment: 'staging',
      source: 'v1.3.0',
      reason: 'release 1.3',
      expectedCurrentDigest: `sha256:${'a'.repeat(64)}`,
      dryRun: true,
    };
    await expect(client.promote(ref, promoteRequest)).resolves.toEqual({
      dryRun: true,
      plan,
    });
    const rollbackRequest = {
      environment: 'staging',
      reason: 'v1.3.0 breaks checkout',
      force: true,
    };
    await client.rollback(ref, rollbackRequest);
    expect(requests).toEqual([
      {
        url: PROMOTIONS_URL,
        method: 'POST',
        contentType: 'application/json',
        body: promoteRequest,
      },
      {
        url: 'http://backstage.test/api/images/entities/component/default/dotca/rollbacks',
        method: 'POST',
        contentType: 'application/json',
        body: rollbackRequest,
      },
    ]);
  });

  it('approves and rejects a promotion with a comment', async () => {
    const { client, requests } = setup(() =>
      jsonResponse({ ...promotion, status: 'succeeded' }),
    );
    await expect(
      client.approvePromotion(ref, 'p 1/2', 'looks good'),
    ).resolves.toMatchObject({ status: 'succeeded' });
    await client.rejectPromotion(ref, 'p 1/2', 'not during the freeze');
    await client.approvePromotion(ref, 'p 1/2');
    expect(requests).toEqual([
      {
        url: `${PROMOTIONS_URL}/p%201%2F2/approve`,
        method: 'POST',
        contentType: 'application/json',
        body: { comment: 'looks good' },
      },
      {
        url: `${PROMOTIONS_URL}/p%201%2F2/reject`,
        method: 'POST',
        contentType: 'application/json',
        body: { comment: 'not during the freeze' },
      },
      {
        url: `${PROMOTIONS_URL}/p%201%2F2/approve`,
        method: 'POST',
        contentType: 'application/json',
        body: {},
      },
    ]);
  });

  it('turns a refused promotion into a ResponseError that keeps the conflict', async () => {
    const { client } = setup(() =>
      jsonResponse(
        {
          error: {
            name: 'ConflictError',
            message:
              'staging moved to sha256:cccc while you looked: reload and try again',
          },
          request: {
            method: 'POST',
            url: '/entities/component/default/dotca/promotions',
          },
          response: { statusCode: 409 },
        },
        409,
        'Conflict',
      ),
    );
    const error = await client
      .promote(ref, { environment: 'staging', source: 'v1', reason: 'x' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.cause.message).toBe(
      'staging moved to sha256:cccc while you looked: reload and try again',
    );
  });
});
