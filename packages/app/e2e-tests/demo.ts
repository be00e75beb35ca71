import { expect, Page } from '@playwright/test';

/** The registry the E2E run seeded (scripts/e2e.sh sets it; the demo's otherwise). */
export const REGISTRY =
  process.env.BERTH_E2E_REGISTRY_URL ?? 'http://127.0.0.1:5500';

const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** Signs in as the demo's guest and waits for the catalog. */
export async function signIn(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  // The guest sign-in page appears unless a session already exists.
  if (await enter.isVisible({ timeout: 15_000 }).catch(() => false))
    await enter.click();
  await expect(page.getByText('Berth demo Catalog')).toBeVisible();
}

/** What the registry itself says a tag points at; undefined when it has no such tag. */
export async function registryDigest(
  repository: string,
  tag: string,
): Promise<string | undefined> {
  const response = await fetch(
    `${REGISTRY}/v2/${repository}/manifests/${tag}`,
    { method: 'HEAD', headers: { accept: MANIFEST_ACCEPT } },
  );
  if (response.status === 404) return undefined;
  expect(response.status).toBe(200);
  return response.headers.get('docker-content-digest')!;
}
