import { expect, Page, test } from '@playwright/test';

async function signIn(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  // The guest sign-in page appears unless a session already exists.
  if (await enter.isVisible({ timeout: 15_000 }).catch(() => false)) await enter.click();
  await expect(page.getByText('Berth demo Catalog')).toBeVisible();
}

test('the catalog lists the example services', async ({ page }) => {
  await signIn(page);
  for (const name of ['dotca', 'Gateway service', 'Support email', 'Legacy billing']) {
    await expect(page.getByRole('link', { name, exact: true }).first()).toBeVisible({ timeout: 60_000 });
  }
});

test('an annotated service shows its images and environments on the Images tab', async ({ page }) => {
  await signIn(page);
  await page.goto('/catalog/default/component/dotca/images');
  await expect(page.getByRole('tab', { name: 'Images' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('ghcr.io/bxtech/dotca', { exact: true })).toBeVisible();
  await expect(page.getByText('ghcr.io/bxtech/dotca:staging')).toBeVisible();
  await expect(page.getByText('ghcr.io/bxtech/dotca:canary')).toBeVisible();
  await page.screenshot({ path: 'e2e-test-results/images-tab-dotca.png', fullPage: true });
});

test('a service without the annotation shows how to onboard it', async ({ page }) => {
  await signIn(page);
  await page.goto('/catalog/default/component/legacy-billing/images');
  await expect(page.getByText('No images: add the berth.dev/images annotation')).toBeVisible({ timeout: 60_000 });
});
