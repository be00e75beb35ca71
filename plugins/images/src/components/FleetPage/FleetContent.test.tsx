import {
  CatalogApi,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FleetRequest, imagesApiRef } from '../../api';
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

  // What the catalog holds among onboarded entities; the owners and systems as its relations (full references).
  const facets = {
    'relations.ownedBy': [
      { value: 'group:default/payments', count: 1 },
      { value: 'group:default/the-shop-team', count: 3 },
      { value: 'user:default/alice', count: 1 },
    ],
    'relations.partOf': [
      { value: 'system:default/the-shop', count: 3 },
      { value: 'domain:default/commerce', count: 1 },
    ],
    kind: [
      { value: 'Component', count: 4 },
      { value: 'System', count: 1 },
    ],
    'spec.lifecycle': [
      { value: 'production', count: 4 },
      { value: 'experimental', count: 1 },
    ],
  };

  const render = async (
    options: {
      getFleet?: (request?: FleetRequest) => Promise<typeof fleet>;
      getEntityFacets?: CatalogApi['getEntityFacets'];
    } = {},
  ) => {
    const api = fakeImagesApi({
      getFleet: jest.fn(options.getFleet ?? (async () => fleet)),
    });
    const catalogApi = {
      getEntityFacets: jest.fn(
        options.getEntityFacets ?? (async () => ({ facets })),
      ),
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[[imagesApiRef, api], [catalogApiRef, catalogApi], ...userApis()]}
      >
        <FleetContent />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    return { api, catalogApi };
  };

  /** The choices the select offers (opened, read, closed again). */
  const optionsOf = async (name: string) => {
    await userEvent.click(screen.getByRole('button', { name }));
    const listbox = await screen.findByRole('listbox');
    const options = within(listbox)
      .getAllByRole('option')
      .map(option => option.textContent);
    await userEvent.keyboard('{Escape}');
    await waitFor(() =>
      expect(screen.queryByRole('listbox')).not.toBeInTheDocument(),
    );
    return options;
  };

  const choose = async (name: string, option: string) => {
    await userEvent.click(screen.getByRole('button', { name }));
    await userEvent.click(await screen.findByRole('option', { name: option }));
    await waitFor(() =>
      expect(screen.queryByRole('listbox')).not.toBeInTheDocument(),
    );
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
    const { api } = await render();
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

  it('offers the owners, systems, kinds and lifecycles of onboarded entities, and asks the backend for those chosen', async () => {
    const theShopWeb = {
      ...fleet.rows[0],
      entityRef: 'component:default/the-shop-web',
      name: 'the-shop-web',
      owner: 'group:default/the-shop-team',
      image: 'registry.digitalocean.com/the-shop/web',
    };
    // The backend filters: the fake answers the-shop-web for its owner (whatever else is asked), nothing for another
    // owner, and 120 rows (3 pages) unfiltered.
    const { api, catalogApi } = await render({
      getFleet: async (request = {}) => {
        if (!request.owner) return { ...fleet, totalRows: 120 };
        const rows =
          request.owner === 'group:default/the-shop-team' ? [theShopWeb] : [];
        return { ...fleet, rows, totalRows: rows.length };
      },
    });
    await screen.findByTestId('fleet-row');
    expect(catalogApi.getEntityFacets).toHaveBeenCalledWith({
      facets: [
        'relations.ownedBy',
        'relations.partOf',
        'kind',
        'spec.lifecycle',
      ],
      filter: { 'metadata.annotations.berth.dev/images': expect.anything() },
    });
    // Short labels, sorted; a domain is no system.
    expect(await optionsOf('Owner')).toEqual([
      'Any',
      'payments',
      'the-shop-team',
      'user:alice',
    ]);
    expect(await optionsOf('System')).toEqual(['Any', 'the-shop']);
    expect(await optionsOf('Kind')).toEqual(['Any', 'Component', 'System']);
    expect(await optionsOf('Lifecycle')).toEqual([
      'Any',
      'experimental',
      'production',
    ]);

    // From the second page, an owner: its full reference is asked, from the first page, and its row shown.
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(api.getFleet).toHaveBeenLastCalledWith(
        expect.objectContaining({ page: 1 }),
      ),
    );
    await choose('Owner', 'the-shop-team');
    await waitFor(() =>
      expect(screen.getByTestId('fleet-row')).toHaveTextContent(
        'registry.digitalocean.com/the-shop/web',
      ),
    );
    expect(api.getFleet).toHaveBeenLastCalledWith(
      expect.objectContaining({
        owner: 'group:default/the-shop-team',
        page: 0,
      }),
    );
    expect(screen.getAllByTestId('fleet-row')).toHaveLength(1);

    await choose('System', 'the-shop');
    await choose('Kind', 'Component');
    await choose('Lifecycle', 'production');
    await waitFor(() =>
      expect(api.getFleet).toHaveBeenLastCalledWith({
        owner: 'group:default/the-shop-team',
        system: 'system:default/the-shop',
        kind: 'Component',
        lifecycle: 'production',
        sort: 'name',
        page: 0,
        pageSize: 50,
      }),
    );

    // An owner with no row: said so, rather than "nothing is onboarded".
    await choose('Owner', 'payments');
    expect(
      await screen.findByText('Nothing matches these filters.'),
    ).toBeInTheDocument();
    expect(api.getFleet).toHaveBeenLastCalledWith(
      expect.objectContaining({ owner: 'group:default/payments' }),
    );
    expect(screen.queryByTestId('fleet-row')).not.toBeInTheDocument();

    // Back to Any: those filters are no longer sent.
    await choose('Owner', 'Any');
    await choose('System', 'Any');
    await choose('Kind', 'Any');
    await choose('Lifecycle', 'Any');
    await waitFor(() =>
      expect(api.getFleet).toHaveBeenLastCalledWith({
        sort: 'name',
        page: 0,
        pageSize: 50,
      }),
    );
    expect(await screen.findByTestId('fleet-row')).toHaveTextContent(
      'ghcr.io/acme/checkout',
    );
  });

  it('lists the fleet when the catalog cannot say which owners there are, the filters offering only "Any"', async () => {
    await render({
      getEntityFacets: async () => {
        throw new Error('catalog unavailable');
      },
    });
    expect(await screen.findByTestId('fleet-row')).toHaveTextContent(
      'ghcr.io/acme/checkout',
    );
    for (const name of ['Owner', 'System', 'Kind', 'Lifecycle']) {
      expect(await optionsOf(name)).toEqual(['Any']);
    }
  });
});
