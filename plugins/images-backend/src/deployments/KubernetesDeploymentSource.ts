import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ClusterObjects,
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
  KubernetesFetchError,
  ObjectsByEntityResponse,
  PodFetchResponse,
} from '@backstage/plugin-kubernetes-common';
import {
  formatImageReference,
  isValidDigest,
  parseImageReference,
} from '@berth/plugin-images-common';
import {
  DeployedImage,
  DeploymentQuery,
  DeploymentSource,
  EnvironmentDeploymentReport,
} from '@berth/plugin-images-node';

/** One `images.deployments.kubernetes` entry: where an environment runs. */
export interface KubernetesEnvironmentMapping {
  cluster: string;
  namespace?: string;
  environment: string;
}

const CONFIG_KEY = 'images.deployments.kubernetes';
const DEFAULT_TIMEOUT_MS = 10_000;
// RFC 1123 label, as Kubernetes requires of namespace names.
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

type Pod = PodFetchResponse['resources'][number];

function readMappings(config: RootConfigService) {
  const raw = config.getOptional(CONFIG_KEY);
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    throw new InputError(
      `${CONFIG_KEY} must be a list of { cluster, environment, namespace? } entries`,
    );
  }
  const mappings = config.getConfigArray(CONFIG_KEY).map((entry, index) => {
    const setting = (key: string) => `${CONFIG_KEY}[${index}].${key}`;
    const text = (key: string, required: boolean) => {
      const value = entry.getOptional(key);
      if (value === undefined && !required) return undefined;
      if (typeof value !== 'string' || !value.trim()) {
        throw new InputError(`${setting(key)} must be a non-empty string`);
      }
      return value.trim();
    };
    const mapping: KubernetesEnvironmentMapping = {
      cluster: text('cluster', true)!,
      environment: text('environment', true)!,
    };
    const namespace = text('namespace', false);
    if (namespace !== undefined) {
      if (!NAMESPACE.test(namespace)) {
        throw new InputError(
          `${setting(
            'namespace',
          )} "${namespace}" is not a Kubernetes namespace name (lowercase letters, digits and '-')`,
        );
      }
      mapping.namespace = namespace;
    }
    return mapping;
  });
  // The Images tab judges one report per environment, so each environment lives in one place.
  mappings.forEach((mapping, index) => {
    const earlier = mappings.findIndex(
      m => m.environment === mapping.environment,
    );
    if (earlier !== index) {
      throw new InputError(
        `${CONFIG_KEY}[${index}].environment: ${mapping.environment} is already mapped by ${CONFIG_KEY}[${earlier}]; map each environment to one cluster and namespace`,
      );
    }
  });
  return mappings;
}

function locationOf(mapping: KubernetesEnvironmentMapping): string {
  return mapping.namespace
    ? `cluster ${mapping.cluster}, namespace ${mapping.namespace}`
    : `cluster ${mapping.cluster}`;
}

// `docker-pullable://`, `docker://`: container runtimes prefix image IDs with a scheme.
const stripScheme = (text: string) =>
  text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');

/** The registry digest of an image ID (`…@sha256:…`); a bare `sha256:…` is a local image ID, not a registry digest. */
function digestOf(imageID: string | undefined): string | undefined {
  if (!imageID) return undefined;
  const id = stripScheme(imageID);
  const at = id.lastIndexOf('@');
  const digest = at >= 0 ? id.slice(at + 1) : undefined;
  return digest && isValidDigest(digest) ? digest : undefined;
}

/** The reference in Berth's canonical form (`docker.io/library/nginx:1.25`), or undefined when it names no image. */
function normalise(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const text = stripScheme(image);
  // Some runtimes report the local image ID where the image name belongs.
  if (isValidDigest(text)) return undefined;
  try {
    return formatImageReference(parseImageReference(text));
  } catch {
    return undefined;
  }
}

const repositoryOf = (reference: string) => {
  const { registry, repository } = parseImageReference(reference);
  return `${registry}/${repository}`;
};

/** The images the pods run, one entry per repository and digest, with how many pods run it. */
export function imagesOfPods(pods: Pod[]): DeployedImage[] {
  const found = new Map<string, { image: DeployedImage; pods: Set<string> }>();
  const add = (pod: string, reference: string, digest?: string) => {
    // Without a digest (still pulling), the tag is all there is to tell images apart.
    const key = digest ? `${repositoryOf(reference)}@${digest}` : reference;
    const entry = found.get(key) ?? {
      image: { reference, ...(digest && { digest }) },
      pods: new Set<string>(),
    };
    entry.pods.add(pod);
    found.set(key, entry);
  };
  for (const pod of pods) {
    // A finished pod (a completed job, an evicted pod) runs nothing.
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
      continue;
    }
    const podKey = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    const specImages = new Map(
      (pod.spec?.containers ?? []).map(c => [c.name, c.image]),
    );
    const statuses = pod.status?.containerStatuses ?? [];
    for (const status of statuses) {
      const digest = digestOf(status.imageID);
      const idRepository = digest
        ? stripScheme(status.imageID).slice(0, -digest.length - 1)
        : undefined;
      const reference =
        normalise(digest ? status.image : specImages.get(status.name)) ??
        normalise(specImages.get(status.name)) ??
        normalise(status.image) ??
        normalise(idRepository && `${idRepository}@${digest}`);
      // An image no reference can be read from cannot be matched to any repository.
      if (reference) add(podKey, reference, digest);
    }
    // A pod not yet scheduled has no statuses: it will run its spec's images.
    const reported = new Set(statuses.map(s => s.name));
    for (const [name, image] of specImages) {
      const reference = reported.has(name) ? undefined : normalise(image);
      if (reference) add(podKey, reference);
    }
  }
  return [...found.values()].map(({ image, pods: running }) => ({
    ...image,
    replicas: running.size,
  }));
}

/** Why a cluster could not be read, in words safe to show: the error type and status code, never the raw message. */
function describeClusterErrors(errors: KubernetesFetchError[]): string {
  const isPods = (e: KubernetesFetchError) =>
    'resourcePath' in e &&
    /\/pods$/.test(e.resourcePath ?? '') &&
    !e.resourcePath?.includes('metrics.k8s.io');
  const error = errors.find(isPods) ?? errors[0];
  if (error.errorType === 'FETCH_ERROR') {
    return 'the Kubernetes backend could not reach the cluster (FETCH_ERROR)';
  }
  const status = 'statusCode' in error ? error.statusCode : undefined;
  return status
    ? `the cluster answered HTTP ${status} (${error.errorType})`
    : `the cluster could not be read (${error.errorType})`;
}

function describeBackendStatus(status: number): string {
  switch (status) {
    case 401:
    case 403:
      return `the Kubernetes backend refused the request (HTTP ${status}): the user may not read Kubernetes resources`;
    case 404:
      return 'the Kubernetes backend is not installed (HTTP 404)';
    case 400:
      return 'the Kubernetes backend could not read the entity (HTTP 400)';
    default:
      return `the Kubernetes backend answered HTTP ${status}`;
  }
}

/**
 * Reports what an entity runs in Kubernetes, per Berth environment, by asking Backstage's Kubernetes backend on behalf
 * of the user (Berth holds no cluster credentials): the pods' images with their digests and replica counts.
 */
export class KubernetesDeploymentSource implements DeploymentSource {
  readonly id = 'kubernetes';

  /** The source configured by `images.deployments.kubernetes`; undefined when that is not set. */
  static fromConfig(
    config: RootConfigService,
    deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
    },
  ): KubernetesDeploymentSource | undefined {
    const mappings = readMappings(config);
    if (!mappings?.length) return undefined;
    return new KubernetesDeploymentSource({ mappings, ...deps });
  }

  private readonly mappings: KubernetesEnvironmentMapping[];
  private readonly discovery: DiscoveryService;
  private readonly auth: AuthService;
  private readonly logger: LoggerService;
  private readonly timeoutMs: number;

  constructor(options: {
    mappings: KubernetesEnvironmentMapping[];
    discovery: DiscoveryService;
    auth: AuthService;
    logger: LoggerService;
    /** Time limit of the call to the Kubernetes backend (default 10 s). */
    timeoutMs?: number;
  }) {
    this.mappings = options.mappings;
    this.discovery = options.discovery;
    this.auth = options.auth;
    this.logger = options.logger;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async getDeployments(
    query: DeploymentQuery,
  ): Promise<EnvironmentDeploymentReport[]> {
    const annotations = query.entity.metadata.annotations ?? {};
    if (
      !annotations[KUBERNETES_ANNOTATION] &&
      !annotations[KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION]
    ) {
      return [];
    }
    const environments = new Set(query.environments.map(e => e.name));
    const mappings = this.mappings.filter(m => environments.has(m.environment));
    if (mappings.length === 0) return [];

    const entityRef = stringifyEntityRef(query.entity);
    const result = await this.fetchWorkloads(entityRef, query.credentials);
    if ('error' in result) {
      this.logger.warn(
        `Kubernetes deployments of ${entityRef} could not be read: ${result.error}`,
      );
      return mappings.map(mapping => ({
        environment: mapping.environment,
        location: locationOf(mapping),
        images: [],
        error: result.error,
      }));
    }
    return mappings.map(mapping =>
      this.report(mapping, entityRef, result.response),
    );
  }

  private report(
    mapping: KubernetesEnvironmentMapping,
    entityRef: string,
    response: ObjectsByEntityResponse,
  ): EnvironmentDeploymentReport {
    const base = {
      environment: mapping.environment,
      location: locationOf(mapping),
    };
    // The Kubernetes backend leaves out clusters that run nothing of the entity.
    const objects: ClusterObjects | undefined = response.items.find(
      item => item.cluster?.name === mapping.cluster,
    );
    const podResponses = (objects?.resources ?? []).filter(
      (r): r is PodFetchResponse => r.type === 'pods',
    );
    // Errors on other kinds (no metrics server, no right to list configmaps) do not hide the pods.
    if (objects && podResponses.length === 0 && objects.errors?.length) {
      const error = describeClusterErrors(objects.errors);
      this.logger.warn(
        `Kubernetes cluster ${mapping.cluster} could not be read for ${entityRef}: ${error}`,
      );
      return { ...base, images: [], error };
    }
    const pods = podResponses
      .flatMap(r => r.resources ?? [])
      .filter(
        pod =>
          !mapping.namespace || pod.metadata?.namespace === mapping.namespace,
      );
    return { ...base, images: imagesOfPods(pods) };
  }

  /** The entity's workloads, read by the Kubernetes backend with the user's permission, or why they could not be. */
  private async fetchWorkloads(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ response: ObjectsByEntityResponse } | { error: string }> {
    try {
      const baseUrl = await this.discovery.getBaseUrl('kubernetes');
      const { token } = await this.auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'kubernetes',
      });
      // The route the Kubernetes frontend uses: it reads the entity from the catalog as the user may see it.
      const response = await fetch(`${baseUrl}/resources/workloads/query`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ auth: {}, entityRef }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) {
        await response.body?.cancel();
        return { error: describeBackendStatus(response.status) };
      }
      const body = (await response.json()) as ObjectsByEntityResponse;
      if (!Array.isArray(body?.items)) {
        return {
          error:
            'the Kubernetes backend gave an answer Berth does not understand',
        };
      }
      return { response: body };
    } catch (error) {
      const name = (error as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        return {
          error: `the Kubernetes backend did not answer within ${
            this.timeoutMs / 1000
          } seconds`,
        };
      }
      if (name === 'SyntaxError') {
        return {
          error:
            'the Kubernetes backend gave an answer Berth does not understand',
        };
      }
      return { error: 'the Kubernetes backend could not be reached' };
    }
  }
}
