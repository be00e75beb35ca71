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
  const discoveryApi: DiscoveryApi = {
    getBaseUrl: async pluginId => `http://backstage.test/api/${pluginId}`,
  };
  const fetchApi: FetchApi = {
    fetch: async input => {
      urls.push(String(input));
      return response();
    },
  };
  return { client: new ImagesClient({ discoveryApi, fetchApi }), urls };
}

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
});
