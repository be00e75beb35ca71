import { screen, within } from '@testing-library/react';
import {
  DIGEST_NEW,
  dotcaOverview,
  fakeImagesApi,
  overview,
} from '../../__testUtils__/fixtures';
import { renderImagesTab } from '../../__testUtils__/renderImagesTab';

jest.setTimeout(30_000);

describe('PreviewEnvironments', () => {
  it('shows each preview environment of the image with its digest and age, newest first', async () => {
    await renderImagesTab({
      api: fakeImagesApi({
        getOverview: jest.fn(async () =>
          overview({
            ...dotcaOverview,
            previews: [
              {
                tag: 'pr-412',
                digest: DIGEST_NEW,
                pushedAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
              },
              {
                tag: 'feature-search',
                digest: DIGEST_NEW,
                created: new Date(Date.now() - 2 * 86_400_000).toISOString(),
              },
            ],
          }),
        ),
      }),
    });
    const section = await screen.findByTestId('preview-environments');
    expect(
      within(section).getByText('Preview environments (2)'),
    ).toBeInTheDocument();
    const items = within(section).getAllByRole('listitem');
    expect(items.map(item => item.dataset.testid)).toEqual([
      'preview-pr-412',
      'preview-feature-search',
    ]);
    expect(items[0]).toHaveTextContent('pushed 3 hours ago');
    expect(items[1]).toHaveTextContent('built 2 days ago');
    expect(items[0]).toHaveTextContent(DIGEST_NEW.slice(7, 19));
  });

  it('shows nothing without previews', async () => {
    await renderImagesTab();
    await screen.findByTestId('environment-lane-staging');
    expect(
      screen.queryByTestId('preview-environments'),
    ).not.toBeInTheDocument();
  });
});
