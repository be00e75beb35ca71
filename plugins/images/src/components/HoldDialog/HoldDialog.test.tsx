import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  dotcaOverview,
  fakeImagesApi,
  overview,
} from '../../__testUtils__/fixtures';
import { renderImagesTab } from '../../__testUtils__/renderImagesTab';

jest.setTimeout(30_000);

describe('Holding an environment', () => {
  const [development, staging, ...rest] = dotcaOverview.environments;
  const held = overview({
    ...dotcaOverview,
    environments: [
      development,
      {
        ...staging,
        hold: {
          heldBy: 'user:default/ada',
          reason: 'Investigating the checkout errors',
          heldAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
        },
      },
      ...rest,
    ],
  });

  it('shows who holds a lane and why, and releases it', async () => {
    const api = fakeImagesApi({ getOverview: jest.fn(async () => held) });
    await renderImagesTab({ api });
    const lane = await screen.findByTestId('environment-lane-staging');
    expect(within(lane).getByTestId('lane-hold-staging')).toHaveTextContent(
      'Held by ada 2 hours ago: Investigating the checkout errors. No promotion enters until it is released.',
    );
    const release = within(lane).getByTestId('release-staging');
    await waitFor(() => expect(release).toBeEnabled());
    await userEvent.click(release);
    await waitFor(() =>
      expect(api.releaseEnvironment).toHaveBeenCalledWith(
        expect.anything(),
        'staging',
        'ghcr.io/bxtech/dotca',
      ),
    );
    // The lanes are read again.
    await waitFor(() => expect(api.getOverview).toHaveBeenCalledTimes(2));
  });

  it('holds a lane only with a reason', async () => {
    const api = fakeImagesApi();
    await renderImagesTab({ api });
    const lane = await screen.findByTestId('environment-lane-staging');
    const hold = within(lane).getByTestId('hold-staging');
    await waitFor(() => expect(hold).toBeEnabled());
    await userEvent.click(hold);
    const dialog = await screen.findByTestId('hold-dialog');
    const submit = within(dialog).getByRole('button', { name: 'Hold' });
    expect(submit).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText(/Why/),
      'Load test running',
    );
    await userEvent.click(submit);
    await waitFor(() =>
      expect(api.holdEnvironment).toHaveBeenCalledWith(expect.anything(), {
        environment: 'staging',
        image: 'ghcr.io/bxtech/dotca',
        reason: 'Load test running',
      }),
    );
    await waitFor(() =>
      expect(screen.queryByTestId('hold-dialog')).not.toBeInTheDocument(),
    );
    expect(api.getOverview).toHaveBeenCalledTimes(2);
  });

  it('offers no hold to a user who may not promote', async () => {
    await renderImagesTab({
      granted: { promote: false },
    });
    const lane = await screen.findByTestId('environment-lane-staging');
    await waitFor(() =>
      expect(within(lane).getByTestId('hold-staging')).toBeDisabled(),
    );
  });
});
