import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { AcrCredentialProvider } from './acr';
import { ArtifactRegistryCredentialProvider } from './artifactRegistry';
import { credentialProviderFromConfig } from './credentialsFromConfig';
import { EcrCredentialProvider } from './ecr';
import { StaticCredentialProvider } from './staticCredentials';

const ECR_HOST = '012345678910.dkr.ecr.eu-west-3.amazonaws.com';

function fromConfig(
  credentials: object | undefined,
  registry: { host: string; baseUrl?: string; flavor?: string } = {
    host: 'ghcr.io',
  },
) {
  return credentialProviderFromConfig(
    credentials === undefined
      ? undefined
      : new ConfigReader(credentials as Record<string, any>),
    { baseUrl: `https://${registry.host}`, ...registry },
  );
}

function errorOf(
  credentials: object,
  registry?: { host: string; flavor?: string },
): InputError {
  try {
    fromConfig(credentials, registry);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('credentialProviderFromConfig', () => {
  it('answers undefined (anonymous) without a credentials block, even for ECR and ACR hosts', () => {
    expect(fromConfig(undefined)).toBeUndefined();
    expect(fromConfig(undefined, { host: ECR_HOST })).toBeUndefined();
    expect(
      fromConfig(undefined, { host: 'berthdemo.azurecr.io' }),
    ).toBeUndefined();
  });

  it('reads a username with a password, or with a token', async () => {
    const withPassword = fromConfig({ username: 'octocat', password: 'ghp_1' });
    expect(withPassword).toBeInstanceOf(StaticCredentialProvider);
    await expect(withPassword!.getCredentials()).resolves.toEqual({
      username: 'octocat',
      password: 'ghp_1',
    });
    const withToken = fromConfig({ username: '$oauthtoken', token: 'quay-t' });
    await expect(withToken!.getCredentials()).resolves.toEqual({
      username: '$oauthtoken',
      password: 'quay-t',
    });
  });

  it('reads a lone token as both user name and password (DigitalOcean)', async () => {
    const provider = fromConfig(
      { token: 'dop_v1_abc' },
      { host: 'registry.digitalocean.com' },
    );
    await expect(provider!.getCredentials()).resolves.toEqual({
      username: 'dop_v1_abc',
      password: 'dop_v1_abc',
    });
  });

  it('reads aws, with static keys or the default chain, and the region from the host or config', () => {
    const withKeys = fromConfig(
      {
        aws: {
          accessKeyId: 'test-access-key-id',
          secretAccessKey: 'test-secret-access-key-FAKESECRET',
        },
      },
      { host: ECR_HOST },
    );
    expect(withKeys).toBeInstanceOf(EcrCredentialProvider);
    expect((withKeys as EcrCredentialProvider).region).toBe('eu-west-3');
    expect(JSON.stringify(withKeys)).not.toContain('FAKESECRET');

    const defaultChain = fromConfig({ aws: {} }, { host: ECR_HOST });
    expect(defaultChain).toBeInstanceOf(EcrCredentialProvider);

    const configuredRegion = fromConfig(
      { aws: { region: 'us-east-1' } },
      { host: 'ecr-proxy.example.com', flavor: 'ecr' },
    );
    expect((configuredRegion as EcrCredentialProvider).region).toBe(
      'us-east-1',
    );
  });

  it('reads google, from a key, a key file or application default credentials', () => {
    const host = 'europe-west1-docker.pkg.dev';
    for (const google of [
      { clientEmail: 'b@p.iam.gserviceaccount.com', privateKey: 'k' },
      { keyFile: '/var/run/secrets/gar.json' },
      {},
    ]) {
      expect(fromConfig({ google }, { host })).toBeInstanceOf(
        ArtifactRegistryCredentialProvider,
      );
    }
  });

  it('reads azure, with a service principal secret or the default chain', () => {
    const host = 'berthdemo.azurecr.io';
    for (const azure of [
      { tenantId: 't', clientId: 'c', clientSecret: 's' },
      { clientId: 'managed-identity-client-id' },
      {},
    ]) {
      expect(fromConfig({ azure }, { host })).toBeInstanceOf(
        AcrCredentialProvider,
      );
    }
  });

  it.each([
    [
      {},
      'images.registries: the credentials of ghcr.io are empty: configure exactly one of: token; username and password; aws; google; azure',
    ],
    [
      { username: 'octocat' },
      'images.registries: the credentials of ghcr.io need a password or token next to the username',
    ],
    [
      { password: 'p' },
      'images.registries: the credentials of ghcr.io need a username next to the password (or write a DigitalOcean API token as token)',
    ],
    [
      { username: 'u', password: 'p', token: 't' },
      'images.registries: the credentials of ghcr.io have both a password and a token: keep one',
    ],
    [
      { token: 't', aws: {} },
      'images.registries: the credentials of ghcr.io mix token and aws: configure exactly one of: token; username and password; aws; google; azure',
    ],
    [
      { google: {}, azure: {} },
      'images.registries: the credentials of ghcr.io mix google and azure',
    ],
  ])('refuses %j', (credentials, message) => {
    expect(errorOf(credentials).message).toContain(message);
  });

  it.each([
    [
      { aws: { accessKeyId: 'AKIA' } },
      `the credentials of ${ECR_HOST} need aws.secretAccessKey next to aws.accessKeyId (or neither, to use the AWS SDK's default credential chain)`,
    ],
    [
      { aws: { secretAccessKey: 'S3CR3T-VALUE' } },
      `the credentials of ${ECR_HOST} need aws.accessKeyId next to aws.secretAccessKey`,
    ],
    [
      { aws: { sessionToken: 'S3CR3T-VALUE' } },
      `the credentials of ${ECR_HOST} have aws.sessionToken without aws.accessKeyId and aws.secretAccessKey`,
    ],
  ])('refuses incomplete AWS keys %j', (credentials, message) => {
    const error = errorOf(credentials, { host: ECR_HOST });
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('S3CR3T-VALUE');
  });

  it('needs aws.region for a host that does not name one', () => {
    expect(
      errorOf({ aws: {} }, { host: 'ecr-proxy.example.com' }).message,
    ).toBe(
      'images.registries: the credentials of ecr-proxy.example.com need aws.region: ecr-proxy.example.com is not an ECR host (<account>.dkr.ecr.<region>.amazonaws.com) to read the region from',
    );
  });

  it.each([
    [
      { clientEmail: 'b@p.iam.gserviceaccount.com' },
      'need google.privateKey next to google.clientEmail',
    ],
    [{ privateKey: 'k' }, 'need google.clientEmail next to google.privateKey'],
    [
      { keyFile: '/k.json', privateKey: 'k' },
      'have both google.keyFile and google.privateKey: use either a key file or clientEmail with privateKey',
    ],
  ])('refuses incomplete Google keys %j', (google, message) => {
    expect(
      errorOf({ google }, { host: 'us-docker.pkg.dev' }).message,
    ).toContain(`the credentials of us-docker.pkg.dev ${message}`);
  });

  it.each([
    [
      { clientSecret: 's' },
      'need azure.tenantId and azure.clientId next to azure.clientSecret',
    ],
    [
      { clientSecret: 's', tenantId: 't' },
      'need azure.clientId next to azure.clientSecret',
    ],
  ])('refuses an incomplete service principal %j', (azure, message) => {
    const error = errorOf({ azure }, { host: 'berthdemo.azurecr.io' });
    expect(error.message).toBe(
      `images.registries: the credentials of berthdemo.azurecr.io ${message}`,
    );
  });

  it('refuses a cloud exchange for a registry of another product', () => {
    expect(
      errorOf(
        { aws: { region: 'us-east-1' } },
        { host: 'ghcr.io', flavor: 'github' },
      ).message,
    ).toBe(
      "images.registries: the credentials of ghcr.io use aws, which works only with Amazon ECR, but the registry's flavor is github",
    );
  });
});
