import { RegistryCredentialProvider } from '../credentials/types';
import { RegistryError } from '../errors';
import { registryFlavor } from '../flavors';
import { PriorityLimit } from '../PriorityLimit';
import { RetryPolicy } from '../retries';
import { RegistryRequest, ResolvedEndpoint } from '../types';
import { RegistryAuthenticator } from './RegistryAuthenticator';

// The scheme a challenge names, without a registry: Bearer's token flow is in BearerAuth.test.ts.
describe('RegistryAuthenticator', () => {
  const authenticator = (credentials?: RegistryCredentialProvider) => {
    const endpoint: ResolvedEndpoint = {
      host: 'registry.example',
      baseUrl: 'https://registry.example',
      flavor: registryFlavor('registry.example'),
      credentials,
    };
    return new RegistryAuthenticator({
      endpoint,
      origin: 'https://registry.example',
      limit: new PriorityLimit(1),
      retries: new RetryPolicy(endpoint),
    });
  };
  const request = (extra: Partial<RegistryRequest> = {}): RegistryRequest => ({
    method: 'GET',
    path: '/v2/acme/app/tags/list',
    what: 'the tags of acme/app',
    repository: 'acme/app',
    scopes: ['repository:acme/app:pull'],
    ...extra,
  });
  const ci = {
    getCredentials: async () => ({ username: 'ci', password: 'pw' }),
  };
  const basic = `Basic ${Buffer.from('ci:pw').toString('base64')}`;
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (error: RegistryError) => error,
    );

  it('sends nothing until the registry challenges, then what the challenge names', async () => {
    const auth = authenticator(ci);
    expect(await auth.authorization(request())).toBeUndefined();
    await auth.answer('Basic realm="registry"', request(), undefined);
    expect(await auth.authorization(request())).toBe(basic);
  });

  it('sends the credentials as Basic to a vendor API, before any challenge', async () => {
    expect(
      await authenticator(ci).authorization(request({ vendorApi: 'basic' })),
    ).toBe(basic);
    expect(
      await authenticator().authorization(request({ vendorApi: 'basic' })),
    ).toBeUndefined();
  });

  it('sends the API token, else the password, as Bearer to a vendor API that takes tokens, and nothing for none', async () => {
    expect(
      await authenticator(ci).authorization(request({ vendorApi: 'bearer' })),
    ).toBe('Bearer pw');
    const withToken = new RegistryAuthenticator({
      endpoint: {
        host: 'quay.example',
        baseUrl: 'https://quay.example',
        flavor: registryFlavor('quay.example', 'quay'),
        credentials: ci,
        api: { token: 'oauth-app-token' },
      },
      origin: 'https://quay.example',
      limit: new PriorityLimit(1),
      retries: new RetryPolicy({ host: 'quay.example', baseUrl: '' }),
    });
    expect(
      await withToken.authorization(request({ vendorApi: 'bearer' })),
    ).toBe('Bearer oauth-app-token');
    expect(
      await authenticator(ci).authorization(request({ vendorApi: 'none' })),
    ).toBeUndefined();
  });

  it('asks the provider for fresh credentials once the ones it sent were refused', async () => {
    const invalidate = jest.fn();
    const auth = authenticator({ ...ci, invalidate });
    await auth.answer('Basic realm="registry"', request(), basic);
    expect(invalidate).toHaveBeenCalledTimes(1);

    const error = await refusal(
      authenticator(ci).answer('Basic realm="registry"', request(), basic),
    );
    expect(error.message).toBe(
      'registry.example refused the credentials for acme/app: check the user name and password configured for it',
    );
  });

  it('says credentials are needed for a Basic challenge when none are configured', async () => {
    const error = await refusal(
      authenticator().answer('Basic realm="registry"', request(), undefined),
    );
    expect(error.kind).toBe('unauthorized');
    expect(error.message).toBe(
      'registry.example needs credentials for acme/app: configure them under images.registries (check the user name and password configured for it)',
    );
  });

  it.each([
    ['no challenge', null],
    ['a scheme Berth does not speak', 'Negotiate abc'],
    ['a Bearer challenge without a realm', 'Bearer service="registry"'],
  ])('refuses %s as unauthorized', async (_case, header) => {
    const error = await refusal(
      authenticator(ci).answer(header, request(), undefined),
    );
    expect(error.kind).toBe('unauthorized');
  });

  it('keeps its scheme when a Bearer challenge names a realm that is no URL', async () => {
    const auth = authenticator(ci);
    const error = await refusal(
      auth.answer('Bearer realm="not a url"', request(), undefined),
    );
    expect(error.message).toBe(
      'registry.example sent a token challenge with an invalid realm',
    );
    expect(await auth.authorization(request())).toBeUndefined();
  });
});
