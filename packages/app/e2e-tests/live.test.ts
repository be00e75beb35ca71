import { expect, test } from '@playwright/test';
import { pushNewImage, signIn } from './demo';

// The registry of the run (the CNCF Distribution registry) posts its push events to the backend, which refreshes
// the pushed tag and signals the open tab (Backstage's signals backend and frontend plugin): the new image shows
// up without a reload, long before the index's own listing would be read again.
test('a push to the registry shows on the open Images tab without a reload', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/dotca/images');
  const rows = page.getByTestId('tag-row');
  await expect(rows.first()).toBeVisible({ timeout: 60_000 });
  const tag = `e2e-push-${Date.now()}`;
  await expect(rows.filter({ hasText: tag })).toHaveCount(0);
  let navigations = 0;
  page.on('framenavigated', frame => {
    if (frame === page.mainFrame()) navigations++;
  });

  const digest = await pushNewImage('bxtech/dotca', tag);

  // Newest first: the image built now leads the table.
  const pushed = rows.first();
  await expect(pushed).toHaveAttribute('data-digest', digest, {
    timeout: 15_000,
  });
  await expect(pushed).toContainText(tag);
  expect(navigations).toBe(0);
  await page.screenshot({
    path: 'e2e-test-results/images-tab-live-push.png',
    fullPage: true,
  });
});
