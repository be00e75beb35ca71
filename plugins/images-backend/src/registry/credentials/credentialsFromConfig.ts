import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { AcrCredentialProvider } from './acr';
import { ArtifactRegistryCredentialProvider } from './artifactRegistry';
import { EcrCredentialProvider, parseEcrHost } from './ecr';
import { StaticCredentialProvider } from './staticCredentials';
import { RegistryCredentialProvider } from './types';

const CHOICES =
  'configure exactly one of: token; username and password; aws; google; azure';

/** Flavors each cloud exchange may be combined with (besides an unset flavor). */
const CLOUD_FLAVORS = {
  aws: { flavor: 'ecr', product: 'Amazon ECR' },
  google: { flavor: 'artifact-registry', product: 'Google Artifact Registry' },
  azure: { flavor: 'acr', product: 'Azure Container Registry' },
} as const;

/**
 * The registry a `credentials` block belongs to.
 *
 * @public
 */
export interface CredentialTarget {
  /** Host as written in image names. */
  host: string;
  /** Where the registry's API is reached (ACR's token exchange is posted there). */
  baseUrl: string;
  /** The configured registry flavor, if any. */
  flavor?: string;
  /** Time limit for one token request, in milliseconds. */
  timeoutMs?: number;
}

/**
 * Reads the `credentials` block of one entry of `images.registries` and returns the provider it describes:
 * static credentials (`token`, or `username` with `password` or `token`), or an exchange with AWS (`aws`), Google
 * (`google`) or Microsoft Entra ID (`azure`), where an empty block (`aws: {}`) means the vendor SDK's default
 * credential chain. Without a block the registry is used anonymously, even for ECR or ACR hosts: cloud
 * credential chains are never consulted unless configured. Malformed blocks throw an `InputError` that names the
 * host and what is wrong.
 *
 * @public
 */
export function credentialProviderFromConfig(
  config: Config | undefined,
  registry: CredentialTarget,
): RegistryCredentialProvider | undefined {
  if (!config) return undefined;
  const { host } = registry;
  const where = `images.registries: the credentials of ${host}`;

  const token = config.getOptionalString('token');
  const username = config.getOptionalString('username');
  const password = config.getOptionalString('password');
  const aws = config.getOptionalConfig('aws');
  const google = config.getOptionalConfig('google');
  const azure = config.getOptionalConfig('azure');

  const kinds = [
    ...(token !== undefined || username !== undefined || password !== undefined
      ? [describeStatic(token, username, password)]
      : []),
    ...(aws ? ['aws'] : []),
    ...(google ? ['google'] : []),
    ...(azure ? ['azure'] : []),
  ];
  if (kinds.length === 0) {
    throw new InputError(`${where} are empty: ${CHOICES}`);
  }
  if (kinds.length > 1) {
    throw new InputError(`${where} mix ${kinds.join(' and ')}: ${CHOICES}`);
  }

  if (aws) return ecrProvider(aws, registry, where);
  if (google) return artifactRegistryProvider(google, registry, where);
  if (azure) return acrProvider(azure, registry, where);

  if (token !== undefined && password !== undefined) {
    throw new InputError(
      `${where} have both a password and a token: keep one (the token is the password of the username, or both username and password for DigitalOcean)`,
    );
  }
  if (username !== undefined) {
    const secret = password ?? token;
    if (secret === undefined) {
      throw new InputError(
        `${where} need a password or token next to the username`,
      );
    }
    return new StaticCredentialProvider({ username, password: secret });
  }
  if (token !== undefined) return StaticCredentialProvider.fromToken(token);
  throw new InputError(
    `${where} need a username next to the password (or write a DigitalOcean API token as token)`,
  );
}

function describeStatic(
  token: string | undefined,
  username: string | undefined,
  password: string | undefined,
): string {
  const fields = [
    ...(username !== undefined ? ['username'] : []),
    ...(password !== undefined ? ['password'] : []),
    ...(token !== undefined ? ['token'] : []),
  ];
  return fields.join('/');
}

function checkFlavor(
  kind: keyof typeof CLOUD_FLAVORS,
  registry: CredentialTarget,
  where: string,
) {
  const { flavor, product } = CLOUD_FLAVORS[kind];
  if (
    registry.flavor !== undefined &&
    registry.flavor !== flavor &&
    registry.flavor !== 'distribution'
  ) {
    throw new InputError(
      `${where} use ${kind}, which works only with ${product}, but the registry's flavor is ${registry.flavor}`,
    );
  }
}

function ecrProvider(
  config: Config,
  registry: CredentialTarget,
  where: string,
): EcrCredentialProvider {
  checkFlavor('aws', registry, where);
  const region = config.getOptionalString('region');
  const accessKeyId = config.getOptionalString('accessKeyId');
  const secretAccessKey = config.getOptionalString('secretAccessKey');
  const sessionToken = config.getOptionalString('sessionToken');
  if (accessKeyId !== undefined && secretAccessKey === undefined) {
    throw new InputError(
      `${where} need aws.secretAccessKey next to aws.accessKeyId (or neither, to use the AWS SDK's default credential chain)`,
    );
  }
  if (secretAccessKey !== undefined && accessKeyId === undefined) {
    throw new InputError(
      `${where} need aws.accessKeyId next to aws.secretAccessKey (or neither, to use the AWS SDK's default credential chain)`,
    );
  }
  if (sessionToken !== undefined && accessKeyId === undefined) {
    throw new InputError(
      `${where} have aws.sessionToken without aws.accessKeyId and aws.secretAccessKey`,
    );
  }
  if (region === undefined && !parseEcrHost(registry.host)) {
    throw new InputError(
      `${where} need aws.region: ${registry.host} is not an ECR host (<account>.dkr.ecr.<region>.amazonaws.com) to read the region from`,
    );
  }
  return new EcrCredentialProvider({
    host: registry.host,
    region,
    accessKeyId,
    secretAccessKey,
    sessionToken,
    timeoutMs: registry.timeoutMs,
  });
}

function artifactRegistryProvider(
  config: Config,
  registry: CredentialTarget,
  where: string,
): ArtifactRegistryCredentialProvider {
  checkFlavor('google', registry, where);
  const clientEmail = config.getOptionalString('clientEmail');
  const privateKey = config.getOptionalString('privateKey');
  const keyFile = config.getOptionalString('keyFile');
  if (keyFile !== undefined && (clientEmail ?? privateKey) !== undefined) {
    throw new InputError(
      `${where} have both google.keyFile and google.${
        clientEmail !== undefined ? 'clientEmail' : 'privateKey'
      }: use either a key file or clientEmail with privateKey`,
    );
  }
  if (clientEmail !== undefined && privateKey === undefined) {
    throw new InputError(
      `${where} need google.privateKey next to google.clientEmail`,
    );
  }
  if (privateKey !== undefined && clientEmail === undefined) {
    throw new InputError(
      `${where} need google.clientEmail next to google.privateKey`,
    );
  }
  return new ArtifactRegistryCredentialProvider({
    host: registry.host,
    clientEmail,
    privateKey,
    keyFile,
    timeoutMs: registry.timeoutMs,
  });
}

function acrProvider(
  config: Config,
  registry: CredentialTarget,
  where: string,
): AcrCredentialProvider {
  checkFlavor('azure', registry, where);
  const tenantId = config.getOptionalString('tenantId');
  const clientId = config.getOptionalString('clientId');
  const clientSecret = config.getOptionalString('clientSecret');
  if (clientSecret !== undefined && (!tenantId || !clientId)) {
    const missing = [
      ...(tenantId ? [] : ['azure.tenantId']),
      ...(clientId ? [] : ['azure.clientId']),
    ];
    throw new InputError(
      `${where} need ${missing.join(' and ')} next to azure.clientSecret`,
    );
  }
  return new AcrCredentialProvider({
    host: registry.host,
    baseUrl: registry.baseUrl,
    tenantId,
    clientId,
    clientSecret,
    timeoutMs: registry.timeoutMs,
  });
}
