import { EnvironmentDeploymentReport } from '@berth/plugin-images-node';
import { laneDeployment, laneStatus } from './laneDeployment';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const repositories = [{ registry: 'ghcr.io', repository: 'bxtech/dotca' }];
const location = 'cluster prod, namespace dotca';

function judge(
  images: EnvironmentDeploymentReport['images'],
  // null: the environment's tag does not exist.
  tagDigest: string | null = A,
  extra: Partial<EnvironmentDeploymentReport> = {},
) {
  return laneDeployment({
    source: 'kubernetes',
    report: { environment: 'production', location, images, ...extra },
    repositories,
    tagDigest: tagDigest ?? undefined,
    digestOf: reference => (reference.tag === '3f2a9c1' ? B : undefined),
  });
}

describe('laneDeployment', () => {
  it('is running when every replica runs the tagged digest, counting replicas', () => {
    const deployment = judge([
      { reference: 'ghcr.io/bxtech/dotca:latest', digest: A, replicas: 2 },
      { reference: 'ghcr.io/bxtech/dotca:latest', digest: A, replicas: 1 },
      // A sidecar of another repository is not this lane's business.
      { reference: 'docker.io/library/envoy:1.30', digest: B, replicas: 3 },
    ]);
    expect(deployment).toEqual({
      source: 'kubernetes',
      location,
      state: 'running',
      running: [
        { digest: A, reference: 'ghcr.io/bxtech/dotca:latest', replicas: 3 },
      ],
      message: `${location} runs aaaaaaaaaaaa (3 replicas)`,
    });
  });

  it('is rolling out when some replicas run the tagged digest and others another', () => {
    const deployment = judge([
      { reference: 'ghcr.io/bxtech/dotca:latest', digest: A, replicas: 1 },
      { reference: 'ghcr.io/bxtech/dotca:v1', digest: B, replicas: 2 },
    ]);
    expect(deployment.state).toBe('rolling-out');
    expect(deployment.message).toBe(
      `${location} is rolling out aaaaaaaaaaaa: aaaaaaaaaaaa (1 replicas), bbbbbbbbbbbb (2 replicas)`,
    );
  });

  it('is drift, with both digests, when it runs something else than the tag says', () => {
    const deployment = judge([
      { reference: 'ghcr.io/bxtech/dotca:v1', digest: B, replicas: 2 },
    ]);
    expect(deployment.state).toBe('drift');
    expect(deployment.message).toBe(
      `${location} runs bbbbbbbbbbbb (2 replicas), not aaaaaaaaaaaa that the tag points at`,
    );
  });

  it('resolves the tags a file names, and pinned digests need no resolution', () => {
    expect(
      judge([{ reference: 'ghcr.io/bxtech/dotca:3f2a9c1' }], B).state,
    ).toBe('running');
    expect(judge([{ reference: `ghcr.io/bxtech/dotca@${A}` }]).state).toBe(
      'running',
    );
    const missing = judge([{ reference: 'ghcr.io/bxtech/dotca:gone' }]);
    expect(missing.state).toBe('drift');
    expect(missing.message).toBe(
      `${location} names ghcr.io/bxtech/dotca:gone, which the registry does not have`,
    );
  });

  it('is not deployed when the source runs nothing of the image, and unreachable with the reason', () => {
    expect(
      judge([{ reference: 'docker.io/library/redis:7', digest: B }]).state,
    ).toBe('not-deployed');
    const unreachable = judge([], A, { error: 'the cluster answered 503' });
    expect(unreachable).toMatchObject({
      state: 'unreachable',
      running: [],
      message: `${location} could not be read: the cluster answered 503`,
    });
  });

  it('shows what runs without a tag (a team that deploys commits)', () => {
    const deployment = judge(
      [{ reference: 'ghcr.io/bxtech/dotca:3f2a9c1' }],
      null,
    );
    expect(deployment).toMatchObject({
      state: 'running',
      running: [{ digest: B, reference: 'ghcr.io/bxtech/dotca:3f2a9c1' }],
      message: `${location} runs ghcr.io/bxtech/dotca:3f2a9c1`,
    });
  });
});

describe('laneStatus', () => {
  const running = judge([{ reference: 'ghcr.io/bxtech/dotca', digest: A }]);
  const drift = judge([{ reference: 'ghcr.io/bxtech/dotca', digest: B }]);
  const rolling = judge([
    { reference: 'ghcr.io/bxtech/dotca', digest: A },
    { reference: 'ghcr.io/bxtech/dotca', digest: B },
  ]);

  it('is GREEN when the tag exists, whatever runs, where the platform declares tagged', () => {
    expect(laneStatus('tagged', A, drift)).toBe('GREEN');
    expect(laneStatus('tagged', A, undefined)).toBe('GREEN');
    expect(laneStatus('tagged', undefined, undefined)).toBe('RED');
  });

  it('needs the tag to run where the platform declares running: GREY while rolling out or unknown', () => {
    expect(laneStatus('running', A, running)).toBe('GREEN');
    expect(laneStatus('running', A, drift)).toBe('RED');
    expect(laneStatus('running', A, undefined)).toBe('RED');
    expect(laneStatus('running', A, rolling)).toBe('GREY');
    expect(laneStatus('running', A, judge([], A, { error: 'timed out' }))).toBe(
      'GREY',
    );
  });

  it('is GREEN without a tag when the deployment runs an image of the repository', () => {
    const deployed = judge(
      [{ reference: 'ghcr.io/bxtech/dotca:3f2a9c1' }],
      null,
    );
    expect(laneStatus('tagged', undefined, deployed)).toBe('GREEN');
    expect(laneStatus('running', undefined, deployed)).toBe('GREEN');
  });
});
