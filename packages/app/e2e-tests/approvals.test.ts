import { expect, test } from '@playwright/test';
import { registryDigest, signIn } from './demo';

// Two people in two browsers: the guest asks for a production release of The Shop worker from its Images tab (the
// environment is protected), and Ada, a release manager, finds it in the inbox of the Images page and approves it;
// the registry's production tag and the fleet's production cell then show the released digest.
test('a production release asked for by one user is approved by another from the Images page inbox', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const repository = 'the-shop/worker';
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await signIn(guest);
  await guest.goto('/catalog/default/component/the-shop-worker/images');
  const production = guest.getByTestId('environment-lane-production');
  await expect(production).toBeVisible({ timeout: 60_000 });
  // The newest build the table lists (commits only) is what the guest releases.
  const firstRow = guest.getByTestId('tag-row').first();
  await expect(firstRow).toBeVisible({ timeout: 60_000 });
  const source = (await firstRow.getAttribute('data-digest'))!;
  expect(source).toMatch(/^sha256:/);
  expect(await registryDigest(repository, 'latest')).not.toBe(source);

  const reason = `inbox e2e ${Date.now()}`;
  await guest.getByTestId('promote-production').click();
  const dialog = guest.getByTestId('promote-dialog');
  await dialog.getByTestId('promote-source').fill(source);
  await dialog.getByLabel('Reason').fill(reason);
  await dialog.getByRole('button', { name: 'Check' }).click();
  await expect(dialog).toContainText('production is protected', {
    timeout: 30_000,
  });
  await dialog.getByRole('button', { name: 'Promote', exact: true }).click();
  await expect(
    guest.getByTestId('approvals-panel').getByTestId('pending-promotion'),
  ).toContainText(reason, { timeout: 30_000 });

  const adaContext = await browser.newContext();
  const ada = await adaContext.newPage();
  await signIn(ada, 'Ada Lovelace');
  await ada.goto('/images');
  const item = ada.getByTestId('inbox-item').filter({ hasText: reason });
  await expect(item).toBeVisible({ timeout: 30_000 });
  await ada.screenshot({
    path: 'e2e-test-results/images-page-inbox.png',
    fullPage: true,
  });
  await item.getByRole('button', { name: 'Approve' }).click();
  await expect(
    ada.getByTestId('inbox-item').filter({ hasText: reason }),
  ).toHaveCount(0, { timeout: 60_000 });
  await expect
    .poll(() => registryDigest(repository, 'latest'), { timeout: 60_000 })
    .toBe(source);

  // The fleet shows it: the worker's production cell runs the released digest.
  await ada.reload();
  // The worker's own row (the-shop system names the same image in a row of its own).
  const worker = ada.locator(
    '[data-testid="fleet-row"][data-entity="component:default/the-shop-worker"]',
  );
  await expect(worker.getByTestId('fleet-cell-production')).toHaveAttribute(
    'data-digest',
    source,
    { timeout: 30_000 },
  );
  await guestContext.close();
  await adaContext.close();
});
