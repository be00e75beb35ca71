import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { imagesApiRef } from '../../api';
import { userApis } from '../../__testUtils__/apis';
import {
  DIGEST_NEW,
  DIGEST_OLD,
  fakeImagesApi,
} from '../../__testUtils__/fixtures';
import { FleetContent } from './FleetContent';

jest.setTimeout(30_000);

describe('FleetContent', () => {
  const daysAgo = (days: number) =>
    new Date(Date.now() - days * 86_400_000).toISOString();
  const fleet = {
    environments: ['staging', 'production'],
    rows: [
      {
        entityRef: 'component:default/checkout',
        kind: 'Component',
        name: 'checkout',
        owner: 'group:default/payments',
        image: 'ghcr.io/acme/checkout',
        cells: [
          {
            environment: 'staging',
            tag: 'staging',
            status: 'GREEN' as const,
            digest: DIGEST_NEW,
            since: daysAgo(9),
          },
          {
            environment: 'production',
            tag: 'latest',
            status: 'GREEN' as const,
            digest: DIGEST_OLD,
            drift: 'behind' as const,
            behind: { environment: 'staging', builds: 3, since: daysAgo(3) },
          },
        ],
      },
    ],
    totalRows: 1,
    page: 0,
    pageSize: 50,
  };

  const render = async () => {
    const api = fakeImagesApi({ getFleet: jest.fn(async () => fleet) });
    await renderInTestApp(
      <TestApiProvider apis={[[imagesApiRef, api], ...userApis()]}>
        <FleetContent />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    return api;
  };

  it('shows each entity and image against the environments, with how far behind each is', async () => {
    await render();
    const row = await screen.findByTestId('fleet-row');
    expect(row).toHaveTextContent('checkout');
    expect(row).toHaveTextContent('ghcr.io/acme/checkout');
    const production = within(row).getByTestId('fleet-cell-production');
    expect(production).toHaveAttribute('data-digest', DIGEST_OLD);
    expect(production).toHaveTextContent('3 builds behind staging for 3 days');
    expect(within(row).getByTestId('fleet-cell-staging')).toHaveTextContent(
      `staging ${DIGEST_NEW.slice(7, 19)}`,
    );
  });

  it('asks the backend again for a search and for mine', async () => {
    const api = await render();
    await screen.findByTestId('fleet-row');
    await userEvent.type(
      screen.getByLabelText('Search the fleet'),
      DIGEST_NEW.slice(0, 19),
    );
    await waitFor(() =>
      expect(api.getFleet).toHaveBeenLastCalledWith(
        expect.objectContaining({ q: DIGEST_NEW.slice(0, 19), page: 0 }),
      ),
    );
    await userEvent.click(screen.getByRole('checkbox', { name: 'Mine' }));
    await waitFor(() =>
      expect(api.getFleet).toHaveBeenLastCalledWith(
        expect.objectContaining({ mine: true }),
      ),
    );
  });
});
