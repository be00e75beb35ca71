import { Entity } from '@backstage/catalog-model';
import { ANNOTATION_ENVIRONMENTS, ANNOTATION_IMAGES } from './annotations';
import { ImageReferenceError } from './errors';
import {
  formatImageReference,
  ImageReference,
  isValidTag,
  parseImageRepository,
} from './imageReference';
import { reservedTagProblem } from './tagKinds';

/**
 * An environment as configured (`images.environments`), possibly with its tag overridden by an entity.
 *
 * @public
 */
export interface EnvironmentDefinition {
  /** Environment name: `development`, `staging`, `production`, `canary`. */
  name: string;
  /** Tag that says which image the environment runs. */
  tag: string;
  /** Further tags moved together with the environment tag on promotion. */
  alsoTag?: string[];
  /** Whether a promotion to this environment needs a second person's approval. */
  protected?: boolean;
  /**
   * Where the environment's tags live when not in the image's own repository: a template filled with the image's
   * `{registry}` and `{repository}`, such as `registry.prod.example.com/{repository}` (another registry) or
   * `{registry}/{repository}-prod` (another repository). Promotion copies the image there, digest unchanged.
   */
  repository?: string;
  /**
   * What makes the environment's lane GREEN: `tagged` (the default), its tag exists; `running`, its tag exists and
   * the environment's deployment (Kubernetes, a GitOps file) runs it.
   */
  green?: 'tagged' | 'running';
  /** Release rules a promotion into this environment must meet: gates in its plan, recorded in the history. */
  policies?: ReleasePolicies;
}

/**
 * An environment's release rules (`images.environments[].policies`).
 *
 * @public
 */
export interface ReleasePolicies {
  /** The environment a digest must run in first: the one before this in the entity's environments unless named. */
  upstream?: string;
  /** A digest may enter only if it ran in the upstream environment. */
  upstreamFirst?: boolean;
  /** A digest may enter only once it ran in the upstream environment this long, in seconds. */
  soakSeconds?: number;
  /** Windows in which promotions into the environment are refused unless forced. */
  freeze?: FreezeWindow[];
  /** Promotions wait for this many approvals from distinct people, none of them the requester. */
  approvals?: {
    count: number;
    /** Only members of this group (`group:default/release-managers`) may approve. */
    group?: string;
  };
}

/**
 * A change freeze: recurring (a cron expression for when it begins, and how long it lasts) or dated (from `start` to
 * `end`), in a time zone.
 *
 * @public
 */
export interface FreezeWindow {
  /** When a recurring window begins: `0 18 * * 5` (Fridays at 18:00). */
  cron?: string;
  /** How long a recurring window lasts, in seconds. */
  durationSeconds?: number;
  /** When a dated window begins: an ISO date-time, read in `timeZone` unless it carries an offset. */
  start?: string;
  /** When a dated window ends, written as `start` is. */
  end?: string;
  /** An IANA time zone: `Europe/Paris` (default `UTC`). */
  timeZone: string;
  /** Why, for the message: `Year-end freeze`. */
  reason?: string;
}

/**
 * The repository an environment's tags live in, for one of the entity's images: the image's own, or the one the
 * environment's `repository` template names.
 *
 * @public
 */
export function environmentImage(
  image: ImageReference,
  environment: EnvironmentDefinition,
): ImageReference {
  if (!environment.repository) return image;
  const expanded = environment.repository
    .replace(/\{registry\}/g, image.registry)
    .replace(/\{repository\}/g, image.repository);
  try {
    return parseImageRepository(expanded);
  } catch (error) {
    throw new ImageReferenceError(
      `The repository of environment ${environment.name} ("${
        environment.repository
      }") gives "${expanded}": ${(error as Error).message}`,
      environment.repository,
    );
  }
}

const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * True when the entity carries the `berth.dev/images` annotation.
 *
 * @public
 */
export function hasImagesAnnotation(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_IMAGES]?.trim());
}

/**
 * Parses the value of `berth.dev/images` into image repositories, in the order written, without duplicates.
 *
 * @public
 */
export function parseImagesAnnotation(value: string): ImageReference[] {
  const items = value.split(',').map(item => item.trim());
  if (items.every(item => item === '')) {
    throw new ImageReferenceError(
      `${ANNOTATION_IMAGES} is empty: list one or more image repositories, such as ghcr.io/owner/app`,
      value,
    );
  }
  const seen = new Set<string>();
  const images: ImageReference[] = [];
  for (const item of items) {
    if (item === '') {
      throw new ImageReferenceError(
        `${ANNOTATION_IMAGES} has an empty entry in "${value}": separate repositories with single commas`,
        value,
      );
    }
    let image: ImageReference;
    try {
      image = parseImageRepository(item);
    } catch (error) {
      throw new ImageReferenceError(
        `${ANNOTATION_IMAGES}: ${(error as Error).message}`,
        value,
      );
    }
    const key = `${image.registry}/${image.repository}`;
    if (!seen.has(key)) {
      seen.add(key);
      images.push(image);
    }
  }
  return images;
}

/**
 * Parses the value of `berth.dev/environments` (`staging=staging,production=latest`) into environment → tag.
 *
 * @public
 */
export function parseEnvironmentsAnnotation(
  value: string,
): Map<string, string> {
  const result = new Map<string, string>();
  for (const rawPair of value.split(',')) {
    const pair = rawPair.trim();
    if (!pair) continue;
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq !== pair.lastIndexOf('=')) {
      throw new ImageReferenceError(
        `${ANNOTATION_ENVIRONMENTS} has "${pair}": expected environment=tag pairs, such as staging=staging,production=latest`,
        value,
      );
    }
    const name = pair.slice(0, eq).trim();
    const tag = pair.slice(eq + 1).trim();
    if (!ENVIRONMENT_NAME.test(name)) {
      throw new ImageReferenceError(
        `${ANNOTATION_ENVIRONMENTS} has an invalid environment name "${name}": use lowercase letters, digits and '-'`,
        value,
      );
    }
    if (!isValidTag(tag)) {
      throw new ImageReferenceError(
        `${ANNOTATION_ENVIRONMENTS} has an invalid tag "${tag}" for ${name}: a tag is up to 128 letters, digits, '_', '.' and '-'`,
        value,
      );
    }
    const reserved = reservedTagProblem(tag);
    if (reserved) {
      throw new ImageReferenceError(
        `${ANNOTATION_ENVIRONMENTS} gives ${name} the tag ${reserved}`,
        value,
      );
    }
    if (result.has(name)) {
      throw new ImageReferenceError(
        `${ANNOTATION_ENVIRONMENTS} names ${name} twice`,
        value,
      );
    }
    result.set(name, tag);
  }
  return result;
}

/**
 * The environments an entity has. Without `berth.dev/environments` (an empty map), the configured list. With it,
 * exactly the environments it names: configured ones first, in configured order, keeping their protection, gates,
 * `alsoTag`s and repository with the tag the annotation gives; new names after them, in the order written, as plain
 * environments.
 *
 * @public
 */
export function resolveEnvironments(
  configured: EnvironmentDefinition[],
  named: Map<string, string>,
): EnvironmentDefinition[] {
  if (named.size === 0) return configured;
  const environments = configured
    .filter(env => named.has(env.name))
    .map(env => ({ ...env, tag: named.get(env.name)! }));
  for (const [name, tag] of named) {
    if (!configured.some(env => env.name === name))
      environments.push({ name, tag });
  }
  return environments;
}

/**
 * Everything Berth reads from an entity's annotations.
 *
 * @public
 */
export interface EntityImagesSpec {
  images: ImageReference[];
  /** The environments `berth.dev/environments` names, with their tags; empty without the annotation. */
  environmentOverrides: Map<string, string>;
}

/**
 * Reads both Berth annotations of an entity. Returns undefined when the entity is not onboarded; throws an
 * {@link ImageReferenceError} that names the annotation when a value is malformed.
 *
 * @public
 */
export function readEntityImagesSpec(
  entity: Entity,
): EntityImagesSpec | undefined {
  const annotations = entity.metadata.annotations ?? {};
  if (!hasImagesAnnotation(entity)) return undefined;
  return {
    images: parseImagesAnnotation(annotations[ANNOTATION_IMAGES]),
    environmentOverrides: parseEnvironmentsAnnotation(
      annotations[ANNOTATION_ENVIRONMENTS] ?? '',
    ),
  };
}

/**
 * One of an entity's images by name, as `formatImageReference` writes it (`ghcr.io/bxtech/dotca`); the first when no
 * name is given, and undefined when the entity has no image of that name.
 *
 * @public
 */
export function entityImageByName(
  images: ImageReference[],
  name?: string,
): ImageReference | undefined {
  if (!name) return images[0];
  return images.find(image => formatImageReference(image) === name);
}
