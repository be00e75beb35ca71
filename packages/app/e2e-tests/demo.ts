import { expect, Page } from '@playwright/test';
import { createHash } from 'node:crypto';

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
/** Signs in as one of the demo's two users (the demo's sign-in page), unless a session already exists. */
export async function signIn(
  page: Page,
  user: 'Guest' | 'Ada Lovelace' = 'Guest',
) {
  await page.goto('/');
  const choose = page.getByRole('button', { name: `Sign in as ${user}` });
  if (await choose.isVisible({ timeout: 15_000 }).catch(() => false))
    await choose.click();
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

async function pushBlob(repository: string, bytes: Buffer): Promise<string> {
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const started = await fetch(`${REGISTRY}/v2/${repository}/blobs/uploads/`, {
    method: 'POST',
  });
  expect(started.status).toBe(202);
  const location = new URL(started.headers.get('location')!, REGISTRY);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  expect(put.status).toBe(201);
  return digest;
}

/**
 * Pushes a new single-layer image built now to `repository:tag` of the registry, as a CI job would: the registry
 * then posts its push event to the backend. Answers the manifest's digest.
 */
export async function pushNewImage(
  repository: string,
  tag: string,
): Promise<string> {
  const layer = Buffer.from(`berth e2e layer ${tag} ${Date.now()}`);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: new Date().toISOString(),
      config: { Labels: { 'org.opencontainers.image.version': tag } },
      rootfs: { type: 'layers', diff_ids: [] },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: await pushBlob(repository, config),
        size: config.length,
      },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          digest: await pushBlob(repository, layer),
          size: layer.length,
        },
      ],
    }),
  );
  const put = await fetch(`${REGISTRY}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
  });
  expect(put.status).toBe(201);
  return put.headers.get('docker-content-digest')!;
}
