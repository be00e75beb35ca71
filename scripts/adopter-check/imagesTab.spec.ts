/*
 * In the stock app with Berth installed from the READMEs: sign in as guest, open the README's entity, its Images
 * tab, and check that every environment lane shows the digest the registry itself reports for the lane's tag.
 * scripts/adopter-check.sh sets PLAYWRIGHT_URL, ADOPTER_CHECK_EXPECTED (written by installBerth.ts),
 * ADOPTER_CHECK_REGISTRY, ADOPTER_CHECK_TEMPLATE and ADOPTER_CHECK_RESULTS.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

interface Expected {
  entityRef: string;
  entityPath: string;
  images: {
    image: string;
    lanes: { environment: string; repository: string; tag: string }[];
  }[];
}

const expected: Expected = JSON.parse(
  readFileSync(process.env.ADOPTER_CHECK_EXPECTED!, 'utf8'),
);
const registry = process.env.ADOPTER_CHECK_REGISTRY!;
const template = process.env.ADOPTER_CHECK_TEMPLATE ?? 'app';
const results = process.env.ADOPTER_CHECK_RESULTS ?? 'adopter-check-results';

const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** What the registry says the tag points at (HEAD of the manifest, as a container runtime would ask). */
async function registryDigest(
  repository: string,
  tag: string,
): Promise<string> {
  const response = await fetch(
    `${registry}/v2/${repository}/manifests/${tag}`,
    {
      method: 'HEAD',
      headers: { accept: MANIFEST_ACCEPT },
    },
  );
  expect(
    response.status,
    `HEAD ${repository}:${tag} in the local registry`,
  ).toBe(200);
  return response.headers.get('docker-content-digest')!;
}

test(`${template}: the Images tab shows the digests the registry reports`, async ({
  page,
}) => {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter, 'the stock guest sign-in page').toBeVisible({
    timeout: 60_000,
  });
  await enter.click();
  await expect(enter, 'signed in').toBeHidden();

  // The catalog reads examples/entities.yaml shortly after the backend starts: reload until the entity is there.
  // The legacy EntityLayout renders its tabs as tabs; the new frontend system's entity page as links in its
  // "Content navigation".
  const tab = page
    .getByRole('tab', { name: 'Images', exact: true })
    .or(
      page
        .getByRole('navigation', { name: 'Content navigation' })
        .getByRole('link', { name: 'Images', exact: true }),
    );
  await expect(async () => {
    await page.goto(expected.entityPath);
    await expect(tab).toBeVisible({ timeout: 5_000 });
  }, `the Images tab on ${expected.entityRef}`).toPass({ timeout: 90_000 });

  // The overview card, on the Overview tab (the entity page opens there).
  await expect(
    page.getByTestId('images-card'),
    'the Images card on the Overview tab',
  ).toBeVisible();
  await page.screenshot({
    path: `${results}/${template}-overview.png`,
    fullPage: true,
  });

  await tab.click();
  await expect(page).toHaveURL(/\/images$/);
  for (const { image, lanes } of expected.images) {
    if (expected.images.length > 1)
      await page.getByRole('tab', { name: image }).click();
    for (const lane of lanes) {
      const digest = await registryDigest(lane.repository, lane.tag);
      const element = page.getByTestId(`environment-lane-${lane.environment}`);
      await expect(
        element,
        `${image} ${lane.environment} (${lane.tag})`,
      ).toHaveAttribute('data-status', 'GREEN', { timeout: 60_000 });
      await expect(
        element,
        `${image} ${lane.environment} (${lane.tag}) shows ${digest}`,
      ).toHaveAttribute('data-digest', digest);
      console.log(
        `${template}: ${image} ${lane.environment} (${lane.tag}) = ${digest}`,
      );
    }
  }
  await page.screenshot({
    path: `${results}/${template}-images-tab.png`,
    fullPage: true,
  });
});
