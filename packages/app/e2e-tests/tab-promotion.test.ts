import { expect, test } from '@playwright/test';
import { registryDigest, signIn } from './demo';

// support-email names development and production only (no false "staging: missing" lane). The tab's own Promote
// button moves development back to the image production runs, and a promotion of the newest build to the protected
// production waits for a second person, which the signed-in guest cannot be.
test("the lane's Promote button moves an environment, and a protected one waits for another person's approval", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const repository = 'keepkey/support-email';
  const newest = (await registryDigest(repository, 'latest-dev'))!;
  const production = (await registryDigest(repository, 'latest'))!;
  expect(newest).not.toBe(production);
  const reason = `tab e2e ${Date.now()}`;

  await signIn(page);
  await page.goto('/catalog/default/component/support-email/images');
  const development = page.getByTestId('environment-lane-development');
  await expect(development).toHaveAttribute('data-status', 'GREEN', {
    timeout: 60_000,
  });
  await expect(development).toHaveAttribute('data-digest', newest);
  await expect(page.getByTestId('environment-lane-production')).toBeVisible();
  await expect(page.getByTestId('environment-lane-staging')).toHaveCount(0);

  // Put production's image back into development: check the plan (gates included), then promote.
  await development.getByTestId('promote-development').click();
  const dialog = page.getByTestId('promote-dialog');
  await dialog.getByTestId('promote-source').fill(production);
  await dialog.getByLabel('Reason').fill(reason);
  await dialog.getByRole('button', { name: 'Check' }).click();
  await expect(dialog.getByText('cmd', { exact: true })).toBeVisible({
    timeout: 30_000,
  });
  await expect(dialog).toContainText('sets a command (CMD or ENTRYPOINT)');
  await dialog.getByRole('button', { name: 'Promote', exact: true }).click();
  await expect(page.getByTestId('promotion-outcome')).toContainText(
    'to development',
    { timeout: 30_000 },
  );
  await expect(development).toHaveAttribute('data-digest', production, {
    timeout: 30_000,
  });
  await expect(development).toHaveAttribute('data-status', 'GREEN');
  await expect(development.getByTestId('lane-last-move')).toContainText(
    'guest',
  );
  expect(await registryDigest(repository, 'latest-dev')).toBe(production);
  const history = page.getByTestId('promotion-history');
  await expect(
    history.getByTestId('promotion-row').filter({ hasText: reason }),
  ).toHaveAttribute('data-status', 'succeeded');

  // Production is protected: the request waits, the requester cannot approve it, only withdraw it.
  const protectedReason = `${reason} to production`;
  await page.getByTestId('promote-production').click();
  const prod = page.getByTestId('promote-dialog');
  await prod.getByTestId('promote-source').fill(newest);
  await prod.getByLabel('Reason').fill(protectedReason);
  await prod.getByRole('button', { name: 'Check' }).click();
  await expect(prod).toContainText('production is protected', {
    timeout: 30_000,
  });
  await prod.getByRole('button', { name: 'Promote', exact: true }).click();
  const pending = page
    .getByTestId('approvals-panel')
    .getByTestId('pending-promotion');
  await expect(pending).toHaveCount(1, { timeout: 30_000 });
  await expect(pending).toContainText(protectedReason);
  await expect(pending.getByRole('button', { name: 'Approve' })).toBeDisabled();
  expect(await registryDigest(repository, 'latest')).toBe(production);
  await page.screenshot({
    path: 'e2e-test-results/images-tab-pending-approval.png',
    fullPage: true,
  });

  await pending.getByTestId('withdraw-promotion').click();
  await expect(page.getByTestId('approvals-panel')).toHaveCount(0, {
    timeout: 30_000,
  });
  await expect(
    history.getByTestId('promotion-row').filter({ hasText: protectedReason }),
  ).toHaveAttribute('data-status', 'rejected');
  expect(await registryDigest(repository, 'latest')).toBe(production);
});
