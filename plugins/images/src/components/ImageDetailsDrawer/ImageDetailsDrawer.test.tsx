import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { imagesApiRef } from '../../api';
import { DIGEST_NEW, fakeImagesApi } from '../../__testUtils__/fixtures';
import { ImageDetailsDrawer } from './ImageDetailsDrawer';

const ref = { kind: 'Component', namespace: 'default', name: 'dotca' };

async function renderDrawer(api = fakeImagesApi(), onClose = jest.fn()) {
  await renderInTestApp(
    <TestApiProvider apis={[[imagesApiRef, api]]}>
      <ImageDetailsDrawer
        entityRef={ref}
        image="ghcr.io/bxtech/dotca"
        digest={DIGEST_NEW}
        environmentTags={['latest-dev', 'staging', 'latest']}
        onClose={onClose}
      />
    </TestApiProvider>,
  );
  return { api, onClose };
}

describe('ImageDetailsDrawer', () => {
  it('shows the pull command and every platform of the image', async () => {
    const { api, onClose } = await renderDrawer();
    const drawer = screen.getByTestId('image-details');
    expect(await within(drawer).findByTestId('pull-command')).toHaveTextContent(
      `docker pull ghcr.io/bxtech/dotca@${DIGEST_NEW}`,
    );
    expect(api.getDetails).toHaveBeenCalledWith(ref, {
      image: 'ghcr.io/bxtech/dotca',
      digest: DIGEST_NEW,
    });
    expect(
      within(drawer).getByRole('button', { name: 'Copy pull command' }),
    ).toBeInTheDocument();

    const amd64 = screen.getByTestId('platform-linux/amd64');
    expect(amd64).toHaveTextContent('linux/amd64');
    expect(amd64).toHaveTextContent('["/usr/bin/tini","--"]');
    expect(amd64).toHaveTextContent('["node","server.js"]');
    expect(amd64).toHaveTextContent(
      '["CMD-SHELL","curl -f http://localhost:8080/health"]',
    );
    expect(amd64).toHaveTextContent('8080/tcp');
    expect(within(amd64).getByText('node')).toBeInTheDocument();
    expect(
      within(amd64).getByText('org.opencontainers.image.source'),
    ).toBeInTheDocument();
    expect(within(amd64).getByText('Layers (2)')).toBeInTheDocument();
    expect(within(amd64).getByText('30.0 MB')).toBeInTheDocument();

    const arm64 = screen.getByTestId('platform-linux/arm64');
    expect(arm64).toHaveTextContent('linux/arm64');
    expect(arm64).toHaveTextContent('not set (runs as root)');
    expect(within(arm64).getByText('No labels.')).toBeInTheDocument();
    expect(within(arm64).getByText('Layers (1)')).toBeInTheDocument();

    expect(within(drawer).getByText('Signature')).toBeInTheDocument();
    expect(
      within(drawer).getByText('latest-dev').closest('[data-kind]'),
    ).toHaveAttribute('data-kind', 'environment');

    await userEvent.click(within(drawer).getByText(/Raw manifest/));
    expect(
      await within(drawer).findByText(/schemaVersion/),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Close details' }),
    );
    expect(onClose).toHaveBeenCalled();
  });

  it('shows a skeleton while loading and the backend message on failure', async () => {
    const error = Object.assign(new Error('Request failed with 404'), {
      name: 'ResponseError',
      cause: {
        name: 'NotFoundError',
        message: 'No manifest sha256:0f1e… in ghcr.io/bxtech/dotca',
      },
    });
    let reject: (e: Error) => void = () => {};
    const api = fakeImagesApi({
      getDetails: jest.fn(
        () =>
          new Promise((_resolve, r) => {
            reject = r;
          }),
      ),
    });
    await renderDrawer(api);
    expect(screen.getByTestId('image-details-loading')).toBeInTheDocument();
    reject(error);
    expect(
      await screen.findByText(
        'No manifest sha256:0f1e… in ghcr.io/bxtech/dotca',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('image-details-loading'),
    ).not.toBeInTheDocument();
  });
});
