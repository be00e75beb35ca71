import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ImagesApi } from '../../api';
import { GrantedPermissions } from '../../__testUtils__/apis';
import {
  DIGEST_NEW,
  DIGEST_OLD,
  DIGEST_ROLLBACK,
  dotcaOverview,
  fakeImagesApi,
  gatesWithUnsigned,
  overview,
  plan,
  promotion,
} from '../../__testUtils__/fixtures';
import { TAGS_PAGE_SIZE } from '../TagsTable';
import { renderImagesTab } from '../../__testUtils__/renderImagesTab';

const short = (digest: string) => digest.slice(7, 19);

// Each test opens a dialog over the whole tab and works through it as a user would: more than jest's default 5 s
// on a busy machine.
jest.setTimeout(30_000);

// Typing without a pause between keys: the dialogs re-render on every key, and the pauses add up.
const user = userEvent.setup({ delay: null });

async function renderTab(
  api: jest.Mocked<ImagesApi> = fakeImagesApi(),
  granted: GrantedPermissions = {},
) {
  const rendered = await renderImagesTab({ api, granted });
  await screen.findByTestId('environment-lane-staging');
  return rendered;
}

async function openDialog(testId: string, dialogTestId: string) {
  const button = await screen.findByTestId(testId);
  await waitFor(() => expect(button).toBeEnabled());
  await user.click(button);
  return screen.findByTestId(dialogTestId);
}

async function typeReason(dialog: HTMLElement, reason: string) {
  await user.type(
    within(dialog).getByRole('textbox', { name: /reason/i }),
    reason,
  );
}

describe('promotion dialogs', () => {
  it('checks a promotion, shows the plan and its gates, then promotes over the digest the lane showed', async () => {
    const lanes = dotcaOverview.environments;
    const api = fakeImagesApi();
    api.getOverview
      .mockResolvedValueOnce(overview(dotcaOverview))
      .mockResolvedValue(
        overview({
          ...dotcaOverview,
          environments: [
            lanes[0],
            { ...lanes[1], digest: DIGEST_NEW, image: lanes[0].image },
            ...lanes.slice(2),
          ],
        }),
      );
    const { entityRef } = await renderTab(api);
    const dialog = await openDialog('promote-staging', 'promote-dialog');
    const inDialog = within(dialog);

    // staging is behind development: the source starts as what development runs
    expect(inDialog.getByTestId('promote-source')).toHaveValue(DIGEST_NEW);
    expect(
      inDialog.getByText(
        'What development runs (latest-dev): staging is behind it',
      ),
    ).toBeInTheDocument();
    // nothing to act on before the check
    expect(inDialog.getByRole('button', { name: 'Promote' })).toBeDisabled();
    expect(inDialog.getByRole('button', { name: 'Check' })).toBeDisabled();

    await typeReason(dialog, 'release 1.3');
    await user.click(inDialog.getByRole('button', { name: 'Check' }));

    const shown = within(await inDialog.findByTestId('promotion-plan'));
    const move = within(shown.getByTestId('plan-move'));
    expect(move.getByText(short(DIGEST_OLD))).toBeInTheDocument();
    expect(move.getByText(short(DIGEST_NEW))).toBeInTheDocument();
    expect(shown.getByTestId('plan-tags')).toHaveTextContent('staging');
    expect(
      shown.getByText('rollback-20260501-101500-release-1-3'),
    ).toBeInTheDocument();
    expect(shown.getByTestId('gate-size')).toHaveTextContent(
      'size: 45.2 MB is within 100 MB–2 GB',
    );
    expect(shown.getByTestId('gate-signature')).toHaveAttribute(
      'data-passed',
      'true',
    );
    expect(shown.queryByTestId('plan-needs-approval')).not.toBeInTheDocument();
    expect(api.promote).toHaveBeenCalledWith(entityRef, {
      image: 'ghcr.io/bxtech/dotca',
      environment: 'staging',
      source: DIGEST_NEW,
      reason: 'release 1.3',
      expectedCurrentDigest: DIGEST_OLD,
      dryRun: true,
    });
    expect(inDialog.queryByRole('checkbox')).not.toBeInTheDocument();

    await user.click(inDialog.getByRole('button', { name: 'Promote' }));
    await waitFor(() =>
      expect(screen.queryByTestId('promote-dialog')).not.toBeInTheDocument(),
    );
    expect(api.promote).toHaveBeenLastCalledWith(expect.anything(), {
      image: 'ghcr.io/bxtech/dotca',
      environment: 'staging',
      source: DIGEST_NEW,
      reason: 'release 1.3',
      expectedCurrentDigest: DIGEST_OLD,
      dryRun: false,
    });
    expect(await screen.findByTestId('promotion-outcome')).toHaveTextContent(
      'Promoted ghcr.io/bxtech/dotca to staging (staging)',
    );
    // the lanes, the tags and the history are read again
    await waitFor(() =>
      expect(screen.getByTestId('environment-lane-staging')).toHaveAttribute(
        'data-digest',
        DIGEST_NEW,
      ),
    );
    expect(api.getPromotions).toHaveBeenCalledTimes(2);
    await waitFor(() =>
      expect(
        api.getTags.mock.calls.filter(
          ([, request]) => request.pageSize === TAGS_PAGE_SIZE,
        ),
      ).toHaveLength(2),
    );
  });

  it('expects an empty environment when the lane shows what the deployment runs for lack of its tag', async () => {
    const lanes = dotcaOverview.environments;
    const api = fakeImagesApi({
      getOverview: jest.fn(async () =>
        overview({
          ...dotcaOverview,
          environments: [
            lanes[0],
            // No staging tag: the lane shows the digest its deployment runs.
            {
              ...lanes[1],
              status: 'RED',
              message: 'ghcr.io/bxtech/dotca has no tag staging',
              image: { ...lanes[1].image!, tags: ['v1.2.2'] },
            },
            ...lanes.slice(2),
          ],
        }),
      ),
    });
    await renderTab(api);
    const dialog = await openDialog('promote-staging', 'promote-dialog');
    await typeReason(dialog, 'first release to staging');
    await user.click(within(dialog).getByRole('button', { name: 'Check' }));
    await within(dialog).findByTestId('promotion-plan');
    expect(api.promote).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ expectedCurrentDigest: '', dryRun: true }),
    );
  });

  it('suggests the image’s tags, newest first, and asks for a new check when the source changes', async () => {
    const api = fakeImagesApi();
    await renderTab(api);
    // production is the same as staging, so nothing is suggested
    const dialog = await openDialog('promote-production', 'promote-dialog');
    const inDialog = within(dialog);
    const source = inDialog.getByTestId('promote-source');
    expect(source).toHaveValue('');

    await typeReason(dialog, 'release 1.2.3');
    await user.click(source);
    const options = await screen.findAllByRole('option');
    expect(options.map(option => option.textContent)).toEqual([
      `latest-dev${short(DIGEST_NEW)}`,
      `v1.3.0${short(DIGEST_NEW)}`,
      `main-0f1e2d3${short(DIGEST_NEW)}`,
      `latest${short(DIGEST_OLD)}`,
      `staging${short(DIGEST_OLD)}`,
      `v1.2.3${short(DIGEST_OLD)}`,
      'pr-456',
    ]);
    expect(api.getTags).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({
        image: 'ghcr.io/bxtech/dotca',
        sort: 'created',
        artifacts: false,
      }),
    );
    await user.click(screen.getByRole('option', { name: /^v1\.3\.0/ }));
    expect(source).toHaveValue('v1.3.0');

    await user.click(inDialog.getByRole('button', { name: 'Check' }));
    expect(await inDialog.findByTestId('promotion-plan')).toBeInTheDocument();
    expect(inDialog.getByRole('button', { name: 'Promote' })).toBeEnabled();

    await user.type(source, '-rc1');
    expect(inDialog.queryByTestId('promotion-plan')).not.toBeInTheDocument();
    expect(inDialog.getByRole('button', { name: 'Promote' })).toBeDisabled();
  });

  it('says a protected environment waits for approval, before and after', async () => {
    const api = fakeImagesApi({
      promote: jest.fn(async (_entityRef, request) =>
        request.dryRun
          ? {
              dryRun: true as const,
              plan: plan({ environment: 'production', needsApproval: true }),
            }
          : {
              dryRun: false as const,
              promotion: promotion({
                environment: 'production',
                status: 'pending-approval',
              }),
            },
      ),
    });
    await renderTab(api);
    const dialog = await openDialog('promote-production', 'promote-dialog');
    const inDialog = within(dialog);
    await user.type(inDialog.getByTestId('promote-source'), 'v1.3.0');
    await typeReason(dialog, 'release 1.3');
    await user.click(inDialog.getByRole('button', { name: 'Check' }));
    expect(
      await inDialog.findByTestId('plan-needs-approval'),
    ).toHaveTextContent(
      'production is protected: this will wait until a second person approves it.',
    );
    await user.click(inDialog.getByRole('button', { name: 'Promote' }));
    expect(await screen.findByTestId('promotion-outcome')).toHaveTextContent(
      'Promotion of production is waiting for approval: a second person must approve it',
    );
  });

  it('says whose owners must approve when another entity named the repository first', async () => {
    const api = fakeImagesApi({
      promote: jest.fn(async () => ({
        dryRun: true as const,
        plan: plan({
          needsApproval: true,
          approvers: ['group:default/bxtech'],
        }),
      })),
    });
    await renderTab(api);
    const dialog = await openDialog('promote-staging', 'promote-dialog');
    const inDialog = within(dialog);
    await typeReason(dialog, 'from the second entity');
    await user.click(inDialog.getByRole('button', { name: 'Check' }));
    expect(
      await inDialog.findByTestId('plan-needs-approval'),
    ).toHaveTextContent(
      'Another entity named this repository first: this will wait until one of its owners (group:default/bxtech) approves it.',
    );
  });

  it('offers to force past failed gates to a user allowed to, and sends force with the reason', async () => {
    const api = fakeImagesApi({
      promote: jest.fn(async (_entityRef, request) =>
        request.dryRun
          ? { dryRun: true as const, plan: plan({ gates: gatesWithUnsigned }) }
          : {
              dryRun: false as const,
              promotion: promotion({ forced: true, gates: gatesWithUnsigned }),
            },
      ),
    });
    await renderTab(api);
    const dialog = await openDialog('promote-staging', 'promote-dialog');
    const inDialog = within(dialog);
    await typeReason(dialog, 'incident 42: ship the fix unsigned');
    await user.click(inDialog.getByRole('button', { name: 'Check' }));

    expect(await inDialog.findByTestId('gate-signature')).toHaveAttribute(
      'data-passed',
      'false',
    );
    expect(
      inDialog.getByText('Validation gates (1 failed)'),
    ).toBeInTheDocument();
    const promote = inDialog.getByRole('button', { name: 'Promote' });
    expect(promote).toBeDisabled();

    await user.click(
      inDialog.getByRole('checkbox', {
        name: 'Force: go ahead although 1 gate failed',
      }),
    );
    expect(promote).toBeEnabled();
    await user.click(promote);
    await waitFor(() =>
      expect(api.promote).toHaveBeenLastCalledWith(expect.anything(), {
        image: 'ghcr.io/bxtech/dotca',
        environment: 'staging',
        source: DIGEST_NEW,
        reason: 'incident 42: ship the fix unsigned',
        expectedCurrentDigest: DIGEST_OLD,
        force: true,
        dryRun: false,
      }),
    );
  });

  it('offers no force to a user without the force permission, and keeps Promote disabled', async () => {
    const api = fakeImagesApi({
      promote: jest.fn(async () => ({
        dryRun: true as const,
        plan: plan({ gates: gatesWithUnsigned }),
      })),
    });
    await renderTab(api, { force: false });
    const dialog = await openDialog('promote-staging', 'promote-dialog');
    const inDialog = within(dialog);
    await typeReason(dialog, 'release 1.3');
    await user.click(inDialog.getByRole('button', { name: 'Check' }));

    expect(await inDialog.findByTestId('gates-failed')).toHaveTextContent(
      '1 gate failed: only someone allowed to force a promotion can go past them.',
    );
    expect(inDialog.queryByRole('checkbox')).not.toBeInTheDocument();
    expect(inDialog.getByRole('button', { name: 'Promote' })).toBeDisabled();
    expect(api.promote).toHaveBeenCalledTimes(1);
  });

  it("shows the backend's reason when the environment moved meanwhile, and keeps the dialog open", async () => {
    const conflict = Object.assign(new Error('Request failed with 409'), {
      name: 'ResponseError',
      cause: {
        name: 'ConflictError',
        message: 'staging moved while you looked: reload and check again',
      },
    });
    const api = fakeImagesApi({
      promote: jest.fn(async (_entityRef, request) => {
        if (request.dryRun) return { dryRun: true as const, plan: plan() };
        throw conflict;
      }),
    });
    await renderTab(api);
    const dialog = await openDialog('promote-staging', 'promote-dialog');
    const inDialog = within(dialog);
    await typeReason(dialog, 'release 1.3');
    await user.click(inDialog.getByRole('button', { name: 'Check' }));
    await inDialog.findByTestId('promotion-plan');
    await user.click(inDialog.getByRole('button', { name: 'Promote' }));
    expect(await inDialog.findByTestId('promotion-error')).toHaveTextContent(
      'staging moved while you looked: reload and check again',
    );
    expect(screen.getByTestId('promote-dialog')).toBeInTheDocument();
    expect(screen.queryByTestId('promotion-outcome')).not.toBeInTheDocument();
  });

  it('rolls an environment back after showing which digest it returns to', async () => {
    const api = fakeImagesApi();
    await renderTab(api);
    const dialog = await openDialog('rollback-staging', 'rollback-dialog');
    const inDialog = within(dialog);
    expect(inDialog.getByText('Roll back staging')).toBeInTheDocument();
    expect(inDialog.getByRole('button', { name: 'Roll back' })).toBeDisabled();

    await typeReason(dialog, 'v1.3.0 breaks checkout');
    await user.click(inDialog.getByRole('button', { name: 'Check' }));
    const move = within(await inDialog.findByTestId('plan-move'));
    expect(move.getByText(short(DIGEST_OLD))).toBeInTheDocument();
    expect(move.getByText(short(DIGEST_ROLLBACK))).toBeInTheDocument();
    expect(api.rollback).toHaveBeenCalledWith(expect.anything(), {
      image: 'ghcr.io/bxtech/dotca',
      environment: 'staging',
      reason: 'v1.3.0 breaks checkout',
      expectedCurrentDigest: DIGEST_OLD,
      dryRun: true,
    });

    await user.click(inDialog.getByRole('button', { name: 'Roll back' }));
    await waitFor(() =>
      expect(api.rollback).toHaveBeenLastCalledWith(expect.anything(), {
        image: 'ghcr.io/bxtech/dotca',
        environment: 'staging',
        reason: 'v1.3.0 breaks checkout',
        expectedCurrentDigest: DIGEST_OLD,
        dryRun: false,
      }),
    );
    expect(await screen.findByTestId('promotion-outcome')).toHaveTextContent(
      'Rolled staging of ghcr.io/bxtech/dotca back (staging)',
    );
    expect(screen.queryByTestId('rollback-dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(api.getOverview).toHaveBeenCalledTimes(2));
  });

  it('rolls back to a named rollback tag, and asks for a new check when the target changes', async () => {
    const api = fakeImagesApi();
    await renderTab(api);
    const dialog = await openDialog('rollback-staging', 'rollback-dialog');
    const inDialog = within(dialog);
    await typeReason(dialog, 'back to before the freeze');
    await user.type(
      inDialog.getByTestId('rollback-target'),
      'rollback-20261103-142210-checkout-5xx',
    );
    await user.click(inDialog.getByRole('button', { name: 'Check' }));
    await inDialog.findByTestId('plan-move');
    expect(api.rollback).toHaveBeenLastCalledWith(
      expect.anything(),
      expect.objectContaining({
        target: 'rollback-20261103-142210-checkout-5xx',
        dryRun: true,
      }),
    );
    expect(inDialog.getByRole('button', { name: 'Roll back' })).toBeEnabled();
    await user.type(inDialog.getByTestId('rollback-target'), 'x');
    expect(inDialog.getByRole('button', { name: 'Roll back' })).toBeDisabled();
  });

  it('cannot roll back an environment that has no image', async () => {
    await renderTab();
    const rollback = await screen.findByTestId('rollback-canary');
    await waitFor(() =>
      expect(screen.getByTestId('promote-canary')).toBeEnabled(),
    );
    expect(rollback).toBeDisabled();
    await user.hover(rollback.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'canary has no image to roll back',
    );
  });

  it('disables Promote and Roll back, saying why, for a user without the promote permission', async () => {
    const api = fakeImagesApi();
    await renderTab(api, { promote: false });
    const promote = screen.getByTestId('promote-staging');
    await waitFor(() =>
      expect(promote.parentElement).toHaveAttribute(
        'title',
        'You are not allowed to promote or roll back the images of this entity',
      ),
    );
    expect(promote).toBeDisabled();
    expect(screen.getByTestId('rollback-staging')).toBeDisabled();
    await user.hover(promote.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'You are not allowed to promote or roll back the images of this entity',
    );
    expect(screen.queryByTestId('promote-dialog')).not.toBeInTheDocument();
    expect(api.promote).not.toHaveBeenCalled();
  });
});
