import { screen, within } from '@testing-library/react';
import {
  DIGEST_NEW,
  DIGEST_OLD,
  daysAgo,
  dotcaOverview,
  fakeImagesApi,
  overview,
  promotion,
} from '../../__testUtils__/fixtures';
import { renderImagesTab } from '../../__testUtils__/renderImagesTab';

jest.setTimeout(30_000);

describe('EnvironmentPipeline', () => {
  it("names who put each lane's image there, from the history, only when it is still the lane's digest", async () => {
    const api = fakeImagesApi({
      getPromotions: jest.fn(async () => [
        promotion({
          id: 'p-2',
          environment: 'staging',
          sourceDigest: DIGEST_OLD,
          requestedBy: 'user:default/ada',
          decidedBy: 'user:default/grace',
          forced: true,
          reason: 'Hotfix for the outage',
          finishedAt: daysAgo(1),
        }),
        // Older, and staging has moved since: not what the lane runs.
        promotion({
          id: 'p-1',
          environment: 'staging',
          sourceDigest: DIGEST_NEW,
          requestedBy: 'user:default/linus',
        }),
        // Failed attempts put nothing anywhere.
        promotion({
          id: 'p-0',
          environment: 'development',
          status: 'failed',
          sourceDigest: DIGEST_NEW,
        }),
      ]),
    });
    await renderImagesTab({ api });

    const staging = await screen.findByTestId('environment-lane-staging');
    expect(
      await within(staging).findByTestId('lane-last-move'),
    ).toHaveTextContent('by ada, approved by grace 1 day ago · forced');
    expect(within(staging).getByText('Promoted')).toBeInTheDocument();
    const development = screen.getByTestId('environment-lane-development');
    expect(
      within(development).queryByTestId('lane-last-move'),
    ).not.toBeInTheDocument();
  });

  it('shows what each deployment runs beside the tag: running, drift with both digests, rolling out, unreachable', async () => {
    const [development, staging, production, canary] =
      dotcaOverview.environments;
    const api = fakeImagesApi({
      getOverview: jest.fn(async () =>
        overview({
          ...dotcaOverview,
          environments: [
            {
              ...development,
              deployment: {
                source: 'kubernetes',
                location: 'cluster dev, namespace dotca',
                state: 'running',
                running: [{ digest: DIGEST_NEW, replicas: 2 }],
                message:
                  'cluster dev, namespace dotca runs 0f1e2d3c4b5a (2 replicas)',
              },
            },
            {
              ...staging,
              status: 'RED',
              message:
                'cluster prod, namespace dotca runs 4a5b6c7d8e9f (3 replicas), not 1a2b3c4d5e6f that the tag points at',
              deployment: {
                source: 'kubernetes',
                location: 'cluster prod, namespace dotca',
                state: 'drift',
                running: [{ digest: DIGEST_NEW, replicas: 3 }],
                message: 'cluster prod, namespace dotca runs something else',
              },
            },
            {
              ...production,
              status: 'GREY',
              deployment: {
                source: 'kubernetes',
                location: 'cluster prod, namespace dotca',
                state: 'rolling-out',
                running: [
                  { digest: DIGEST_OLD, replicas: 1 },
                  { digest: DIGEST_NEW, replicas: 2 },
                ],
                message:
                  'cluster prod, namespace dotca is rolling out 1a2b3c4d5e6f',
              },
            },
            {
              ...canary,
              deployment: {
                source: 'file',
                location: 'https://git.example.com/deploy/canary.yaml',
                state: 'unreachable',
                running: [],
                message:
                  'https://git.example.com/deploy/canary.yaml could not be read: not found',
              },
            },
          ],
        }),
      ),
    });
    await renderImagesTab({ api });

    const lane = async (name: string) =>
      within(
        await within(
          await screen.findByTestId(`environment-lane-${name}`),
        ).findByTestId('lane-deployment'),
      );
    // The chips say what runs, where a source knows it.
    const chip = (name: string) =>
      within(screen.getByTestId(`environment-lane-${name}`)).getAllByText(/./, {
        selector: '.MuiChip-label',
      })[0].textContent;
    expect(
      ['development', 'staging', 'production', 'canary'].map(name =>
        chip(name),
      ),
    ).toEqual(['running', 'drift', 'rolling out', 'missing']);
    const dev = await lane('development');
    expect(dev.getByText('running')).toBeInTheDocument();
    // Only the lane's own digest runs: not listed twice.
    expect(dev.queryByText(/×/)).not.toBeInTheDocument();
    const drift = await lane('staging');
    expect(drift.getByText('drift')).toBeInTheDocument();
    expect(drift.getByText('×3')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('environment-lane-staging')).getByText(
        /not 1a2b3c4d5e6f that the tag points at/,
      ),
    ).toBeInTheDocument();
    const rolling = await lane('production');
    expect(rolling.getByText('rolling out')).toBeInTheDocument();
    expect(rolling.getByText('×1')).toBeInTheDocument();
    expect(rolling.getByText('×2')).toBeInTheDocument();
    const canaryLane = await lane('canary');
    expect(canaryLane.getByText('source unreachable')).toBeInTheDocument();
    expect(
      canaryLane.getByText(/canary.yaml could not be read: not found/),
    ).toBeInTheDocument();
  });

  it('shows release policies on the lane before anyone plans a promotion: an open freeze, upstream first, approvals', async () => {
    const [development, staging, production, canary] =
      dotcaOverview.environments;
    const api = fakeImagesApi({
      getOverview: jest.fn(async () =>
        overview({
          ...dotcaOverview,
          environments: [
            development,
            {
              ...staging,
              policies: { upstreamFirst: { environment: 'development' } },
            },
            {
              ...production,
              policies: {
                frozen: {
                  until: '2026-12-31T23:00:00.000Z',
                  timeZone: 'Europe/Paris',
                  reason: 'Year-end freeze',
                },
                upstreamFirst: { environment: 'staging', soakSeconds: 86_400 },
                approvals: {
                  count: 2,
                  group: 'group:default/release-managers',
                },
              },
            },
            // One approval from anyone: the lock of a protected lane says it already.
            {
              ...canary,
              protected: true,
              policies: { approvals: { count: 1 } },
            },
          ],
        }),
      ),
    });
    await renderImagesTab({ api });

    const policies = async (name: string) =>
      within(
        await screen.findByTestId(`environment-lane-${name}`),
      ).queryByTestId(`lane-policies-${name}`);
    // Midnight in Paris, as the freeze gate of a plan says it.
    expect(await policies('production')).toHaveTextContent(
      'Frozen until 2027-01-01 00:00 Europe/Paris (Year-end freeze)' +
        'Soak 1 d in staging first' +
        '2 approvals (release-managers)',
    );
    expect(await policies('staging')).toHaveTextContent('Development first');
    expect(await policies('development')).not.toBeInTheDocument();
    expect(await policies('canary')).not.toBeInTheDocument();
  });
});
