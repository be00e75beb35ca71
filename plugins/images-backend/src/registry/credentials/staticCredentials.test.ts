import { inspect } from 'node:util';
import { StaticCredentialProvider } from './staticCredentials';

describe('StaticCredentialProvider', () => {
  it('hands out the configured user name and password, which never expire', async () => {
    const provider = new StaticCredentialProvider({
      username: 'acme+promoter',
      password: 'ROBOT-TOKEN-0123456789',
    });
    await expect(provider.getCredentials()).resolves.toEqual({
      username: 'acme+promoter',
      password: 'ROBOT-TOKEN-0123456789',
    });
  });

  it('uses a DigitalOcean API token as both user name and password', async () => {
    await expect(
      StaticCredentialProvider.fromToken(
        'dop_v1_0123456789abcdef',
      ).getCredentials(),
    ).resolves.toEqual({
      username: 'dop_v1_0123456789abcdef',
      password: 'dop_v1_0123456789abcdef',
    });
  });

  it('shows no secret when logged or serialised', () => {
    const provider = new StaticCredentialProvider({
      username: 'robot$berth',
      password: 'harbor-robot-secret',
    });
    for (const text of [
      String(provider),
      JSON.stringify(provider),
      inspect(provider, { depth: 5 }),
      JSON.stringify({ ...provider }),
    ]) {
      expect(text).not.toContain('harbor-robot-secret');
    }
  });

  it('gives each caller its own copy', async () => {
    const provider = new StaticCredentialProvider({
      username: 'u',
      password: 'p',
    });
    const first = await provider.getCredentials();
    first.password = 'changed';
    await expect(provider.getCredentials()).resolves.toMatchObject({
      password: 'p',
    });
  });
});
