import {
  HostileRegistry,
  startHostileRegistry,
} from '@berth/plugin-images-backend-test-utils';
import { RegistryClient } from '../RegistryClient';

// A product's own API beside the registry API (Quay's /api/v1), served by a registry that answers as told.
describe('vendorJson', () => {
  let hostile: HostileRegistry;
  let client: RegistryClient;

  beforeAll(async () => {
    hostile = await startHostileRegistry();
    client = new RegistryClient({
      host: 'registry.example',
      baseUrl: hostile.url,
      maxAttempts: 1,
    });
  });
  afterEach(() => {
    hostile.requests.length = 0;
  });
  afterAll(async () => {
    await hostile?.stop();
  });

  it('reads JSON from a path on the registry', async () => {
    hostile.answer('/api/v1/repository/acme/app/manifest/', {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"status":"scanned"}',
    });
    expect(
      await client.vendorJson(
        '/api/v1/repository/acme/app/manifest/sha256:1/security',
        'the vulnerability scan of acme/app',
        'acme/app',
      ),
    ).toEqual({ status: 'scanned' });
  });

  it('answers undefined when the vendor API answers 404', async () => {
    expect(
      await client.vendorJson('/api/v1/nothing', 'nothing', 'acme/app'),
    ).toBeUndefined();
  });

  it('takes a 401 as refused credentials, without a challenge round', async () => {
    hostile.answer('/api/v1/private', {
      status: 401,
      headers: { 'www-authenticate': 'Basic realm="quay"' },
    });
    await expect(
      client.vendorJson('/api/v1/private', 'the private API', 'acme/app'),
    ).rejects.toThrow(
      'registry.example refused the credentials for acme/app: check the user name and password configured for it',
    );
    expect(hostile.requests).toHaveLength(1);
  });

  it('refuses a path that is not absolute on the registry, sending nothing', async () => {
    for (const path of ['api/v1/x', '//elsewhere.example/api']) {
      await expect(client.vendorJson(path, 'x')).rejects.toThrow(
        `A vendor API path must be absolute on the registry: ${path}`,
      );
    }
    expect(hostile.requests).toEqual([]);
  });
});
