import { isNotFound } from './errors';
import { descriptorProblem } from './manifestShape';
import { Descriptor, ImageIndex, MEDIA_TYPES } from './mediaTypes';
import { pullScope } from './scopes';
import {
  MAX_MANIFEST_BYTES,
  getManifest,
  headManifest,
} from './distribution/manifests';
import { checkReference, repositoryPath } from './distribution/references';
import { RegistryApi } from './distribution/RegistryApi';

/**
 * A signature, attestation or SBOM attached to an image.
 *
 * @public
 */
export interface ImageAttachment {
  kind: 'signature' | 'attestation' | 'sbom' | 'other';
  /** How Berth found it: the referrers API, its fallback tag, a cosign tag, or an entry of the image index. */
  source: 'referrers-api' | 'referrers-tag' | 'cosign-tag' | 'index';
  digest: string;
  mediaType: string;
  artifactType?: string;
  tag?: string;
}

/**
 * Manifests that refer to `digest` (signatures, SBOMs, attestations): the referrers API where the registry
 * has it, otherwise the `sha256-<hex>` fallback tag. The registry's support is learned once.
 */
export async function listReferrers(
  api: RegistryApi,
  repository: string,
  digest: string,
): Promise<{ descriptors: Descriptor[]; source: 'api' | 'fallback-tag' }> {
  const what = `the referrers of ${repository}@${digest}`;
  if (api.capabilities.referrersApi !== false) {
    const response = await api.request({
      method: 'GET',
      path: `/v2/${repositoryPath(repository)}/referrers/${checkReference(
        api.transport.host,
        digest,
      )}`,
      what,
      repository,
      scopes: [pullScope(repository)],
      headers: { accept: MEDIA_TYPES.ociIndex },
      acceptStatuses: [400, 404, 405, 406],
    });
    const type = response.headers.get('content-type') ?? '';
    if (response.status === 200 && type.startsWith(MEDIA_TYPES.ociIndex)) {
      api.capabilities.referrersApi = true;
      const index = (await api.transport.readJson(
        response,
        MAX_MANIFEST_BYTES,
        what,
      )) as Partial<ImageIndex> | null;
      return { descriptors: descriptorsOf(index?.manifests), source: 'api' };
    }
    await response.body?.cancel();
    api.capabilities.referrersApi = false;
  }
  const fallbackTag = digest.replace(':', '-');
  try {
    const fallback = await getManifest(api, repository, fallbackTag);
    // Some registries answer the fallback tag with the subject itself: that is no referrer index.
    if (fallback.digest === digest || !('manifests' in fallback.manifest)) {
      return { descriptors: [], source: 'fallback-tag' };
    }
    return {
      descriptors: fallback.manifest.manifests,
      source: 'fallback-tag',
    };
  } catch (error) {
    if (isNotFound(error)) return { descriptors: [], source: 'fallback-tag' };
    throw error;
  }
}

/**
 * Signatures, attestations and SBOMs of an image, from every place tools put them: the referrers API or its
 * fallback tag, cosign's `sha256-<hex>.sig|.att|.sbom` tags, and BuildKit's attestation entries in the index.
 * Pass the repository's tags when known, so that cosign tags cost no request unless they exist.
 */
export async function findAttachments(
  api: RegistryApi,
  repository: string,
  digest: string,
  options: { tags?: Iterable<string>; index?: ImageIndex } = {},
): Promise<ImageAttachment[]> {
  const attachments: ImageAttachment[] = [];
  const referrers = await listReferrers(api, repository, digest);
  for (const descriptor of referrers.descriptors) {
    attachments.push({
      kind: attachmentKind(
        descriptor.artifactType ?? descriptor.mediaType,
        descriptor.annotations,
      ),
      source: referrers.source === 'api' ? 'referrers-api' : 'referrers-tag',
      digest: descriptor.digest,
      mediaType: descriptor.mediaType,
      artifactType: descriptor.artifactType,
    });
  }
  const known = options.tags ? new Set(options.tags) : undefined;
  const prefix = digest.replace(':', '-');
  const cosign: Array<[string, ImageAttachment['kind']]> = [
    [`${prefix}.sig`, 'signature'],
    [`${prefix}.att`, 'attestation'],
    [`${prefix}.sbom`, 'sbom'],
  ];
  await Promise.all(
    cosign.map(async ([tag, kind]) => {
      if (known && !known.has(tag)) return;
      const head = await headManifest(api, repository, tag);
      if (head) {
        attachments.push({
          kind,
          source: 'cosign-tag',
          digest: head.digest,
          mediaType: head.mediaType,
          tag,
        });
      }
    }),
  );
  for (const entry of options.index?.manifests ?? []) {
    const annotations = entry.annotations ?? {};
    if (
      annotations['vnd.docker.reference.type'] === 'attestation-manifest' &&
      (!annotations['vnd.docker.reference.digest'] ||
        options.index!.manifests.some(
          other => other.digest === annotations['vnd.docker.reference.digest'],
        ))
    ) {
      attachments.push({
        kind: 'attestation',
        source: 'index',
        digest: entry.digest,
        mediaType: entry.mediaType,
        artifactType: entry.artifactType,
      });
    }
  }
  return attachments;
}

/** The entries of a referrers answer that are descriptors (a registry's answer is not trusted to be one). */
function descriptorsOf(entries: unknown): Descriptor[] {
  return Array.isArray(entries)
    ? entries.filter(
        (entry): entry is Descriptor =>
          !descriptorProblem(entry, 'entry', 'fetchable') &&
          typeof (entry as Descriptor).mediaType === 'string',
      )
    : [];
}

function attachmentKind(
  type: string,
  annotations: Record<string, string> = {},
): ImageAttachment['kind'] {
  const predicate = annotations['dev.sigstore.bundle.predicateType'];
  if (/spdx|cyclonedx|sbom/i.test(`${type} ${predicate ?? ''}`)) return 'sbom';
  if (predicate || /in-toto|dsse|attestation|provenance/i.test(type))
    return 'attestation';
  if (/signature|cosign|sigstore|notary|\.sig\b/i.test(type))
    return 'signature';
  return 'other';
}
