import { parseLocationRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_DEPLOYMENT_FILES,
  parseImageReference,
} from '@berth/plugin-images-common';
import { DeployedImage } from '@berth/plugin-images-node';
import { parseAllDocuments } from 'yaml';

/** One entry of the `berth.dev/deployment-files` annotation. */
export interface DeploymentFileEntry {
  /** The environment the entry is about; absent when the entry names none that can be told. */
  environment?: string;
  /** The location as written (a URL, or a path relative to the entity's source location). */
  location?: string;
  /** What is wrong with the entry, in words safe to show. */
  problem?: string;
}

/**
 * Reads `environment=location` pairs, comma separated. An entry without `=` is attributed to an environment when it
 * starts with that environment's name (`staging: ./compose.yaml`), so that the lane the user meant shows the problem.
 */
export function parseDeploymentFilesAnnotation(
  value: string,
  environments: string[],
): DeploymentFileEntry[] {
  const entries: DeploymentFileEntry[] = [];
  for (const raw of value.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const equals = entry.indexOf('=');
    if (equals < 0) {
      const leading = entry.split(/[\s:]/)[0];
      entries.push({
        ...(environments.includes(leading) && { environment: leading }),
        problem: `${ANNOTATION_DEPLOYMENT_FILES} entry "${entry}" has no "=": write it as environment=location, such as staging=./deploy/staging/docker-compose.yaml`,
      });
      continue;
    }
    const environment = entry.slice(0, equals).trim();
    const location = entry.slice(equals + 1).trim();
    if (!environment) {
      entries.push({
        problem: `${ANNOTATION_DEPLOYMENT_FILES} entry "${entry}" names no environment before "="`,
      });
    } else if (!location) {
      entries.push({
        environment,
        problem: `${ANNOTATION_DEPLOYMENT_FILES} gives environment ${environment} an empty location`,
      });
    } else {
      entries.push({ environment, location });
    }
  }
  return entries;
}

/**
 * The URL of a deployment file: an absolute `http(s)` URL (optionally written `url:https://…`), or a path relative
 * to the entity's `backstage.io/source-location` that stays inside it. Throws an InputError that says what is wrong.
 */
export function resolveDeploymentFileUrl(
  location: string,
  sourceLocation: string | undefined,
): string {
  const written = location.replace(/^url:/, '');
  if (/^[a-z][a-z0-9+.-]*:/i.test(written)) {
    let url: URL;
    try {
      url = new URL(written);
    } catch {
      throw new InputError(`"${location}" is not a valid URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new InputError(
        `"${location}" is not an http(s) URL or a path relative to the entity's source location`,
      );
    }
    // The location is shown on the lane: credentials belong in the integration's config.
    if (url.username || url.password) {
      throw new InputError(
        `"${url.host}${url.pathname}" carries credentials in its URL: configure an integration for ${url.host} instead`,
      );
    }
    return url.toString();
  }
  if (!sourceLocation) {
    throw new InputError(
      `"${location}" is a relative path, but the entity has no backstage.io/source-location to resolve it against`,
    );
  }
  let base: URL;
  try {
    const ref = parseLocationRef(sourceLocation);
    if (ref.type !== 'url') throw new Error(ref.type);
    // The source location is a directory, even when written without its trailing slash.
    base = new URL(ref.target.endsWith('/') ? ref.target : `${ref.target}/`);
  } catch {
    throw new InputError(
      `"${location}" is a relative path, but backstage.io/source-location "${sourceLocation}" is not a url: location to resolve it against`,
    );
  }
  if (written.startsWith('/')) {
    throw new InputError(
      `"${location}" starts with "/": write it relative to the entity's source location (${base})`,
    );
  }
  const url = new URL(written, base);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
    throw new InputError(
      `"${location}" leaves the entity's source location (${base}) with ".."`,
    );
  }
  return url.toString();
}

type Tree = { [key: string]: unknown };
const isTree = (value: unknown): value is Tree =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// The failsafe schema keeps every scalar a string (`tag: 1234567` stays a commit, not a number), so YAML's nulls
// arrive as text.
function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed && trimmed !== 'null' && trimmed !== '~' ? trimmed : undefined;
}

// Kustomize's `images` override: the new name (or the same) with the new tag or digest. An override without either
// keeps the tag of the resources, which this file does not say.
function kustomizeImage(override: unknown): string | undefined {
  if (!isTree(override)) return undefined;
  const name = text(override.newName) ?? text(override.name);
  const tag = text(override.newTag);
  const digest = text(override.digest);
  if (!name) return undefined;
  if (digest) return `${name}@${digest}`;
  return tag ? `${name}:${tag}` : undefined;
}

// Helm values: `image: { registry?, repository, tag?, digest? }`. Without tag or digest the chart's appVersion
// decides, which the values file does not say.
function helmImage(image: Tree): string | undefined {
  const repository = text(image.repository);
  if (!repository) return undefined;
  const registry = text(image.registry);
  const tag = text(image.tag);
  const digest = text(image.digest);
  if (!tag && !digest) return undefined;
  const name = registry ? `${registry}/${repository}` : repository;
  return `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

const MAX_DEPTH = 100;

function collect(node: unknown, add: (reference: string) => void, depth = 0) {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(node)) {
    for (const item of node) collect(item, add, depth + 1);
    return;
  }
  if (!isTree(node)) return;
  // docker-compose `services.*.image`, Kubernetes `containers[].image`, Helm `image: "repo:tag"`.
  const image = node.image;
  const reference = isTree(image) ? helmImage(image) : text(image);
  if (reference) add(reference);
  if (depth === 0 && Array.isArray(node.images)) {
    for (const override of node.images) {
      const overridden = kustomizeImage(override);
      if (overridden) add(overridden);
    }
  }
  for (const value of Object.values(node)) collect(value, add, depth + 1);
}

/**
 * Every image reference a deployment file declares, found by content: docker-compose services, a kustomization's
 * `images`, Helm values (`image` maps and strings anywhere) and Kubernetes manifests (multi-document YAML, or JSON).
 * References that are not image references (templated `${TAG}`, `{{ .Values.tag }}`) are left out. Throws an
 * InputError naming the file and line when it is not YAML.
 */
export function imagesInDeploymentFile(
  content: string,
  name: string,
): DeployedImage[] {
  const documents = parseAllDocuments(content, { schema: 'failsafe' });
  const found = new Map<string, DeployedImage>();
  const add = (reference: string) => {
    if (found.has(reference)) return;
    try {
      const parsed = parseImageReference(reference);
      found.set(reference, {
        reference,
        ...(parsed.digest && { digest: parsed.digest }),
      });
    } catch {
      // Not an image reference: a template or a variable the deployment fills in.
    }
  };
  for (const document of documents) {
    const error = document.errors[0];
    if (error) {
      const position = error.linePos?.[0];
      const reason = error.message.split(/ at line \d+|\n/)[0];
      throw new InputError(
        position
          ? `${name} is not valid YAML at line ${position.line}, column ${position.col}: ${reason}`
          : `${name} is not valid YAML: ${reason}`,
      );
    }
    let tree: unknown;
    try {
      tree = document.toJS({ maxAliasCount: 100 });
    } catch {
      // Aliases that expand without bound (a "billion laughs" file).
      throw new InputError(`${name} uses more YAML aliases than allowed`);
    }
    if (tree !== null && tree !== undefined && typeof tree !== 'object') {
      throw new InputError(
        `${name} is not a deployment file: it holds text, not YAML or JSON maps and lists`,
      );
    }
    collect(tree, add);
  }
  return [...found.values()];
}
