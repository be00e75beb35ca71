import { renderTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import { ImagesApi, imagesApiRef } from '../../api';
import { fakeImagesApi, promotion } from '../../__testUtils__/fixtures';
import imagesPlugin from '../../alpha';

jest.setTimeout(30_000);

/**
 * The Images nav item of the new frontend system, rendered by the app plugin's own nav (the one a stock app uses),
 * with Berth's plugin installed as an adopter installs it.
 */
describe('ImagesNavIcon', () => {
  const waiting = (id: string) => ({
    entityRef: 'component:default/checkout',
    promotion: promotion({ id, status: 'pending-approval' }),
  });

  const renderApp = (api: ImagesApi) =>
    renderTestApp({
      features: [imagesPlugin],
      apis: [[imagesApiRef, api]],
      // The entity tab and card and the scaffolder field attach to plugins this test app does not have.
      isExpectedError: error => error.code === 'EXTENSION_ATTACHMENT_MISSING',
    });

  const imagesNavLink = () => screen.findByRole('link', { name: /Images/ });

  it('counts what waits for the user beside the Images nav item', async () => {
    const api = fakeImagesApi({
      getApprovalInbox: jest.fn(async () => [waiting('p-1'), waiting('p-2')]),
    });
    renderApp(api);
    const link = await imagesNavLink();
    expect(link).toHaveAttribute('href', '/images');
    await waitFor(() =>
      expect(
        within(link).getByTitle('2 waiting for your approval'),
      ).toHaveTextContent('2'),
    );
  });

  it('shows no count while nothing waits, nor when the backend cannot say', async () => {
    const nothing = fakeImagesApi({
      getApprovalInbox: jest.fn(async () => []),
    });
    const { unmount } = renderApp(nothing);
    let link = await imagesNavLink();
    await waitFor(() => expect(nothing.getApprovalInbox).toHaveBeenCalled());
    expect(link).toHaveTextContent(/^Images$/);
    unmount();

    const failing = fakeImagesApi({
      getApprovalInbox: jest.fn(async () => {
        throw new Error('backend unavailable');
      }),
    });
    renderApp(failing);
    link = await imagesNavLink();
    await waitFor(() => expect(failing.getApprovalInbox).toHaveBeenCalled());
    expect(link).toHaveTextContent(/^Images$/);
  });
});
