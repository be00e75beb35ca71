/**
 * Annotation that onboards an entity: one or more image repositories, comma separated,
 * written as CI writes them (`ghcr.io/bxtech/dotca`, `nginx`, `localhost:5000/acme/api`).
 *
 * @public
 */
export const ANNOTATION_IMAGES = 'berth.dev/images';

/**
 * Optional annotation that overrides the configured environment tags for an entity,
 * as `environment=tag` pairs, comma separated (`staging=staging,production=latest`).
 *
 * @public
 */
export const ANNOTATION_ENVIRONMENTS = 'berth.dev/environments';

/**
 * Optional annotation naming, per environment, the file that deploys the entity (a docker-compose file, a
 * kustomization, Helm values, Kubernetes manifests): `environment=location` pairs, comma separated
 * (`staging=./deploy/staging/docker-compose.yaml, production=https://git.example.com/shop/deploy/prod/values.yaml`).
 * A relative location is resolved against the entity's `backstage.io/source-location`.
 *
 * @public
 */
export const ANNOTATION_DEPLOYMENT_FILES = 'berth.dev/deployment-files';
