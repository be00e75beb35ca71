import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  daysAgo,
  DIGEST_NEW,
  DIGEST_OLD,
  fakeImagesApi,
  gatesWithUnsigned,
  promotion,
} from '../../__testUtils__/fixtures';
import { renderImagesTab } from '../../__testUtils__/renderImagesTab';

// Each test works through the whole tab as a user would: more than jest's default 5 s on a busy machine.
jest.setTimeout(30_000);

const user = userEvent.setup({ delay: null });

const pending = promotion({
  id: 'p-9',
  environment: 'production',
  status: 'pending-approval',
  requestedBy: 'user:default/alice',
  reason: 'release 1.3 to customers',
  source: 'v1.3.0',
  tags: ['latest', 'main'],
  gates: gatesWithUnsigned,
  forced: true,
  rollbackTag: undefined,
  finishedAt: undefined,
  createdAt: daysAgo(3 / 24),
});

function apiWithPending() {
  return fakeImagesApi({
    getPromotions: jest.fn(async () => [pending, promotion()]),
    approvePromotion: jest.fn(async () => ({
      ...pending,
      status: 'succeeded' as const,
      decidedBy: 'user:default/guest',
    })),
    rejectPromotion: jest.fn(async () => ({
      ...pending,
      status: 'rejected' as const,
      decidedBy: 'user:default/guest',
    })),
  });
}

async function tooltipOf(button: HTMLElement) {
  await user.hover(button.parentElement!);
  return screen.findByRole('tooltip');
}

describe('ApprovalsPanel', () => {
  it('shows what waits for approval above the lanes, and approves it with a comment', async () => {
    const { api, entityRef } = await renderImagesTab({ api: apiWithPending() });
    const panel = await screen.findByTestId('approvals-panel');
    expect(
      // eslint-disable-next-line no-bitwise
      panel.compareDocumentPosition(
        screen.getByTestId('environment-pipeline'),
      ) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(
      within(panel).getByText('Waiting for approval (1)'),
    ).toBeInTheDocument();

    const items = within(panel).getAllByTestId('pending-promotion');
    expect(items).toHaveLength(1);
    const item = within(items[0]);
    expect(items[0]).toHaveTextContent(
      'alice asks to promote ghcr.io/bxtech/dotca to production',
    );
    expect(item.getByTestId('forced-chip')).toBeInTheDocument();
    expect(item.getByText('3 hours ago')).toBeInTheDocument();
    expect(item.getByText(DIGEST_OLD.slice(7, 19))).toBeInTheDocument();
    expect(item.getByText(DIGEST_NEW.slice(7, 19))).toBeInTheDocument();
    expect(item.getByText('(v1.3.0)')).toBeInTheDocument();
    expect(item.getByText('latest')).toBeInTheDocument();
    expect(item.getByText('main')).toBeInTheDocument();
    expect(item.getByText('release 1.3 to customers')).toBeInTheDocument();
    expect(item.getByTestId('gate-signature')).toHaveTextContent(
      'signature: no signature found',
    );

    await user.type(
      item.getByRole('textbox', { name: 'Comment' }),
      'checked with QA',
    );
    await user.click(item.getByRole('button', { name: 'Approve' }));
    await waitFor(() =>
      expect(api.approvePromotion).toHaveBeenCalledWith(
        entityRef,
        'p-9',
        'checked with QA',
      ),
    );
    expect(await screen.findByTestId('promotion-outcome')).toHaveTextContent(
      'Promoted ghcr.io/bxtech/dotca to production (latest, main)',
    );
    await waitFor(() => expect(api.getPromotions).toHaveBeenCalledTimes(2));
    expect(api.getOverview).toHaveBeenCalledTimes(2);
    expect(api.rejectPromotion).not.toHaveBeenCalled();
  });

  it('rejects only with a comment that says why', async () => {
    const { api, entityRef } = await renderImagesTab({ api: apiWithPending() });
    const item = within(await screen.findByTestId('pending-promotion'));
    const reject = item.getByRole('button', { name: 'Reject' });
    await waitFor(() =>
      expect(item.getByRole('button', { name: 'Approve' })).toBeEnabled(),
    );
    expect(reject).toBeDisabled();
    expect(await tooltipOf(reject)).toHaveTextContent(
      'Say why in the comment to reject',
    );

    await user.type(
      item.getByRole('textbox', { name: 'Comment' }),
      'not during the freeze',
    );
    expect(reject).toBeEnabled();
    await user.click(reject);
    await waitFor(() =>
      expect(api.rejectPromotion).toHaveBeenCalledWith(
        entityRef,
        'p-9',
        'not during the freeze',
      ),
    );
    expect(await screen.findByTestId('promotion-outcome')).toHaveTextContent(
      'Promotion of production rejected',
    );
    expect(api.approvePromotion).not.toHaveBeenCalled();
  });

  it('does not let the requester approve their own promotion', async () => {
    const { api } = await renderImagesTab({
      api: apiWithPending(),
      // entity references are case-insensitive
      userEntityRef: 'user:default/Alice',
    });
    const item = within(await screen.findByTestId('pending-promotion'));
    const approve = item.getByRole('button', { name: 'Approve' });
    expect(approve).toBeDisabled();
    expect(item.getByRole('button', { name: 'Reject' })).toBeDisabled();
    expect(
      item.queryByRole('textbox', { name: 'Comment' }),
    ).not.toBeInTheDocument();
    expect(await tooltipOf(approve)).toHaveTextContent(
      'You asked for this promotion: a second person must approve it',
    );
    expect(api.approvePromotion).not.toHaveBeenCalled();

    // They may withdraw it instead.
    await userEvent.click(item.getByRole('button', { name: 'Withdraw' }));
    expect(api.rejectPromotion).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'dotca' }),
      'p-9',
      '',
    );
  });

  it('shows a user without the approve permission why they cannot decide', async () => {
    await renderImagesTab({
      api: apiWithPending(),
      granted: { approve: false },
    });
    const item = within(await screen.findByTestId('pending-promotion'));
    const approve = item.getByRole('button', { name: 'Approve' });
    await waitFor(() =>
      expect(approve.parentElement).toHaveAttribute(
        'title',
        'You are not allowed to approve promotions of this entity',
      ),
    );
    expect(approve).toBeDisabled();
    expect(item.getByRole('button', { name: 'Reject' })).toBeDisabled();
  });

  it("keeps the promotion and shows the backend's reason when an approval is refused", async () => {
    const api = apiWithPending();
    api.approvePromotion.mockRejectedValue(
      Object.assign(new Error('Request failed with 409'), {
        name: 'ResponseError',
        cause: {
          name: 'ConflictError',
          message: 'production moved since alice asked: ask again',
        },
      }),
    );
    await renderImagesTab({ api });
    const item = within(await screen.findByTestId('pending-promotion'));
    const approve = item.getByRole('button', { name: 'Approve' });
    await waitFor(() => expect(approve).toBeEnabled());
    await user.click(approve);
    expect(
      await item.findByText('production moved since alice asked: ask again'),
    ).toBeInTheDocument();
    expect(api.approvePromotion).toHaveBeenCalledWith(
      expect.anything(),
      'p-9',
      undefined,
    );
    expect(screen.queryByTestId('promotion-outcome')).not.toBeInTheDocument();
  });

  it('names who must approve a promotion from an entity that named a contested repository second', async () => {
    await renderImagesTab({
      api: fakeImagesApi({
        getPromotions: jest.fn(async () => [
          { ...pending, approvers: ['group:default/bxtech'] },
        ]),
      }),
    });
    const panel = await screen.findByTestId('approvals-panel');
    expect(within(panel).getByTestId('promotion-approvers')).toHaveTextContent(
      'only owners of the entity that named this repository first: group:default/bxtech',
    );
  });

  it('counts the approvals of a promotion that needs several, and lets nobody approve twice', async () => {
    await renderImagesTab({
      api: fakeImagesApi({
        getPromotions: jest.fn(async () => [
          {
            ...pending,
            approvalsNeeded: 2,
            approvalGroup: 'group:default/release',
            approvals: [
              { by: 'user:default/guest', at: '2026-12-02T10:00:00Z' },
            ],
          },
        ]),
      }),
    });
    const panel = await screen.findByTestId('approvals-panel');
    expect(within(panel).getByTestId('promotion-approvals')).toHaveTextContent(
      '1 of 2 (guest), from members of group:default/release',
    );
    expect(
      within(panel).getByRole('button', { name: 'Approve' }),
    ).toBeDisabled();
  });

  it('is not shown while nothing waits for approval', async () => {
    await renderImagesTab({
      api: fakeImagesApi({
        getPromotions: jest.fn(async () => [
          promotion({ status: 'rejected' }),
          promotion({ id: 'p-2' }),
        ]),
      }),
    });
    expect(await screen.findAllByTestId('promotion-row')).toHaveLength(2);
    expect(screen.queryByTestId('approvals-panel')).not.toBeInTheDocument();
  });
});
