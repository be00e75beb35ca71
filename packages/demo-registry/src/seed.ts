import { RegistryClient } from '@berth/plugin-images-backend';
import {
  commitOf,
  DemoBuild,
  DemoRepository,
  demoRepositories,
} from './demoImages';
import {
  pushCosignSignature,
  pushImage,
  pushIndex,
  PushedManifest,
} from './imageBuilder';

/** What seeding wrote: per repository, each tag and the digest it points at. */
export type SeedResult = Record<string, Record<string, string>>;

const HOUR_MS = 3_600_000;

/** Midnight UTC of the day: demo images are dated relative to it, so a day's seeds are byte-identical. */
export function seedAnchor(now = new Date()): Date {
  return new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()),
  );
}

async function pushBuild(
  client: RegistryClient,
  repo: DemoRepository,
  build: DemoBuild,
  anchor: Date,
): Promise<PushedManifest> {
  const created = new Date(anchor.getTime() - build.hoursAgo * HOUR_MS);
  const revision = commitOf(repo.repository, build.id);
  const labels: Record<string, string> = {
    'org.opencontainers.image.source': repo.source,
    'org.opencontainers.image.revision': revision,
    'org.opencontainers.image.created': created.toISOString(),
    'org.opencontainers.image.title': repo.repository.split('/').pop()!,
    ...(build.version && { 'org.opencontainers.image.version': build.version }),
  };
  const platforms = build.platforms ?? ['amd64'];
  const children: PushedManifest[] = [];
  for (const architecture of platforms) {
    const layers = [
      {
        path: `base-${architecture}.bin`,
        size: repo.baseLayerSize,
        seed: `${repo.repository}/base/${architecture}`,
      },
      ...Array.from({ length: build.extraLayers ?? 0 }, (_, i) => ({
        path: `deps-${i}.bin`,
        size: 90_000 + i * 45_000,
        // Dependency layers change every other build, as lockfiles do.
        seed: `${repo.repository}/deps/${i}/${architecture}/${Math.floor(
          build.hoursAgo / 200,
        )}`,
      })),
      {
        path: 'app.bin',
        size: build.appLayerSize,
        seed: `${repo.repository}/app/${build.id}/${architecture}`,
      },
    ];
    children.push(
      await pushImage(client, repo.repository, {
        created,
        os: 'linux',
        architecture,
        ...(architecture === 'arm64' && { variant: 'v8' }),
        layers,
        labels,
        cmd: repo.cmd,
        user: repo.user,
        healthcheck: repo.healthcheck,
        exposedPorts: repo.exposedPorts,
      }),
    );
  }
  if (children.length === 1) return children[0];
  return pushIndex(
    client,
    repo.repository,
    children.map(child => child.descriptor),
    labels,
  );
}

/**
 * Pushes the demo repositories through the Distribution API with Berth's own registry client: blobs, configs and
 * manifests by digest, children before indexes, then the tags. Idempotent: blobs already present are skipped.
 */
export async function seedDemoImages(
  client: RegistryClient,
  options: {
    now?: Date;
    repositories?: DemoRepository[];
    log?: (message: string) => void;
  } = {},
): Promise<SeedResult> {
  const anchor = seedAnchor(options.now);
  const result: SeedResult = {};
  for (const repo of options.repositories ?? demoRepositories()) {
    const builds = new Map<string, PushedManifest>();
    for (const build of repo.builds) {
      builds.set(build.id, await pushBuild(client, repo, build, anchor));
    }
    const tags: Record<string, string> = {};
    for (const [tag, buildId] of Object.entries(repo.tags)) {
      const build = builds.get(buildId);
      if (!build)
        throw new Error(
          `demo data: ${repo.repository}:${tag} names unknown build ${buildId}`,
        );
      await client.putManifest(
        repo.repository,
        tag,
        build.bytes,
        build.descriptor.mediaType,
      );
      tags[tag] = build.descriptor.digest;
    }
    for (const buildId of repo.signed ?? []) {
      const signed = builds.get(buildId)!.descriptor;
      const tag = await pushCosignSignature(
        client,
        repo.repository,
        `${repo.image}:${buildId}`,
        signed,
      );
      tags[tag] = (await client.resolveDigest(repo.repository, tag))!;
    }
    result[repo.repository] = tags;
    options.log?.(
      `${repo.image}: ${repo.builds.length} builds, ${
        Object.keys(tags).length
      } tags`,
    );
  }
  return result;
}
