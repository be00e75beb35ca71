import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  DIGEST_NEW,
  DIGEST_OLD,
  fakeImagesApi,
  gatesWithUnsigned,
  promotion,
} from '../../__testUtils__/fixtures';
import { renderImagesTab } from '../../__testUtils__/renderImagesTab';
import { PromotionHistory } from './PromotionHistory';

function forbidden(message: string) {
  return Object.assign(new Error('Request failed with 403 Forbidden'), {
    name: 'ResponseError',
    cause: { name: 'NotAllowedError', message },
  });
}

describe('PromotionHistory', () => {
  it('shows who moved what, from which digest to which, why, and how it ended', async () => {
    await renderInTestApp(
      <PromotionHistory
        promotions={[
          promotion({
            id: 'p-3',
            environment: 'production',
            status: 'failed',
            requestedBy: 'user:ops/carol',
            reason: 'hotfix for checkout',
            forced: true,
            tags: ['latest', 'main'],
            gates: gatesWithUnsigned,
            decidedBy: 'user:default/bob',
            decisionComment: 'go ahead, incident 42',
            error: 'ghcr.io answered 500 while writing latest',
          }),
          promotion({
            id: 'p-2',
            image: 'ghcr.io/bxtech/dotca-worker',
            status: 'pending-approval',
            rollbackTag: undefined,
          }),
          promotion({
            id: 'p-1',
            kind: 'rollback',
            status: 'rejected',
            decidedBy: 'user:default/bob',
            decisionComment: 'not during the freeze',
          }),
        ]}
      />,
    );
    const rows = screen.getAllByTestId('promotion-row');
    expect(rows.map(row => row.getAttribute('data-promotion-id'))).toEqual([
      'p-3',
      'p-2',
      'p-1',
    ]);

    const forced = within(rows[0]);
    expect(forced.getByText('2 days ago')).toBeInTheDocument();
    expect(forced.getByText('promotion')).toBeInTheDocument();
    expect(forced.getByText('production')).toBeInTheDocument();
    // Several images in the history: each row names its own.
    expect(forced.getByText('ghcr.io/bxtech/dotca')).toBeInTheDocument();
    expect(
      within(rows[1]).getByText('ghcr.io/bxtech/dotca-worker'),
    ).toBeInTheDocument();
    expect(forced.getByText('failed')).toBeInTheDocument();
    expect(forced.getByTestId('forced-chip')).toHaveTextContent('forced');
    expect(forced.getByText('ops/carol')).toBeInTheDocument();
    expect(forced.getByText(DIGEST_OLD.slice(7, 19))).toBeInTheDocument();
    expect(forced.getByText(DIGEST_NEW.slice(7, 19))).toBeInTheDocument();
    expect(forced.getByText('latest')).toBeInTheDocument();
    expect(forced.getByText('main')).toBeInTheDocument();
    expect(
      forced.getByText('rollback-20260501-101500-release-1-3'),
    ).toBeInTheDocument();
    expect(forced.getByText('hotfix for checkout')).toBeInTheDocument();
    expect(forced.getByText('2/3 passed')).toBeInTheDocument();
    expect(rows[0]).toHaveTextContent('bob: go ahead, incident 42');
    expect(forced.getByTestId('promotion-error')).toHaveTextContent(
      'ghcr.io answered 500 while writing latest',
    );

    await userEvent.hover(forced.getByText('2/3 passed'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'signature: no signature found',
    );

    const pending = within(rows[1]);
    expect(pending.getByText('pending approval')).toBeInTheDocument();
    expect(pending.queryByTestId('forced-chip')).not.toBeInTheDocument();
    expect(pending.getByText('3/3 passed')).toBeInTheDocument();

    const rejected = within(rows[2]);
    expect(rejected.getByText('rollback')).toBeInTheDocument();
    expect(rejected.getByText('rejected')).toBeInTheDocument();
    expect(rows[2]).toHaveTextContent('bob: not during the freeze');
  });

  it('shows a retry as an attempt of its own, by who retried, naming the attempt it finished', async () => {
    await renderInTestApp(
      <PromotionHistory
        promotions={[
          promotion({
            id: '7c1e9a40-retry',
            status: 'succeeded',
            requestedBy: 'user:default/grace',
            resumedFrom: '0b5f22d1-first',
          }),
          promotion({
            id: '0b5f22d1-first',
            status: 'failed',
            requestedBy: 'user:default/ada',
            supersededBy: '7c1e9a40-retry',
            error: 'ghcr.io answered 503 while writing latest',
          }),
        ]}
      />,
    );
    const [retry, first] = screen.getAllByTestId('promotion-row');
    expect(within(retry).getByTestId('promotion-retry')).toHaveTextContent(
      'retry: finished the work of 0b5f22d1',
    );
    expect(within(retry).getByText('grace')).toBeInTheDocument();
    expect(first).toHaveAttribute('data-status', 'failed');
    expect(within(first).getByText('ada')).toBeInTheDocument();
    expect(within(first).queryByTestId('promotion-retry')).toBeNull();
  });

  it('says so when nothing has been promoted', async () => {
    await renderImagesTab();
    const history = await screen.findByTestId('promotion-history');
    expect(
      await within(history).findByText('No promotions yet'),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('promotion-row')).not.toBeInTheDocument();
  });

  it('leaves the image out when every row is of one image', async () => {
    await renderInTestApp(
      <PromotionHistory promotions={[promotion({ id: 'p-1' })]} />,
    );
    expect(
      screen.queryByRole('columnheader', { name: 'Image' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByText('ghcr.io/bxtech/dotca')).not.toBeInTheDocument();
  });

  it('sits under the tags table on the Images tab', async () => {
    const api = fakeImagesApi({
      getPromotions: jest.fn(async () => [promotion()]),
    });
    const { entityRef } = await renderImagesTab({ api });
    const row = await screen.findByTestId('promotion-row');
    const history = screen.getByTestId('promotion-history');
    expect(history).toContainElement(row);
    const tags = await screen.findByTestId('tags-table');
    expect(
      // eslint-disable-next-line no-bitwise
      tags.compareDocumentPosition(history) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(api.getPromotions).toHaveBeenCalledWith(entityRef);
  });

  it('shows why the history cannot be read, and retries', async () => {
    const getPromotions = jest
      .fn()
      .mockRejectedValueOnce(
        forbidden('You may not read the promotions of component:default/dotca'),
      )
      .mockResolvedValue([promotion()]);
    await renderImagesTab({ api: fakeImagesApi({ getPromotions }) });
    expect(
      await screen.findByText('Error: Could not load the promotion history'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'You may not read the promotions of component:default/dotca',
      ),
    ).toBeInTheDocument();
    // the lanes still show
    expect(screen.getByTestId('environment-lane-staging')).toBeInTheDocument();
    const history = screen.getByTestId('promotion-history');
    await userEvent.click(
      within(history).getByRole('button', { name: 'Retry' }),
    );
    expect(await screen.findByTestId('promotion-row')).toBeInTheDocument();
  });
});
