import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ImagesApi, imagesApiRef } from '../../api';
import { userApis } from '../../__testUtils__/apis';
import {
  DIGEST_NEW,
  DIGEST_OLD,
  dotcaOverview,
  entity,
  fakeImagesApi,
  onboardedEntity,
  overview,
  workerOverview,
} from '../../__testUtils__/fixtures';
import { EntityImagesContent } from './EntityImagesContent';

async function renderFor(e: Entity, api: ImagesApi = fakeImagesApi()) {
  return renderInTestApp(
    <TestApiProvider apis={[[imagesApiRef, api], ...userApis()]}>
      <EntityProvider entity={e}>
        <EntityImagesContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityImagesContent', () => {
  it('shows how to onboard an entity without the annotation', async () => {
    const api = fakeImagesApi();
    const { baseElement } = await renderFor(entity({}), api);
    expect(
      screen.getByText('No images: add the berth.dev/images annotation'),
    ).toBeInTheDocument();
    // The snippet is syntax-highlighted, so its text is split across elements.
    expect(baseElement.textContent).toContain(
      'berth.dev/images: ghcr.io/your-org/your-service',
    );
    expect(baseElement.textContent).toContain(
      'berth.dev/environments: staging=staging,production=latest',
    );
    expect(api.getOverview).not.toHaveBeenCalled();
  });

  it('says precisely what is wrong with a malformed annotation', async () => {
    const api = fakeImagesApi();
    await renderFor(
      entity({ 'berth.dev/images': 'ghcr.io/bxtech/DotCa' }),
      api,
    );
    expect(
      screen.getByText(/The Berth annotations of this entity are malformed/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /invalid repository path component "DotCa": repository names are lowercase/,
      ),
    ).toBeInTheDocument();
    expect(api.getOverview).not.toHaveBeenCalled();
  });

  it('shows skeletons shaped like the lanes and the table while loading', async () => {
    const api = fakeImagesApi({
      getOverview: jest.fn(() => new Promise(() => {})),
    });
    await renderFor(onboardedEntity, api);
    expect(screen.getByTestId('images-skeleton')).toBeInTheDocument();
    expect(screen.getByTestId('lanes-skeleton')).toBeInTheDocument();
    expect(screen.getByTestId('table-skeleton')).toBeInTheDocument();
    expect(api.getOverview).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'dotca',
    });
  });

  it('shows each environment as a lane, in order, with status, digest, source and drift', async () => {
    await renderFor(onboardedEntity);
    const development = await screen.findByTestId(
      'environment-lane-development',
    );
    const lanes = screen
      .getAllByTestId(/^environment-lane-/)
      .map(lane => lane.getAttribute('data-testid'));
    expect(lanes).toEqual([
      'environment-lane-development',
      'environment-lane-staging',
      'environment-lane-production',
      'environment-lane-canary',
    ]);

    expect(development).toHaveAttribute('data-digest', DIGEST_NEW);
    const dev = within(development);
    expect(dev.getByText('tag exists')).toBeInTheDocument();
    expect(dev.getByText('latest-dev')).toBeInTheDocument();
    expect(dev.getByText(DIGEST_NEW.slice(7, 19))).toBeInTheDocument();
    expect(dev.getByText('v1.3.0')).toBeInTheDocument();
    expect(dev.getByText('main-0f1e2d3')).toBeInTheDocument();
    expect(dev.getByText('built 1 day ago')).toBeInTheDocument();
    expect(dev.getByText('45.2 MB')).toBeInTheDocument();
    expect(dev.getByText('linux/amd64, linux/arm64')).toBeInTheDocument();
    expect(dev.getByText('signed')).toBeInTheDocument();
    expect(dev.getByText('0f1e2d3').closest('a')).toHaveAttribute(
      'href',
      'https://github.com/bxtech/dotca/commit/0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c',
    );
    expect(dev.getByText('github.com/bxtech/dotca')).toBeInTheDocument();
    expect(dev.queryByTestId('drift')).not.toBeInTheDocument();
    expect(
      dev.getByRole('button', {
        name: `Copy digest ${DIGEST_NEW.slice(7, 19)}`,
      }),
    ).toBeInTheDocument();

    const staging = within(screen.getByTestId('environment-lane-staging'));
    expect(screen.getByTestId('environment-lane-staging')).toHaveAttribute(
      'data-digest',
      DIGEST_OLD,
    );
    expect(staging.getByText('behind development')).toBeInTheDocument();
    expect(staging.getByText('built 3 days ago')).toBeInTheDocument();
    expect(staging.getByText('unsigned')).toBeInTheDocument();

    const production = within(
      screen.getByTestId('environment-lane-production'),
    );
    expect(production.getByText('same as staging')).toBeInTheDocument();
    expect(production.getByText('protected')).toBeInTheDocument();

    const canary = screen.getByTestId('environment-lane-canary');
    expect(canary).toHaveAttribute('data-digest', '');
    expect(canary).toHaveAttribute('data-status', 'RED');
    expect(within(canary).getByText('missing')).toBeInTheDocument();
    expect(
      within(canary).getByText('ghcr.io/bxtech/dotca has no tag canary'),
    ).toBeInTheDocument();
  });

  it('words every kind of drift', async () => {
    const lanes = dotcaOverview.environments;
    const api = fakeImagesApi({
      getOverview: jest.fn(async () =>
        overview({
          ...dotcaOverview,
          environments: [
            lanes[0],
            { ...lanes[1], drift: 'ahead' },
            { ...lanes[2], drift: 'different' },
          ],
        }),
      ),
    });
    await renderFor(onboardedEntity, api);
    expect(await screen.findByText('ahead of development')).toBeInTheDocument();
    expect(screen.getByText('differs from staging')).toBeInTheDocument();
  });

  it("names the registry of an image that failed and shows the backend's message", async () => {
    const api = fakeImagesApi({
      getOverview: jest.fn(async () => overview(workerOverview)),
    });
    await renderFor(onboardedEntity, api);
    expect(
      await screen.findByText(
        /Registry registry\.digitalocean\.com could not be read for registry\.digitalocean\.com\/the-shop\/worker/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('image-error')).toHaveTextContent(
      workerOverview.error!.message,
    );
    const development = within(
      screen.getByTestId('environment-lane-development'),
    );
    expect(development.getByText('unknown')).toBeInTheDocument();
    expect(
      development.getByText(
        'registry.digitalocean.com answered 401 Unauthorized',
      ),
    ).toBeInTheDocument();
  });

  it('says when the entity may not claim an image, and asks nothing more about it', async () => {
    const message =
      'ghcr.io/bxtech/dotca belongs to group:default/bxtech (images.repositoryOwners: ghcr.io/bxtech/*); component:default/dotca is owned by group:default/intruders, so it may not show or promote this image.';
    const api = fakeImagesApi({
      getOverview: jest.fn(async () =>
        overview({
          image: 'ghcr.io/bxtech/dotca',
          registry: 'ghcr.io',
          repository: 'bxtech/dotca',
          error: { kind: 'claim-refused', message },
          environments: [],
        }),
      ),
    });
    await renderFor(onboardedEntity, api);
    expect(
      await screen.findByText(
        /This entity may not claim ghcr\.io\/bxtech\/dotca/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('image-error')).toHaveTextContent(message);
    expect(screen.queryByTestId('tags-table')).not.toBeInTheDocument();
    expect(api.getTags).not.toHaveBeenCalled();
  });

  it('says who else names a contested repository and whose owners approve promotions from here', async () => {
    const api = fakeImagesApi({
      getOverview: jest.fn(async () =>
        overview({
          ...dotcaOverview,
          claim: {
            contested: true,
            claimants: [
              'component:default/impostor',
              'component:default/dotca',
            ],
            firstClaimant: 'component:default/impostor',
            firstClaimantOwners: ['group:default/intruders'],
          },
        }),
      ),
    });
    await renderFor(onboardedEntity, api);
    expect(
      await screen.findByText(
        /ghcr\.io\/bxtech\/dotca is contested: component:default\/impostor name it too/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('contested-claim')).toHaveTextContent(
      'component:default/impostor named it first: promotions asked here wait for an approval by its owners (group:default/intruders).',
    );
    expect(screen.getByTestId('environment-lane-canary')).toBeInTheDocument();
  });

  it('offers a tab per image when the entity has several', async () => {
    const api = fakeImagesApi({
      getOverview: jest.fn(async () => overview(dotcaOverview, workerOverview)),
    });
    await renderFor(onboardedEntity, api);
    const tabs = await screen.findAllByRole('tab');
    expect(tabs.map(tab => tab.getAttribute('aria-label'))).toEqual([
      'ghcr.io/bxtech/dotca',
      'registry.digitalocean.com/the-shop/worker',
    ]);
    // each tab shows its image's environments, one status dot each
    expect(
      within(tabs[0]).getByLabelText('canary: missing'),
    ).toBeInTheDocument();
    expect(
      within(tabs[1]).getByLabelText('production: unknown'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('environment-lane-canary')).toBeInTheDocument();
    expect(screen.queryByTestId('image-error')).not.toBeInTheDocument();

    await userEvent.click(tabs[1]);
    expect(await screen.findByTestId('image-error')).toBeInTheDocument();
    expect(
      screen.queryByTestId('environment-lane-canary'),
    ).not.toBeInTheDocument();
    await waitFor(() =>
      expect(api.getTags).toHaveBeenLastCalledWith(
        expect.anything(),
        expect.objectContaining({
          image: 'registry.digitalocean.com/the-shop/worker',
        }),
      ),
    );
  });

  it('opens the details of a lane’s image from its digest', async () => {
    const api = fakeImagesApi();
    await renderFor(onboardedEntity, api);
    const development = await screen.findByTestId(
      'environment-lane-development',
    );
    await userEvent.click(
      within(development).getByRole('button', {
        name: `Show details of ${DIGEST_NEW.slice(7, 19)}`,
      }),
    );
    expect(await screen.findByTestId('pull-command')).toHaveTextContent(
      `docker pull ghcr.io/bxtech/dotca@${DIGEST_NEW}`,
    );
    expect(api.getDetails).toHaveBeenCalledWith(expect.anything(), {
      image: 'ghcr.io/bxtech/dotca',
      digest: DIGEST_NEW,
    });
  });

  it('shows the message of a failed overview and retries', async () => {
    const error = Object.assign(new Error('Request failed with 503'), {
      name: 'ResponseError',
      cause: {
        name: 'ServiceUnavailableError',
        message: 'The catalog is down',
      },
    });
    const getOverview = jest
      .fn()
      .mockRejectedValueOnce(error)
      .mockResolvedValue(overview(dotcaOverview));
    await renderFor(onboardedEntity, fakeImagesApi({ getOverview }));
    expect(await screen.findByText('The catalog is down')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByTestId('environment-lane-production'),
    ).toBeInTheDocument();
  });
});
