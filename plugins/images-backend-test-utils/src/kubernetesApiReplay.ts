/*
 * A stand-in for a Kubernetes API server. No API server (nor kind, nor k3s) runs here, so this replays responses in
 * the shapes the Kubernetes API documents (`PodList`, `DeploymentList`, `Status`, ...) for the list calls that
 * Backstage's Kubernetes backend makes, from pods that a test describes and changes.
 */
import http, { IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/**
 * One container of a replayed pod.
 *
 * @public
 */
export interface ReplayContainer {
  name: string;
  /** The image as the pod spec names it: `ghcr.io/acme/shop:v2`, `nginx:1.25`. */
  image: string;
  /** The image as the container status names it (the kubelet writes `docker.io/library/nginx:1.25`); `image` when omitted. */
  statusImage?: string;
  /**
   * The status's image ID as the runtime writes it: `docker.io/library/nginx@sha256:…` (containerd) or
   * `docker-pullable://nginx@sha256:…` (dockershim). Omitted: the container is still pulling (waiting, no ID).
   */
  imageID?: string;
}

/**
 * One replayed pod.
 *
 * @public
 */
export interface ReplayPod {
  name: string;
  /** Default `default`. */
  namespace?: string;
  labels?: Record<string, string>;
  containers: ReplayContainer[];
}

/**
 * One request the replay answered.
 *
 * @public
 */
export interface KubernetesReplayRequest {
  path: string;
  labelSelector?: string;
  /** Whether an `Authorization` header came (its value is not kept). */
  authorized: boolean;
  status: number;
}

/**
 * A running replay, from {@link startKubernetesApiReplay}.
 *
 * @public
 */
export interface KubernetesApiReplay {
  /** `http://127.0.0.1:<port>`, the cluster's `url`. */
  url: string;
  /** Every request answered, oldest first. */
  requests: KubernetesReplayRequest[];
  /** Replaces the pods (a rollout, a scale-down). */
  setPods(pods: ReplayPod[]): void;
  /** Answers every request with this status (`503`, `401`) and a `Status` object, until {@link recover}. */
  fail(status: number): void;
  recover(): void;
  stop(): Promise<void>;
}

/**
 * Options for {@link startKubernetesApiReplay}.
 *
 * @public
 */
export interface KubernetesApiReplayOptions {
  pods?: ReplayPod[];
  /** A fixed port (the demo's cluster URL is in its config); any free port when omitted. */
  port?: number;
  /** How many requests {@link KubernetesApiReplay.requests} keeps, newest last (default: all; a demo keeps few). */
  keepRequests?: number;
}

// Every kind the Kubernetes backend lists by default (its DEFAULT_OBJECTS), by `group/version/plural`.
const LIST_KINDS: Record<string, string> = {
  'v1/pods': 'PodList',
  'v1/services': 'ServiceList',
  'v1/configmaps': 'ConfigMapList',
  'v1/limitranges': 'LimitRangeList',
  'v1/resourcequotas': 'ResourceQuotaList',
  'apps/v1/deployments': 'DeploymentList',
  'apps/v1/replicasets': 'ReplicaSetList',
  'apps/v1/statefulsets': 'StatefulSetList',
  'apps/v1/daemonsets': 'DaemonSetList',
  'autoscaling/v2/horizontalpodautoscalers': 'HorizontalPodAutoscalerList',
  'batch/v1/jobs': 'JobList',
  'batch/v1/cronjobs': 'CronJobList',
  'networking.k8s.io/v1/ingresses': 'IngressList',
};

// `/api/v1[/namespaces/ns]/pods` or `/apis/apps/v1[/namespaces/ns]/deployments`.
const LIST_PATH =
  /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)$/;

type Requirement = (labels: Record<string, string>) => boolean;

// Equality-based selectors (`a=b`, `a==b`, `a!=b`) and existence (`a`, `!a`), as `kubectl get -l` accepts them.
function parseSelector(selector: string): Requirement[] {
  return selector
    .split(',')
    .filter(part => part.trim())
    .map(part => {
      const match = /^\s*(!?)([\w./-]+)\s*(?:(==|=|!=)\s*([\w./-]*))?\s*$/.exec(
        part,
      );
      if (!match) throw new Error(`unable to parse requirement: ${part}`);
      const [, not, key, op, value] = match;
      if (!op) return labels => key in labels !== (not === '!');
      if (not) throw new Error(`unable to parse requirement: ${part}`);
      return op === '!='
        ? labels => labels[key] !== value
        : labels => labels[key] === value;
    });
}

function statusObject(code: number, reason: string, message: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

function podObject(pod: ReplayPod, index: number) {
  const namespace = pod.namespace ?? 'default';
  const pulling = pod.containers.some(c => !c.imageID);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace,
      uid: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      labels: pod.labels ?? {},
      creationTimestamp: '2025-01-01T00:00:00Z',
    },
    spec: {
      containers: pod.containers.map(c => ({ name: c.name, image: c.image })),
    },
    status: {
      phase: pulling ? 'Pending' : 'Running',
      containerStatuses: pod.containers.map(c => ({
        name: c.name,
        image: c.statusImage ?? c.image,
        // The kubelet writes an empty image ID while the image is being pulled.
        imageID: c.imageID ?? '',
        ready: Boolean(c.imageID),
        started: Boolean(c.imageID),
        restartCount: 0,
        state: c.imageID
          ? { running: { startedAt: '2025-01-01T00:00:05Z' } }
          : { waiting: { reason: 'ContainerCreating' } },
        ...(c.imageID && { containerID: `containerd://${pod.name}-${c.name}` }),
      })),
    },
  };
}

/**
 * Starts a loopback server answering the Kubernetes API list calls of Backstage's Kubernetes backend: pods from the
 * options (filtered by namespace and `labelSelector`), every other kind it lists as an empty list, anything else
 * (such as the metrics API, which a cluster without metrics-server lacks) with a 404 `Status`.
 *
 * @public
 */
export async function startKubernetesApiReplay(
  options: KubernetesApiReplayOptions = {},
): Promise<KubernetesApiReplay> {
  let pods = options.pods ?? [];
  let failure: number | undefined;
  const requests: KubernetesReplayRequest[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://replay');
    const labelSelector = url.searchParams.get('labelSelector') ?? undefined;
    const send = (status: number, body: unknown) => {
      if (
        options.keepRequests !== undefined &&
        requests.length >= options.keepRequests
      ) {
        requests.shift();
      }
      requests.push({
        path: url.pathname,
        ...(labelSelector !== undefined && { labelSelector }),
        authorized: Boolean(req.headers.authorization),
        status,
      });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (failure) {
      const reason = REASONS[failure] ?? 'Unknown';
      send(failure, statusObject(failure, reason, reason));
      return;
    }
    const match = LIST_PATH.exec(url.pathname);
    const [, coreVersion, group, groupVersion, namespace, plural] = match ?? [];
    const key = coreVersion
      ? `${coreVersion}/${plural}`
      : `${group}/${groupVersion}/${plural}`;
    const kind = LIST_KINDS[key];
    if (req.method !== 'GET' || !match || !kind) {
      send(
        404,
        statusObject(
          404,
          'NotFound',
          'the server could not find the requested resource',
        ),
      );
      return;
    }
    let requirements: Requirement[];
    try {
      requirements = parseSelector(labelSelector ?? '');
    } catch (error) {
      send(400, statusObject(400, 'BadRequest', (error as Error).message));
      return;
    }
    const items =
      kind === 'PodList'
        ? pods
            .map(podObject)
            .filter(
              p =>
                (!namespace || p.metadata.namespace === namespace) &&
                requirements.every(r => r(p.metadata.labels)),
            )
        : [];
    send(200, {
      kind,
      apiVersion: coreVersion ?? `${group}/${groupVersion}`,
      metadata: { resourceVersion: String(requests.length + 1) },
      items,
    });
  };

  const server = http.createServer(handle);
  const sockets = new Set<Socket>();
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setPods(next) {
      pods = next;
    },
    fail(status) {
      failure = status;
    },
    recover() {
      failure = undefined;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
