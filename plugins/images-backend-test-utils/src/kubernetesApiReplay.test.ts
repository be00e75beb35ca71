import {
  KubernetesApiReplay,
  startKubernetesApiReplay,
} from './kubernetesApiReplay';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('startKubernetesApiReplay', () => {
  let replay: KubernetesApiReplay;

  beforeEach(async () => {
    replay = await startKubernetesApiReplay({
      pods: [
        {
          name: 'shop-1',
          namespace: 'support',
          labels: { 'backstage.io/kubernetes-id': 'shop' },
          containers: [
            {
              name: 'web',
              image: 'ghcr.io/acme/shop:v1',
              imageID: `ghcr.io/acme/shop@${DIGEST}`,
            },
          ],
        },
        {
          name: 'other-1',
          namespace: 'support',
          labels: { 'backstage.io/kubernetes-id': 'other' },
          containers: [{ name: 'web', image: 'nginx:1.25' }],
        },
      ],
    });
  });

  afterEach(() => replay.stop());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${replay.url}${path}`, { headers }).then(async r => ({
      status: r.status,
      body: await r.json(),
    }));

  it('lists pods by label selector and namespace, in the PodList shape', async () => {
    const selector = encodeURIComponent('backstage.io/kubernetes-id=shop');
    const { status, body } = await get(
      `/api/v1/pods?labelSelector=${selector}`,
      { authorization: 'Bearer secret' },
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ kind: 'PodList', apiVersion: 'v1' });
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      kind: 'Pod',
      metadata: { name: 'shop-1', namespace: 'support' },
      spec: { containers: [{ name: 'web', image: 'ghcr.io/acme/shop:v1' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            image: 'ghcr.io/acme/shop:v1',
            imageID: `ghcr.io/acme/shop@${DIGEST}`,
            ready: true,
          },
        ],
      },
    });
    expect(
      (await get(`/api/v1/namespaces/elsewhere/pods?labelSelector=${selector}`))
        .body.items,
    ).toEqual([]);
    expect(replay.requests[0]).toEqual({
      path: '/api/v1/pods',
      labelSelector: 'backstage.io/kubernetes-id=shop',
      authorized: true,
      status: 200,
    });
    expect(replay.requests[1].authorized).toBe(false);
  });

  it('shows a pulling container with an empty image ID, and follows setPods', async () => {
    const pulling = (
      await get(
        '/api/v1/namespaces/support/pods?labelSelector=backstage.io%2Fkubernetes-id%3Dother',
      )
    ).body.items[0];
    expect(pulling.status).toMatchObject({
      phase: 'Pending',
      containerStatuses: [
        {
          imageID: '',
          ready: false,
          state: { waiting: { reason: 'ContainerCreating' } },
        },
      ],
    });
    replay.setPods([]);
    expect((await get('/api/v1/pods')).body.items).toEqual([]);
  });

  it('answers every other kind the Kubernetes backend lists with an empty list', async () => {
    for (const [path, kind] of [
      ['/apis/apps/v1/namespaces/support/deployments', 'DeploymentList'],
      ['/apis/apps/v1/replicasets', 'ReplicaSetList'],
      ['/api/v1/services', 'ServiceList'],
      ['/api/v1/configmaps', 'ConfigMapList'],
      ['/api/v1/limitranges', 'LimitRangeList'],
      ['/api/v1/resourcequotas', 'ResourceQuotaList'],
      [
        '/apis/autoscaling/v2/horizontalpodautoscalers',
        'HorizontalPodAutoscalerList',
      ],
      ['/apis/batch/v1/jobs', 'JobList'],
      ['/apis/batch/v1/cronjobs', 'CronJobList'],
      ['/apis/networking.k8s.io/v1/ingresses', 'IngressList'],
      ['/apis/apps/v1/statefulsets', 'StatefulSetList'],
      ['/apis/apps/v1/daemonsets', 'DaemonSetList'],
    ]) {
      const { status, body } = await get(path);
      expect({ path, status, kind: body.kind, items: body.items }).toEqual({
        path,
        status: 200,
        kind,
        items: [],
      });
    }
    const metrics = await get(
      '/apis/metrics.k8s.io/v1beta1/namespaces/support/pods',
    );
    expect(metrics).toMatchObject({
      status: 404,
      body: { kind: 'Status', code: 404 },
    });
  });

  it('fails every request until it recovers', async () => {
    replay.fail(503);
    expect(await get('/api/v1/pods')).toMatchObject({
      status: 503,
      body: {
        kind: 'Status',
        status: 'Failure',
        reason: 'ServiceUnavailable',
        code: 503,
      },
    });
    replay.recover();
    expect((await get('/api/v1/pods')).status).toBe(200);
  });

  it('refuses a selector it cannot parse, as the API server does', async () => {
    const { status, body } = await get(
      '/api/v1/pods?labelSelector=a%20in%20(b)',
    );
    expect(status).toBe(400);
    expect(body).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
  });
});
