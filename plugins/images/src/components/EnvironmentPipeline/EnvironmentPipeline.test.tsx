import { screen, within } from '@testing-library/react';
import {
  DIGEST_NEW,
  DIGEST_OLD,
  daysAgo,
  fakeImagesApi,
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
});
