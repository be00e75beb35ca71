import { Sidebar, SidebarPage } from '@backstage/core-components';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ImagesApi, imagesApiRef } from '../../api';
import { userApis } from '../../__testUtils__/apis';
import { fakeImagesApi, promotion } from '../../__testUtils__/fixtures';
import { ApprovalInbox } from './ApprovalInbox';
import { ImagesSidebarItem } from './ImagesSidebarItem';

jest.setTimeout(30_000);

describe('ApprovalInbox', () => {
  const waiting = {
    entityRef: 'component:default/checkout',
    promotion: promotion({
      id: 'p-7',
      status: 'pending-approval',
      requestedBy: 'user:default/alice',
      environment: 'production',
      approvalsNeeded: 2,
      approvals: [],
    }),
  };

  const render = async (api: jest.Mocked<ImagesApi>, element: JSX.Element) =>
    renderInTestApp(
      <TestApiProvider apis={[[imagesApiRef, api], ...userApis()]}>
        {element}
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

  it('shows what waits for the user across entities, and approves it from there', async () => {
    const api = fakeImagesApi({
      getApprovalInbox: jest
        .fn()
        .mockResolvedValueOnce([waiting])
        .mockResolvedValue([]),
    });
    await render(api, <ApprovalInbox />);
    const item = await screen.findByTestId('inbox-item');
    expect(item).toHaveTextContent('checkout');
    expect(within(item).getByTestId('promotion-approvals')).toHaveTextContent(
      '0 of 2',
    );
    const approve = within(item).getByRole('button', { name: 'Approve' });
    await waitFor(() => expect(approve).toBeEnabled());
    await userEvent.click(approve);
    await waitFor(() =>
      expect(api.approvePromotion).toHaveBeenCalledWith(
        'component:default/checkout',
        'p-7',
        undefined,
      ),
    );
    // Read again: nothing waits any more.
    await waitFor(() =>
      expect(screen.queryByTestId('approval-inbox')).not.toBeInTheDocument(),
    );
  });

  it('counts what waits beside the sidebar item', async () => {
    const api = fakeImagesApi({
      getApprovalInbox: jest.fn(async () => [waiting]),
    });
    await render(
      api,
      <SidebarPage>
        <Sidebar>
          <ImagesSidebarItem />
        </Sidebar>
      </SidebarPage>,
    );
    expect(
      await screen.findByRole('link', { name: /Images \(1\)/ }),
    ).toBeInTheDocument();
  });
});
