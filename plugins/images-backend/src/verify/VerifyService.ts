import {
  AuditorService,
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EnvironmentDefinition,
  environmentImage,
  formatImageReference,
  ImageReference,
  imagesReadPermission,
  imagesVerifyPermission,
} from '@berth/plugin-images-common';
import { entityRefFromBody } from '../requestParams';
import { actorOf } from '../actor';
import { ImagesConfig, imagesConfigServiceRef } from '../config/ImagesConfig';
import {
  EntityImagesAccess,
  entityImagesAccessServiceRef,
} from '../entities/EntityImagesAccess';
import { parseVerifyTarget } from './verifyTarget';

/**
 * The answer of a verification: GREEN with the digest the tag points at, or RED.
 *
 * @public
 */
export type VerifyResult =
  | { reference: string; status: 'GREEN'; digest: string }
  | { reference: string; status: 'RED' };

/**
 * What `POST /verify` takes: an image repository and a tag, and the entity it is verified for, if any.
 *
 * @public
 */
export interface VerifyRequest {
  image: string;
  tag: string;
  /** An entity that names the image (`component:default/dotca`); without one, `images.image.verify` is needed. */
  entityRef?: string;
}

/**
 * Verification for a caller: a registry is read with the platform's credentials only for an image the caller may
 * see. For an entity's image, read access to that entity; for an image no entity names yet (onboarding), the
 * `images.image.verify` permission, and an auditor event. Nothing is asked of a registry before that.
 *
 * @public
 */
export class VerifyService {
  readonly #images: ImagesConfig;
  readonly #access: EntityImagesAccess;
  readonly #permissions: PermissionsService;
  readonly #auditor?: AuditorService;

  constructor(options: {
    images: ImagesConfig;
    access: EntityImagesAccess;
    permissions: PermissionsService;
    auditor?: AuditorService;
  }) {
    this.#images = options.images;
    this.#access = options.access;
    this.#permissions = options.permissions;
    this.#auditor = options.auditor;
  }

  async verify(
    request: VerifyRequest,
    credentials: BackstageCredentials,
  ): Promise<VerifyResult> {
    const { image } = parseVerifyTarget(request);
    if (request.entityRef !== undefined) {
      await this.#authorizeForEntity(request.entityRef, image, credentials);
      return this.#headTag(request);
    }

    const reference = formatImageReference({ ...image, tag: request.tag });
    const audit = await this.#auditor?.createEvent({
      eventId: 'image-verify',
      severityLevel: 'medium',
      meta: { actor: actorOf(credentials), image: reference },
    });
    try {
      const [decision] = await this.#permissions.authorize(
        [{ permission: imagesVerifyPermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `You may not verify ${reference}: verifying an image that no entity names needs the images.image.verify permission; to verify an entity's image, name the entity (entityRef)`,
        );
      }
      const result = await this.#headTag(request);
      await audit?.success({
        meta: {
          status: result.status,
          ...(result.status === 'GREEN' && { digest: result.digest }),
        },
      });
      return result;
    } catch (error) {
      await audit?.fail({ error: error as Error });
      throw error;
    }
  }

  /** One HEAD request with the platform's credentials: callers authorize first. */
  async #headTag(request: {
    image: string;
    tag: string;
  }): Promise<VerifyResult> {
    const { image, tag } = parseVerifyTarget(request);
    const client = this.#images.registries.clientFor(image.registry);
    const digest = await client.resolveDigest(image.repository, tag);
    const reference = formatImageReference({ ...image, tag });
    return digest
      ? { reference, status: 'GREEN', digest }
      : { reference, status: 'RED' };
  }

  /** Read access to the entity, which must name the image (or have an environment whose tags live in it). */
  async #authorizeForEntity(
    entityRef: string,
    image: ImageReference,
    credentials: BackstageCredentials,
  ) {
    const ref = entityRefFromBody('entityRef', entityRef);
    const { entity, images, environments } = await this.#access.authorize(
      ref,
      credentials,
      imagesReadPermission,
      'read the images of',
    );
    const wanted = formatImageReference(image);
    const named = repositoriesOf(images, environments);
    if (!named.includes(wanted)) {
      throw new InputError(
        `${wanted} is not an image of ${stringifyEntityRef(
          entity,
        )} (${named.join(', ')})`,
      );
    }
  }
}

/** The entity's images, and the repositories its environments keep their tags in. */
function repositoriesOf(
  images: ImageReference[],
  environments: EnvironmentDefinition[],
): string[] {
  const repositories = new Set<string>();
  for (const image of images) {
    repositories.add(formatImageReference(image));
    for (const environment of environments) {
      try {
        repositories.add(
          formatImageReference(environmentImage(image, environment)),
        );
      } catch {
        // A repository template that gives no valid repository names nothing to verify.
      }
    }
  }
  return [...repositories];
}

/**
 * Service ref for verification on behalf of a caller.
 *
 * @public
 */
export const verifyServiceRef = createServiceRef<VerifyService>({
  id: 'images.verify',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        images: imagesConfigServiceRef,
        access: entityImagesAccessServiceRef,
        permissions: coreServices.permissions,
        auditor: coreServices.auditor,
      },
      async factory(deps) {
        return new VerifyService(deps);
      },
    }),
});
