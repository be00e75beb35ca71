import { ImageReferenceError } from './errors';

/**
 * A parsed image reference, normalised as container runtimes normalise it.
 *
 * @public
 */
export interface ImageReference {
  /** Registry host, with port when given: `ghcr.io`, `localhost:5000`. Docker Hub is `docker.io`. */
  registry: string;
  /** Repository path inside the registry: `bxtech/dotca`, `library/nginx`. */
  repository: string;
  /** Tag, when the reference names one. */
  tag?: string;
  /** Digest (`sha256:<64 hex>`), when the reference names one. */
  digest?: string;
}

/**
 * Docker Hub's canonical registry name.
 *
 * @public
 */
export const DOCKER_HUB_REGISTRY = 'docker.io';
const DOCKER_HUB_ALIASES = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
]);

// From the OCI Distribution Specification, "Pulling manifests" (name and tag grammar).
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const MAX_NAME_LENGTH = 255;

/**
 * True when the string is a valid tag (`v1.2.3`, `latest-dev`, `sha256-abc.sig`).
 *
 * @public
 */
export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

/**
 * True when the string is a valid digest of a supported algorithm (`sha256:` and 64 hex digits).
 *
 * @public
 */
export function isValidDigest(digest: string): boolean {
  return DIGEST.test(digest);
}

function looksLikeHost(component: string): boolean {
  return (
    component.includes('.') ||
    component.includes(':') ||
    component === 'localhost'
  );
}

function checkHost(host: string, input: string) {
  const match = /^(\[[0-9a-fA-F:]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  const name = match?.[1] ?? '';
  const port = match?.[2];
  const validName =
    name.startsWith('[') ||
    name.split('.').every(label => HOST_LABEL.test(label));
  const validPort =
    port === undefined || (Number(port) > 0 && Number(port) < 65536);
  if (!match || !validName || !validPort) {
    throw new ImageReferenceError(
      `"${input}" has an invalid registry host "${host}": expected a host name with an optional port, such as ghcr.io or localhost:5000`,
      input,
    );
  }
}

/**
 * Parses an image reference as users write it (`nginx`, `ghcr.io/owner/app:v1`, `localhost:5000/a/b@sha256:…`).
 * A name without a registry host is on Docker Hub (`docker.io`), and a single-component Docker Hub name is in
 * `library/`. Throws an {@link ImageReferenceError} that says what is wrong.
 *
 * @public
 */
export function parseImageReference(input: string): ImageReference {
  const text = input.trim();
  if (!text) {
    throw new ImageReferenceError(
      'An image reference is empty: expected something like ghcr.io/owner/app',
      input,
    );
  }
  if (/\s/.test(text)) {
    throw new ImageReferenceError(
      `"${input}" contains whitespace: an image reference has none`,
      input,
    );
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new ImageReferenceError(
      `"${input}" is a URL: write the image as CI does, without the scheme (for example ghcr.io/owner/app)`,
      input,
    );
  }

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) {
      throw new ImageReferenceError(
        `"${input}" has an invalid digest "${digest}": expected sha256: followed by 64 lowercase hex digits`,
        input,
      );
    }
  }

  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) {
      throw new ImageReferenceError(
        `"${input}" has an invalid tag "${tag}": a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`,
        input,
      );
    }
  }

  const components = rest.split('/');
  let registry = DOCKER_HUB_REGISTRY;
  if (components.length > 1 && looksLikeHost(components[0])) {
    registry = components.shift()!;
    checkHost(registry, input);
    if (DOCKER_HUB_ALIASES.has(registry.toLowerCase())) {
      registry = DOCKER_HUB_REGISTRY;
    }
  }
  if (registry === DOCKER_HUB_REGISTRY && components.length === 1) {
    components.unshift('library');
  }

  for (const component of components) {
    if (!PATH_COMPONENT.test(component)) {
      const hint = /[A-Z]/.test(component)
        ? 'repository names are lowercase'
        : "each path component is lowercase letters and digits, separated by '.', '_', '__' or '-'";
      throw new ImageReferenceError(
        `"${input}" has an invalid repository path component "${component}": ${hint}`,
        input,
      );
    }
  }
  const repository = components.join('/');
  if (repository.length + registry.length + 1 > MAX_NAME_LENGTH) {
    throw new ImageReferenceError(
      `"${input}" is longer than ${MAX_NAME_LENGTH} characters`,
      input,
    );
  }

  return {
    registry,
    repository,
    ...(tag !== undefined && { tag }),
    ...(digest !== undefined && { digest }),
  };
}

/**
 * Parses a reference that must name a repository only (no tag, no digest), as the
 * `berth.dev/images` annotation does.
 *
 * @public
 */
export function parseImageRepository(input: string): ImageReference {
  const reference = parseImageReference(input);
  if (reference.tag !== undefined || reference.digest !== undefined) {
    const pinned = reference.digest
      ? `@${reference.digest}`
      : `:${reference.tag}`;
    throw new ImageReferenceError(
      `"${input}" names a tag or digest (${pinned}): the annotation lists repositories, and environments choose the tags`,
      input,
    );
  }
  return reference;
}

/**
 * Formats a reference in its canonical, fully qualified form (`docker.io/library/nginx:latest`).
 *
 * @public
 */
export function formatImageReference(reference: ImageReference): string {
  let text = `${reference.registry}/${reference.repository}`;
  if (reference.tag !== undefined) text += `:${reference.tag}`;
  if (reference.digest !== undefined) text += `@${reference.digest}`;
  return text;
}
