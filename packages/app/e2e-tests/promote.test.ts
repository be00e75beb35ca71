import { expect, test } from '@playwright/test';
import { registryDigest, signIn } from './demo';

test('the scaffolder lists the three Berth templates', async ({ page }) => {
  await signIn(page);
  await page.goto('/create');
  for (const title of [
    'Promote image',
    'Roll back image',
    'Onboard a service to Berth',
  ]) {
    await expect(page.getByText(title, { exact: true })).toBeVisible({
      timeout: 60_000,
    });
  }
});

test('the Promote image template moves staging to the chosen tag and the Images tab shows it', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const repository = 'bxtech/dotca';
  // Two releases the demo registry seeds on different builds; promote the one staging does not run, so the test
  // moves staging whatever ran before it.
  const before = await registryDigest(repository, 'staging');
  const candidates = await Promise.all(
    ['v1.2.3', 'v1.2.2'].map(async tag => ({
      tag,
      digest: (await registryDigest(repository, tag))!,
    })),
  );
  const source = candidates.find(c => c.digest !== before)!;
  const reason = `e2e release ${Date.now()}`;

  await signIn(page);
  await page.goto('/create/templates/default/promote-image');

  // Step 1: the service (Backstage's EntityPicker) and a tag (Berth's ImageTagPicker).
  const service = page.getByRole('textbox', { name: 'Service' });
  await expect(service).toBeVisible({ timeout: 60_000 });
  await service.click();
  await service.fill('dotca');
  await page.getByRole('option', { name: 'dotca', exact: true }).click();

  const tag = page.getByRole('textbox', { name: 'Image tag' });
  await expect(tag).toBeEnabled();
  await tag.click();
  await tag.fill(source.tag);
  // The picker searches on the backend; the tag's digest heads its group of tags.
  await expect(page.getByTestId('image-tag-picker-loading')).toBeHidden({
    timeout: 30_000,
  });
  await expect(
    page.getByText(`sha256:${source.digest.slice(7, 19)}`, { exact: false }),
  ).toBeVisible({ timeout: 30_000 });
  // Only images with a matching tag are listed: canary's build has no v1.2.x tag.
  await expect(
    page.getByRole('option', { name: 'canary', exact: true }),
  ).toHaveCount(0);
  await page.screenshot({ path: 'e2e-test-results/promote-tag-picker.png' });
  await page.getByRole('option', { name: source.tag, exact: true }).click();
  await expect(page.getByTestId('image-tag-picker-selection')).toContainText(
    source.digest.slice(7, 19),
  );
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 2: a non-protected environment and a reason.
  await expect(page.getByText('Where and why')).toBeVisible();
  await page.locator('#root_environment').click();
  await page.getByRole('option', { name: 'staging', exact: true }).click();
  await page.getByRole('textbox', { name: 'Reason' }).fill(reason);
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task page: the step finishes and the output links to the Images tab.
  await expect(page).toHaveURL(/\/create\/tasks\//, { timeout: 30_000 });
  await expect(
    page.getByRole('paragraph').filter({ hasText: 'now runs' }),
  ).toBeVisible({ timeout: 90_000 });
  await expect(page.getByText(source.digest).first()).toBeVisible();
  await page.screenshot({
    path: 'e2e-test-results/promote-task.png',
    fullPage: true,
  });

  // The registry moved the tag: staging now points at the promoted digest.
  expect(await registryDigest(repository, 'staging')).toBe(source.digest);

  await page
    .getByRole('button', { name: 'Images tab' })
    .or(page.getByRole('link', { name: 'Images tab' }))
    .first()
    .click();
  await expect(page).toHaveURL(/\/catalog\/default\/component\/dotca\/images/);
  await expect(page.getByTestId('environment-lane-staging')).toHaveAttribute(
    'data-digest',
    source.digest,
    { timeout: 60_000 },
  );
  const history = page.getByTestId('promotion-history');
  const row = history.getByTestId('promotion-row').filter({ hasText: reason });
  await expect(row).toHaveCount(1, { timeout: 30_000 });
  await expect(row).toHaveAttribute('data-status', 'succeeded');
  await expect(row).toContainText('staging');
  await expect(row).toContainText(source.digest.slice(7, 19));
  await page.screenshot({
    path: 'e2e-test-results/promote-dotca-staging.png',
    fullPage: true,
  });
});

test('the Roll back image template returns staging to a rollback tag', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const repository = 'bxtech/dotca';
  // The demo registry seeds two rollback tags on different builds; return to the one staging does not run.
  const before = await registryDigest(repository, 'staging');
  const candidates = await Promise.all(
    [
      'rollback-20261029-091502-pre-promote',
      'rollback-20261103-142210-checkout-5xx',
    ].map(async tag => ({
      tag,
      digest: (await registryDigest(repository, tag))!,
    })),
  );
  const target = candidates.find(c => c.digest !== before)!;
  const reason = `e2e rollback ${Date.now()}`;

  await signIn(page);
  await page.goto('/create/templates/default/rollback-image');
  const service = page.getByRole('textbox', { name: 'Service' });
  await expect(service).toBeVisible({ timeout: 60_000 });
  await service.click();
  await service.fill('dotca');
  await page.getByRole('option', { name: 'dotca', exact: true }).click();
  await page.locator('#root_environment').click();
  await page.getByRole('option', { name: 'staging', exact: true }).click();
  await page.getByRole('textbox', { name: 'Roll back to' }).fill(target.tag);
  await page.getByRole('textbox', { name: 'Reason' }).fill(reason);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  await expect(page).toHaveURL(/\/create\/tasks\//, { timeout: 30_000 });
  await expect(
    page.getByRole('paragraph').filter({ hasText: 'is back on' }),
  ).toContainText(target.digest, { timeout: 90_000 });
  expect(await registryDigest(repository, 'staging')).toBe(target.digest);

  await page.goto('/catalog/default/component/dotca/images');
  await expect(page.getByTestId('environment-lane-staging')).toHaveAttribute(
    'data-digest',
    target.digest,
    { timeout: 60_000 },
  );
  const row = page
    .getByTestId('promotion-history')
    .getByTestId('promotion-row')
    .filter({ hasText: reason });
  await expect(row).toHaveAttribute('data-status', 'succeeded', {
    timeout: 30_000,
  });
  await expect(row).toContainText('rollback');
});

test('the Onboard a service template renders catalog-info.yaml and checks the registry', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page);
  await page.goto('/create/templates/default/onboard-service');
  const name = page.getByRole('textbox', { name: 'Name' });
  await expect(name).toBeVisible({ timeout: 60_000 });
  await name.fill('dotca-next');
  const owner = page.getByRole('textbox', { name: 'Owner' });
  await owner.click();
  await owner.fill('bxtech');
  await page
    .getByRole('option', { name: /bxtech/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page
    .getByRole('textbox', { name: 'Image repository' })
    .fill('ghcr.io/bxtech/dotca');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  await expect(page).toHaveURL(/\/create\/tasks\//, { timeout: 30_000 });
  // No environment tags given: the configured ones are checked. dotca has latest and staging, not latest-dev.
  const check = (reference: string) =>
    page.getByRole('row').filter({
      has: page.getByRole('cell', { name: reference, exact: true }),
    });
  await expect(check('ghcr.io/bxtech/dotca:latest-dev')).toContainText('RED', {
    timeout: 90_000,
  });
  await expect(check('ghcr.io/bxtech/dotca:staging')).toContainText('GREEN');
  await expect(check('ghcr.io/bxtech/dotca:latest')).toContainText('GREEN');
  await expect(
    page
      .locator('pre')
      .filter({ hasText: 'berth.dev/images: ghcr.io/bxtech/dotca' })
      .first(),
  ).toBeVisible();
  await page.screenshot({
    path: 'e2e-test-results/onboard-service.png',
    fullPage: true,
  });
});
