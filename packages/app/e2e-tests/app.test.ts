import { expect, test } from '@playwright/test';
import { REGISTRY, registryDigest, signIn } from './demo';

test('the catalog lists the example services', async ({ page }) => {
  await signIn(page);
  // Every entity, not only those the signed-in demo user's groups own.
  await page.goto('/catalog?filters%5Buser%5D=all');
  for (const name of [
    'dotca',
    'Gateway service',
    'Support email',
    'Legacy billing',
  ]) {
    await expect(
      page.getByRole('link', { name, exact: true }).first(),
    ).toBeVisible({ timeout: 60_000 });
  }
});

test('the Images tab shows the environments with the digests the registry has', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/dotca/images');
  const production = page.getByTestId('environment-lane-production');
  await expect(production).toHaveAttribute('data-status', 'GREEN', {
    timeout: 60_000,
  });
  await expect(production).toHaveAttribute(
    'data-digest',
    await registryDigest('bxtech/dotca', 'latest'),
  );
  await expect(page.getByTestId('environment-lane-staging')).toHaveAttribute(
    'data-digest',
    await registryDigest('bxtech/dotca', 'staging'),
  );
  await expect(page.getByTestId('environment-lane-canary')).toHaveAttribute(
    'data-status',
    'GREEN',
  );
  // dotca's annotation names staging, production and canary: no development lane (it would be a false "missing").
  await expect(page.getByTestId('environment-lane-development')).toHaveCount(0);
  await expect(page.getByTestId('tag-row').first()).toBeVisible();
  await page.screenshot({
    path: 'e2e-test-results/images-tab-dotca.png',
    fullPage: true,
  });
});

test('search filters the tags table', async ({ page }) => {
  await signIn(page);
  await page.goto('/catalog/default/component/dotca/images');
  const rows = page.getByTestId('tag-row');
  await expect(rows.first()).toBeVisible({ timeout: 60_000 });
  const before = await rows.count();
  await page.getByLabel('Search tags').fill('v1.2.');
  await expect
    .poll(() => rows.count(), { timeout: 15_000 })
    .toBeLessThan(before);
  const texts = await rows.allInnerTexts();
  expect(texts.length).toBeGreaterThan(0);
  for (const text of texts) expect(text).toContain('v1.2.');
});

test('the details drawer shows both platforms of the multi-arch production image', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/dotca/images');
  const production = page.getByTestId('environment-lane-production');
  await expect(production).toHaveAttribute('data-status', 'GREEN', {
    timeout: 60_000,
  });
  const digest = (await production.getAttribute('data-digest'))!;
  await production
    .getByRole('button', { name: `Show details of ${digest.slice(7, 19)}` })
    .click();
  const drawer = page.getByTestId('image-details');
  await expect(drawer.getByTestId('platform-linux/amd64')).toBeVisible({
    timeout: 30_000,
  });
  // arm64 images carry a variant (linux/arm64/v8).
  await expect(
    drawer.locator('[data-testid^="platform-linux/arm64"]'),
  ).toBeVisible();
  await expect(drawer.getByTestId('pull-command')).toContainText(
    `docker pull ghcr.io/bxtech/dotca@${digest}`,
  );
  await page.screenshot({
    path: 'e2e-test-results/images-details-dotca.png',
    fullPage: true,
  });
});

test('the overview shows the images card', async ({ page }) => {
  await signIn(page);
  await page.goto('/catalog/default/component/dotca');
  const card = page.getByTestId('images-card');
  await expect(card.getByTestId('card-environment-production')).toBeVisible({
    timeout: 60_000,
  });
  await expect(card.getByTestId('card-environment-production')).toContainText(
    'latest',
  );
});

test('a system with several images offers a selector, and each image its environments', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/system/the-shop/images');
  const api = page.getByRole('tab', {
    name: 'registry.digitalocean.com/the-shop/api',
  });
  await expect(api).toBeVisible({ timeout: 60_000 });
  await api.click();
  // The Shop tags builds by commit only and deploys by files in its GitOps repository (the demo's stand-in code
  // host): the production lane runs the commit the kustomization names, and the table lists the commits.
  const kustomization = await (
    await fetch(
      'http://localhost:7012/the-shop/deploy/production/kustomization.yaml',
    )
  ).text();
  const commit = new RegExp('the-shop/api\\n\\s+newTag: "([0-9a-f]{40})"').exec(
    kustomization,
  )?.[1];
  expect(commit).toBeDefined();
  const production = page.getByTestId('environment-lane-production');
  await expect(production).toHaveAttribute('data-status', 'GREEN', {
    timeout: 30_000,
  });
  await expect(production).toHaveAttribute(
    'data-digest',
    (await registryDigest('the-shop/api', commit!))!,
  );
  await expect(production.getByTestId('lane-deployment')).toHaveAttribute(
    'data-state',
    'running',
  );
  await expect(production.getByTestId('lane-deployment')).toContainText(
    `the-shop/api:${commit}`,
  );
  const listed = (await (
    await fetch(`${REGISTRY}/v2/the-shop/api/tags/list`)
  ).json()) as { tags: string[] };
  const firstRow = page.getByTestId('tag-row').first();
  await expect(firstRow).toBeVisible();
  const text = await firstRow.innerText();
  expect(listed.tags.some(tag => text.includes(tag))).toBe(true);
});

test('a service without the annotation shows how to onboard it', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/legacy-billing/images');
  await expect(
    page.getByText('No images: add the berth.dev/images annotation'),
  ).toBeVisible({ timeout: 60_000 });
});

test("support-email's production lane says what its cluster runs, through Backstage's Kubernetes plugin", async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/support-email/images');
  const production = page.getByTestId('environment-lane-production');
  const deployment = production.getByTestId('lane-deployment');
  // The demo's stand-in cluster runs four pods of the image `latest` points at.
  await expect(deployment).toHaveAttribute('data-state', 'running', {
    timeout: 60_000,
  });
  await expect(production).toHaveAttribute(
    'data-digest',
    (await registryDigest('keepkey/support-email', 'latest'))!,
  );
  await expect(deployment).toContainText(
    'cluster keepkey-prod, namespace keepkey runs',
  );
  await expect(deployment).toContainText('(4 replicas)');
  await page.screenshot({
    path: 'e2e-test-results/images-tab-deployment.png',
    fullPage: true,
  });
});

test('the Images page lists the fleet with the digests the registry has, and finds where a digest runs', async ({
  page,
}) => {
  await signIn(page);
  const production = await registryDigest('bxtech/dotca', 'latest');
  await page.goto('/images');
  const dotca = page
    .getByTestId('fleet-row')
    .filter({ hasText: 'ghcr.io/bxtech/dotca' });
  // From the index alone: the scheduled refresh (or a look at the tab) fills it in; reload until it has.
  await expect
    .poll(
      async () => {
        const digest = await dotca
          .getByTestId('fleet-cell-production')
          .getAttribute('data-digest', { timeout: 10_000 })
          .catch(() => null);
        if (digest !== production) await page.reload();
        return digest;
      },
      { timeout: 90_000, intervals: [2_000] },
    )
    .toBe(production);
  expect(await page.getByTestId('fleet-row').count()).toBeGreaterThan(1);

  await page
    .getByLabel('Search the fleet')
    .fill(production!.slice(0, 'sha256:'.length + 12));
  await expect(page.getByTestId('fleet-row')).toHaveCount(1, {
    timeout: 15_000,
  });
  await expect(page.getByTestId('fleet-row')).toContainText(
    'ghcr.io/bxtech/dotca',
  );

  // The owners of onboarded entities come from the catalog: choosing one lists only what it owns.
  const rows = page.getByTestId('fleet-row');
  await page.getByLabel('Search the fleet').fill('');
  await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(1);
  await page.getByRole('button', { name: 'Owner', exact: true }).click();
  await page
    .getByRole('option', { name: 'the-shop-team', exact: true })
    .click();
  await expect
    .poll(
      async () =>
        [
          ...new Set(
            await rows.evaluateAll(all =>
              all.map(row => row.getAttribute('data-entity')),
            ),
          ),
        ].sort(),
      { timeout: 15_000 },
    )
    .toEqual([
      'component:default/the-shop-api',
      'component:default/the-shop-web',
      'component:default/the-shop-worker',
      'system:default/the-shop',
    ]);
  await page.screenshot({
    path: 'e2e-test-results/images-page-owner-filter.png',
    fullPage: true,
  });
});
