import { DefaultApiClient } from './generated';

function setup() {
  const requests: Array<{ url: string; init?: RequestInit }> = [];
  const client = new DefaultApiClient({
    discoveryApi: {
      getBaseUrl: async pluginId => `http://backstage.test/api/${pluginId}`,
    },
    fetchApi: {
      fetch: async (input, init) => {
        requests.push({ url: String(input), init });
        return new Response('{"ok":true}', {
          headers: { 'content-type': 'application/json' },
        });
      },
    },
  });
  return { client, requests };
}

const path = { kind: 'component', namespace: 'team a', name: 'api/v2' };

describe('DefaultApiClient (generated from openapi.yaml)', () => {
  it('encodes each path parameter and sends no content type without a body', async () => {
    const { client, requests } = setup();
    const response = await client.getPromotion({
      path: { ...path, id: 'p 1' },
    });
    await expect(response.json()).resolves.toEqual({ ok: true });
    expect(requests).toEqual([
      {
        url: 'http://backstage.test/api/images/entities/component/team%20a/api%2Fv2/promotions/p%201',
        init: { method: 'GET', headers: {} },
      },
    ]);
  });

  it('writes the query in the order of the spec, leaving out what is not given', async () => {
    const { client, requests } = setup();
    await client.getEntityTags({
      path,
      query: { artifacts: false, page: 0, image: 'ghcr.io/bxtech/dotca' },
    });
    await client.getEntityTags({ path });
    expect(requests.map(r => r.url.split('?')[1])).toEqual([
      'image=ghcr.io%2Fbxtech%2Fdotca&page=0&artifacts=false',
      undefined,
    ]);
  });

  it('posts the body as JSON, with the token when one is given', async () => {
    const { client, requests } = setup();
    await client.verify(
      { body: { image: 'ghcr.io/bxtech/dotca', tag: 'v1' } },
      { token: 'secret' },
    );
    expect(requests[0].init).toEqual({
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: 'Bearer secret',
      },
      body: '{"image":"ghcr.io/bxtech/dotca","tag":"v1"}',
    });
  });
});
