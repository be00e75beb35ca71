import {
  BackstageCredentials,
  createExtensionPoint,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { EnvironmentDefinition } from '@berth/plugin-images-common';

/**
 * What a deployment source is asked: the entity (as the caller may read it), its environments, and the caller's
 * credentials, so that a source calls other plugins on behalf of the user and never with credentials of its own.
 *
 * @public
 */
export interface DeploymentQuery {
  /** The entity, as the caller may read it. */
  entity: Entity;
  /** The entity's environments, in pipeline order. */
  environments: EnvironmentDefinition[];
  /** The caller's credentials, for requests to other plugins on their behalf. */
  credentials: BackstageCredentials;
}

/**
 * One image a deployment runs or declares: a digest (a running pod's image ID), or a reference that Berth resolves
 * in the registry (`registry.example.com/shop/web:3f2a9c1` in a compose file).
 *
 * @public
 */
export interface DeployedImage {
  /** The image as the deployment names it, with its tag or digest. */
  reference: string;
  /** The digest it runs, when the source knows it. */
  digest?: string;
  /** How many replicas run it, when the source counts them. */
  replicas?: number;
}

/**
 * What a deployment source says about one environment of an entity.
 *
 * @public
 */
export interface EnvironmentDeploymentReport {
  /** The Berth environment this is about. */
  environment: string;
  /** Where the source looked, in words a user recognises: `cluster prod-eu, namespace support`, a file URL. */
  location: string;
  /** Every image the deployment runs (all repositories; Berth keeps those of the lane's image). */
  images: DeployedImage[];
  /** Set when the source could not say: why, in words safe to show (no credentials, no internals). */
  error?: string;
}

/**
 * A place that knows what an environment actually runs: a cluster, a GitOps repository, Argo CD.
 *
 * @public
 */
export interface DeploymentSource {
  /** Short id shown on the lane: `kubernetes`, `file`, `argocd`. */
  readonly id: string;
  /**
   * Reports for the environments this source knows for the entity; environments it knows nothing of are left out
   * (an empty list when the entity is not deployed through this source at all).
   */
  getDeployments(
    query: DeploymentQuery,
  ): Promise<EnvironmentDeploymentReport[]>;
}

/**
 * Lets modules add deployment sources to the images backend.
 *
 * @public
 */
export interface ImagesDeploymentSourcesExtensionPoint {
  /** Adds sources after the built-in ones; where two know one environment, the first one speaks. */
  addDeploymentSource(...sources: DeploymentSource[]): void;
}

/**
 * Extension point for deployment sources (the Kubernetes and file sources are built in).
 *
 * @public
 */
export const imagesDeploymentSourcesExtensionPoint =
  createExtensionPoint<ImagesDeploymentSourcesExtensionPoint>({
    id: 'images.deployment-sources',
  });
