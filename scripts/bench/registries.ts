/* The registries the benchmark measures against: CNCF Distribution on loopback, each behind a latency proxy. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RegistryClient } from '@berth/plugin-images-backend';
import {
  REGISTRY_BINARY,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { onCleanup } from './lib';

/** The environments of the parts that start the images backend: development, staging, protected production. */
export const BENCH_ENVIRONMENTS = [
  { name: 'development', tag: 'latest-dev' },
  { name: 'staging', tag: 'staging' },
  { name: 'production', tag: 'latest', protected: true },
];

/** A proxy that adds a round-trip time to every request, and says which it adds now. */
export type LatencyProxy = RegistryProxy & { latencyMs: number };

/**
 * Starts `count` registries, each behind a proxy that adds `latencyMs` to every request; all stopped at cleanup.
 * `storageRoot`: where their storage folders go (such as /dev/shm, for a registry seeded with many thousand files);
 * a temporary folder by default.
 */
export async function startProxiedRegistries(
  count: number,
  latencyMs: number,
  storageRoot?: string,
): Promise<{ registries: RunningRegistry[]; proxies: LatencyProxy[] }> {
  const registries: RunningRegistry[] = [];
  for (let i = 0; i < count; i++) {
    const storageDir = storageRoot
      ? mkdtempSync(join(storageRoot, 'berth-bench-registry-'))
      : undefined;
    if (storageDir)
      onCleanup(() => rmSync(storageDir, { recursive: true, force: true }));
    const registry = await startRegistry({ storageDir });
    onCleanup(() => registry.stop());
    registries.push(registry);
  }
  const proxies: LatencyProxy[] = [];
  for (const registry of registries) {
    const proxy = Object.assign(
      await startRegistryProxy({ target: registry.url, latencyMs }),
      { latencyMs },
    );
    const setLatency = proxy.setLatency.bind(proxy);
    proxy.setLatency = (ms: number) => {
      proxy.latencyMs = ms;
      setLatency(ms);
    };
    onCleanup(() => proxy.stop());
    proxies.push(proxy);
  }
  return { registries, proxies };
}

/** A client of a registry straight, without the proxy: for seeding and checks, outside the times and the counts. */
export function directClient(
  registry: RunningRegistry,
  concurrency?: number,
): RegistryClient {
  return RegistryClient.forEndpoint({
    host: registry.host,
    baseUrl: registry.url,
    concurrency,
  });
}

/** The version of the registry binary the benchmark starts. */
export function distributionVersion(): string {
  try {
    const text = execFileSync(REGISTRY_BINARY, ['--version']).toString();
    return /distribution\s+v?(\d+\.\d+\.\d+)/.exec(text)?.[1] ?? text.trim();
  } catch {
    return 'unknown';
  }
}
