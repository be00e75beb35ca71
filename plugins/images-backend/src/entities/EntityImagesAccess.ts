import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import {
  entityImageByName,
  EnvironmentDefinition,
  formatImageReference,
  ImageClaimInfo,
  ImageReference,
  imagesReadPermission,
} from '@berth/plugin-images-common';
import { imagesConfigServiceRef } from '../config/ImagesConfig';
import { readEntitySpec } from './entitySpec';
import {
  RepositoryClaims,
  repositoryClaimsServiceRef,
} from './RepositoryClaims';

/**
 * An image an entity names but may not claim (`images.repositoryOwners`), and why.
 *
 * @public
 */
export interface RefusedImage {
  image: ImageReference;
  message: string;
}

/**
 * An entity the caller may act on, with what its annotations say.
 *
 * @public
 */
export interface AuthorizedEntityImages {
  entity: Entity;
  /** The images the entity names and may claim. */
  images: ImageReference[];
  /** The images it names but may not claim, with why. */
  refused: RefusedImage[];
  environments: EnvironmentDefinition[];
}

/** How long a page view may show who claims a repository as this process last read it. */
const CLAIMS_MAX_AGE_MS = 10_000;

/**
 * How long a read (`images.image.read`) a caller was allowed may be reused for the same caller and entity: the tab
 * asks for the overview and the tags page one after the other, and each would read the entity from the catalog and
 * ask the permission backend again. Only allowed reads are kept, never denials or other permissions.
 */
export const READ_MAX_AGE_MS = 5_000;
const READS_KEPT = 1_000;

/** Who is asking, for the reads kept per caller: the user, or the service; undefined for anyone else. */
function callerKey(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef)
    return `user ${principal.userEntityRef}`;
  if (principal.type === 'service' && principal.subject)
    return `service ${principal.subject}`;
  return undefined;
}

/**
 * Access to entities' images, the one place that decides it (as the catalog's `AuthorizedEntitiesCatalog` does for
 * entities): the entity is read with the caller's credentials (404 when they may not see it), the permission is
 * checked on it (403), its annotations are read (400 when malformed) and its repositories' claims decided. Nothing
 * is asked of a registry before this.
 *
 * @public
 */
export class EntityImagesAccess {
  readonly #catalog: CatalogService;
  readonly #permissions: PermissionsService;
  readonly #environments: EnvironmentDefinition[];
  readonly #claims: RepositoryClaims;
  readonly #readMaxAgeMs: number;
  readonly #now: () => number;
  /** Allowed reads per caller and entity, newest last. */
  readonly #reads = new Map<
    string,
    { at: number; access: AuthorizedEntityImages }
  >();

  constructor(options: {
    catalog: CatalogService;
    permissions: PermissionsService;
    environments: EnvironmentDefinition[];
    claims: RepositoryClaims;
    /** How long an allowed read is reused for the same caller and entity (default `READ_MAX_AGE_MS`, 5 s; 0 keeps none). */
    readMaxAgeMs?: number;
    now?: () => number;
  }) {
    this.#catalog = options.catalog;
    this.#permissions = options.permissions;
    this.#environments = options.environments;
    this.#claims = options.claims;
    this.#readMaxAgeMs = options.readMaxAgeMs ?? READ_MAX_AGE_MS;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Reads the entity, checks `permission` on it, and returns its images and environments. An allowed
   * `images.image.read` is reused for the same caller and entity for a few seconds (`READ_MAX_AGE_MS`) unless
   * `fresh` is set: what acts on the entity (an approval) asks for it afresh.
   */
  async authorize(
    entityRef: string,
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    action: string,
    options: { fresh?: boolean } = {},
  ): Promise<AuthorizedEntityImages> {
    const caller = callerKey(credentials);
    const key =
      permission.name === imagesReadPermission.name &&
      caller &&
      this.#readMaxAgeMs > 0
        ? `${caller}\n${entityRef}`
        : undefined;
    const now = this.#now();
    if (key && !options.fresh) {
      const kept = this.#reads.get(key);
      if (kept && now - kept.at < this.#readMaxAgeMs) return kept.access;
    }
    const access = await this.#authorize(
      entityRef,
      credentials,
      permission,
      action,
    );
    if (key) {
      this.#reads.delete(key);
      this.#reads.set(key, { at: now, access });
      // Oldest first: drop what expired, and the oldest beyond the bound.
      for (const [k, kept] of this.#reads) {
        if (
          this.#reads.size <= READS_KEPT &&
          now - kept.at < this.#readMaxAgeMs
        )
          break;
        this.#reads.delete(k);
      }
    }
    return access;
  }

  async #authorize(
    entityRef: string,
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    action: string,
  ): Promise<AuthorizedEntityImages> {
    const entity = await this.#catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef}, or you may not see it`);
    }
    await this.check(entity, credentials, permission, action);
    const spec = this.#spec(entity);
    const images: ImageReference[] = [];
    const refused: RefusedImage[] = [];
    for (const image of spec.images) {
      const claim = this.#claims.decide(entity, image);
      if (claim.allowed) images.push(image);
      else refused.push({ image, message: claim.message });
    }
    return { entity, images, refused, environments: spec.environments };
  }

  /** Checks one more permission on an entity already read (403 when denied). */
  async check(
    entity: Entity,
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    action: string,
  ): Promise<void> {
    const [decision] = await this.#permissions.authorize(
      [{ permission, resourceRef: stringifyEntityRef(entity) }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not ${action} ${stringifyEntityRef(entity)}`,
      );
    }
  }

  /**
   * One of the entity's images by name (the first it may claim when no name is given); 403 for one it names but may
   * not claim, 400 for one it does not name.
   */
  pickImage(access: AuthorizedEntityImages, requested?: string) {
    const match = entityImageByName(access.images, requested);
    if (match) return match;
    const withheld = requested
      ? access.refused.find(r => formatImageReference(r.image) === requested)
      : access.refused[0];
    if (withheld) throw new NotAllowedError(withheld.message);
    throw new InputError(
      `${requested} is not one of this entity's images (${access.images
        .map(formatImageReference)
        .join(', ')})`,
    );
  }

  /** One of the entity's environments by name; 400 for one it does not have. */
  environment(
    access: AuthorizedEntityImages,
    name: string,
  ): EnvironmentDefinition {
    const environment = access.environments.find(env => env.name === name);
    if (!environment) {
      throw new InputError(
        `${stringifyEntityRef(
          access.entity,
        )} has no environment ${name} (it has ${access.environments
          .map(env => env.name)
          .join(', ')})`,
      );
    }
    return environment;
  }

  /**
   * Who else claims the entity's repositories, for those that are contested. A page view may reuse what this
   * process read seconds ago (`fresh: false`); a promotion reads afresh.
   */
  async claims(
    entity: Entity,
    images: ImageReference[],
    options: { fresh: boolean },
  ): Promise<Map<string, ImageClaimInfo>> {
    return this.#claims.claims(entity, images, {
      maxAgeMs: options.fresh ? 0 : CLAIMS_MAX_AGE_MS,
    });
  }

  /** The entity's images and environments, from its annotations (400 when they are malformed). */
  #spec(entity: Entity) {
    return readEntitySpec(entity, this.#environments);
  }
}

/**
 * Service ref for access to entities' images.
 *
 * @public
 */
export const entityImagesAccessServiceRef =
  createServiceRef<EntityImagesAccess>({
    id: 'images.entity-access',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          permissions: coreServices.permissions,
          catalog: catalogServiceRef,
          images: imagesConfigServiceRef,
          claims: repositoryClaimsServiceRef,
        },
        async factory({ images, ...deps }) {
          return new EntityImagesAccess({
            ...deps,
            environments: images.environments,
          });
        },
      }),
  });
