import { existsSync } from 'node:fs';
import { htpasswdAuthConfig } from './htpasswd';
import { RunningRegistry, startRegistry } from './testRegistry';

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

describe('htpasswdAuthConfig', () => {
  const auth = htpasswdAuthConfig({ alice: 's3cret', bob: 'hunter2' });
  let registry: RunningRegistry;

  beforeAll(async () => {
    registry = await startRegistry({ extraConfig: auth.extraConfig });
  });

  afterAll(async () => {
    await registry?.stop();
    auth.cleanup();
  });

  it('makes the registry challenge requests without credentials', async () => {
    const response = await fetch(`${registry.url}/v2/`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `Basic realm="${auth.realm}"`,
    );
  });

  it('lets every listed user in with the right password', async () => {
    for (const [user, password] of [
      ['alice', 's3cret'],
      ['bob', 'hunter2'],
    ]) {
      const response = await fetch(`${registry.url}/v2/`, {
        headers: { authorization: basic(user, password) },
      });
      expect(response.status).toBe(200);
    }
  });

  it('refuses a wrong password and an unknown user', async () => {
    for (const [user, password] of [
      ['alice', 'wrong'],
      ['mallory', 's3cret'],
    ]) {
      const response = await fetch(`${registry.url}/v2/`, {
        headers: { authorization: basic(user, password) },
      });
      expect(response.status).toBe(401);
    }
  });

  it('removes its file on cleanup', () => {
    const other = htpasswdAuthConfig({ carol: 'pw' });
    expect(existsSync(other.path)).toBe(true);
    other.cleanup();
    expect(existsSync(other.path)).toBe(false);
  });
});
