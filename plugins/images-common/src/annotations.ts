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
