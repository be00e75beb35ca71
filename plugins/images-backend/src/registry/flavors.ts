import { parseEcrHost } from './credentials/ecr';

/**
 * Registry products Berth knows, keyed by host. A flavour says where the API and token service live, what the
 * product cannot do, and what to tell a user whose credentials were refused.
 *
 * @public
 */
export type RegistryFlavorName =
  | 'distribution'
  | 'digitalocean'
  | 'github'
  | 'quay'
  | 'dockerhub'
  | 'ecr'
  | 'artifact-registry'
  | 'acr'
  | 'harbor';

/** @public */
export interface RegistryFlavor {
  name: RegistryFlavorName;
  /** Product name for messages. */
  label: string;
  /** Where the Distribution API lives when it is not `https://<host>`. */
  apiUrl?: string;
  /** Token realms on another origin than the registry's own that this product is known to use. */
  authOrigins: string[];
  /** Largest `n` the product accepts when listing tags; undefined lets the registry choose. */
  maxTagPageSize?: number;
  /** What the product is known not to support (so Berth does not probe for it). */
  knownUnsupported: Array<'referrers' | 'tag-delete'>;
  /** Advice when the registry refuses the credentials (401) or the permission (403). */
  credentialsHint: string;
  permissionHint: string;
}

const FLAVORS: Record<RegistryFlavorName, RegistryFlavor> = {
  distribution: {
    name: 'distribution',
    label: 'OCI registry',
    authOrigins: [],
    knownUnsupported: [],
    credentialsHint: 'check the user name and password configured for it',
    permissionHint:
      'the configured account lacks the permission (pull to read, push to promote)',
  },
  digitalocean: {
    name: 'digitalocean',
    label: 'DigitalOcean Container Registry',
    authOrigins: ['https://api.digitalocean.com'],
    knownUnsupported: ['referrers'],
    credentialsHint:
      'check that the DigitalOcean API token is valid and has the registry read scope (write to promote)',
    permissionHint:
      'the DigitalOcean API token lacks the registry scope this needs (read to view, write to promote)',
  },
  github: {
    name: 'github',
    label: 'GitHub Container Registry',
    authOrigins: [],
    maxTagPageSize: 1000,
    knownUnsupported: ['referrers', 'tag-delete'],
    credentialsHint:
      'check that the token has read:packages (write:packages to promote)',
    permissionHint:
      "the token's account has no access to this package: grant it in the package's settings, and give the token write:packages to promote",
  },
  quay: {
    name: 'quay',
    label: 'Quay',
    authOrigins: [],
    maxTagPageSize: 100,
    knownUnsupported: [],
    credentialsHint:
      'check the robot account name (org+robot) and token, or use $oauthtoken with an application token',
    permissionHint:
      'the robot account lacks permission on the repository (read to view, write to promote)',
  },
  dockerhub: {
    name: 'dockerhub',
    label: 'Docker Hub',
    apiUrl: 'https://registry-1.docker.io',
    authOrigins: ['https://auth.docker.io'],
    knownUnsupported: ['referrers', 'tag-delete'],
    credentialsHint:
      'Docker Hub also answers this for repositories that do not exist: check the name, then the user name and access token',
    permissionHint:
      'the access token lacks the permission (Read to view, Read & Write to promote)',
  },
  ecr: {
    name: 'ecr',
    label: 'Amazon ECR',
    authOrigins: [],
    maxTagPageSize: 1000,
    knownUnsupported: [],
    credentialsHint:
      'check the AWS credentials and that they may call ecr:GetAuthorizationToken',
    permissionHint:
      'the IAM policy lacks ecr:BatchGetImage / ecr:GetDownloadUrlForLayer (and ecr:PutImage, ecr:InitiateLayerUpload to promote)',
  },
  'artifact-registry': {
    name: 'artifact-registry',
    label: 'Google Artifact Registry',
    authOrigins: [],
    knownUnsupported: [],
    credentialsHint:
      'check the service account key or application default credentials',
    permissionHint:
      'the service account lacks roles/artifactregistry.reader (roles/artifactregistry.writer to promote)',
  },
  acr: {
    name: 'acr',
    label: 'Azure Container Registry',
    authOrigins: [],
    knownUnsupported: [],
    credentialsHint:
      'check the service principal (tenant, client id and secret) configured for it',
    permissionHint:
      'the identity lacks the AcrPull role (AcrPush to promote) on the registry',
  },
  harbor: {
    name: 'harbor',
    label: 'Harbor',
    authOrigins: [],
    knownUnsupported: ['tag-delete'],
    credentialsHint: 'check the robot account (robot$name) and its secret',
    permissionHint:
      "the robot account lacks the project's pull (push to promote) permission",
  },
};

/** The flavour of a registry host, from its name, unless configuration says otherwise. */
export function registryFlavor(
  host: string,
  configured?: RegistryFlavorName,
): RegistryFlavor {
  if (configured) {
    const flavor = FLAVORS[configured];
    if (!flavor) throw new Error(`Unknown registry flavor ${configured}`);
    return flavor;
  }
  const name = host.toLowerCase().replace(/:\d+$/, '');
  if (name === 'registry.digitalocean.com') return FLAVORS.digitalocean;
  if (name === 'ghcr.io') return FLAVORS.github;
  if (name === 'quay.io') return FLAVORS.quay;
  if (
    name === 'docker.io' ||
    name === 'index.docker.io' ||
    name === 'registry-1.docker.io'
  ) {
    return FLAVORS.dockerhub;
  }
  if (parseEcrHost(name)) return FLAVORS.ecr;
  if (/(^|\.)pkg\.dev$/.test(name)) return FLAVORS['artifact-registry'];
  if (/\.azurecr\.(io|cn|us)$/.test(name)) return FLAVORS.acr;
  return FLAVORS.distribution;
}

/** Names of every flavour, for validating configuration. */
export const REGISTRY_FLAVOR_NAMES = Object.keys(
  FLAVORS,
) as RegistryFlavorName[];
