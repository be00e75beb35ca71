import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { ImagesApi, imagesApiRef } from '../../api';
import {
  DIGEST_NEW,
  dotcaOverview,
  entity,
  fakeImagesApi,
  onboardedEntity,
  overview,
  workerOverview,
} from '../../__testUtils__/fixtures';
import { EntityImagesCard } from './EntityImagesCard';

async function renderCard(e: Entity, api: ImagesApi = fakeImagesApi()) {
  return renderInTestApp(
    <TestApiProvider apis={[[imagesApiRef, api]]}>
      <EntityProvider entity={e}>
        <EntityImagesCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntityImagesCard', () => {
  it("lists each image's environments compactly and links to the Images tab", async () => {
    const api = fakeImagesApi({
      getOverview: jest.fn(async () => overview(dotcaOverview, workerOverview)),
    });
    await renderCard(onboardedEntity, api);
    expect(screen.getByText('Images')).toBeInTheDocument();

    const images = await screen.findAllByTestId('images-card-image');
    expect(images.map(image => image.getAttribute('data-image'))).toEqual([
      'ghcr.io/bxtech/dotca',
      'registry.digitalocean.com/the-shop/worker',
    ]);
    const rows = screen.getAllByTestId(/^card-environment-/);
    expect(rows).toHaveLength(6);
    const development = within(images[0]).getByTestId(
      'card-environment-development',
    );
    expect(development).toHaveAttribute('data-digest', DIGEST_NEW);
    const dev = within(development);
    expect(dev.getByText('development')).toBeInTheDocument();
    expect(dev.getByText('tag exists')).toBeInTheDocument();
    expect(dev.getByText('latest-dev')).toBeInTheDocument();
    expect(dev.getByText(DIGEST_NEW.slice(7, 19))).toBeInTheDocument();
    expect(dev.getByText('1 day ago')).toBeInTheDocument();

    expect(within(rows[3]).getByText('missing')).toBeInTheDocument();
    expect(within(rows[4]).getByText('unknown')).toBeInTheDocument();
    expect(
      within(images[1]).getByText(workerOverview.error!.message),
    ).toBeInTheDocument();

    expect(screen.getByText('View images').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/dotca/images',
    );
  });

  it('shows a skeleton while loading', async () => {
    await renderCard(
      onboardedEntity,
      fakeImagesApi({ getOverview: jest.fn(() => new Promise(() => {})) }),
    );
    expect(screen.getByTestId('images-card-skeleton')).toBeInTheDocument();
  });

  it('says what is missing or malformed instead of calling the backend', async () => {
    const api = fakeImagesApi();
    await renderCard(entity({}), api);
    expect(
      screen.getByText(/has no berth.dev\/images annotation/),
    ).toBeInTheDocument();
    expect(api.getOverview).not.toHaveBeenCalled();
  });

  it('reports a malformed annotation', async () => {
    await renderCard(entity({ 'berth.dev/images': 'ghcr.io/bxtech/DotCa' }));
    expect(
      screen.getByText(/The Berth annotations of this entity are malformed/),
    ).toBeInTheDocument();
  });
});
