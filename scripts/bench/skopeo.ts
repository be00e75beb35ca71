/* Runs Debian's skopeo against the loopback registries, isolated from the machine's containers configuration. */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log, onCleanup } from './lib';

export const SKOPEO_BINARY =
  process.env.BERTH_SKOPEO_BINARY ?? '/usr/bin/skopeo';

export interface SkopeoRun {
  ms: number;
  stdout: Buffer;
  /** Peak resident memory (VmHWM from /proc, sampled every 20 ms), in bytes; 0 if never read. */
  peakRss: number;
}

export interface Skopeo {
  version: string;
  run(args: string[]): Promise<SkopeoRun>;
}

/** No TLS and no credentials on either side: the loopback registries are plain HTTP and anonymous. */
const TLS_OFF = [
  '--src-tls-verify=false',
  '--dest-tls-verify=false',
  '--src-no-creds',
  '--dest-no-creds',
];

/** `skopeo copy --all --preserve-digests` from one image reference (`host/repository@digest`) to another. */
export function skopeoCopy(
  skopeo: Skopeo,
  from: string,
  to: string,
): Promise<SkopeoRun> {
  return skopeo.run([
    'copy',
    '--all',
    '--preserve-digests',
    '--quiet',
    ...TLS_OFF,
    `docker://${from}`,
    `docker://${to}`,
  ]);
}

/** Prepares skopeo (see {@link prepareSkopeo}) when `wanted`; says so when it is missing. */
export function optionalSkopeo(
  wanted: boolean,
  missing: string,
): Skopeo | undefined {
  if (!wanted) return undefined;
  const skopeo = prepareSkopeo();
  if (!skopeo) log(missing);
  return skopeo;
}

/**
 * Prepares skopeo: a private temporary folder for its registries.conf, registries.d, auth file and temporary files,
 * so the machine's configuration (mirrors, credentials) plays no part, and a fresh blob-info cache for every run.
 * Returns undefined when skopeo is missing.
 *
 * The cache matters: skopeo remembers where it has seen each blob and mounts it from there, so a second copy into
 * another repository of the same registry would move no layer bytes (Berth does not do that across registries).
 * As root, containers/image keeps that cache in /var/lib/containers whatever XDG_DATA_HOME says, unless
 * `_CONTAINERS_ROOTLESS_UID` names another user (what Podman sets in its user namespace): then XDG_DATA_HOME it is.
 */
export function prepareSkopeo(): Skopeo | undefined {
  if (!existsSync(SKOPEO_BINARY)) return undefined;
  const version =
    /version\s+(\S+)/.exec(
      execFileSync(SKOPEO_BINARY, ['--version']).toString(),
    )?.[1] ?? 'unknown';
  const home = mkdtempSync(join(tmpdir(), 'berth-bench-skopeo-'));
  writeFileSync(
    join(home, 'registries.conf'),
    'unqualified-search-registries = []\n',
  );
  writeFileSync(join(home, 'auth.json'), '{"auths":{}}\n');
  const running = new Set<ChildProcess>();
  onCleanup(() => {
    for (const child of running) child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  });
  const env = {
    ...process.env,
    HOME: home,
    _CONTAINERS_ROOTLESS_UID: String(process.getuid?.() || 65534),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_RUNTIME_DIR: home,
    CONTAINERS_REGISTRIES_CONF: join(home, 'registries.conf'),
    REGISTRY_AUTH_FILE: join(home, 'auth.json'),
  };
  const globalArgs = [
    '--insecure-policy',
    '--registries.d',
    join(home, 'registries.d'),
    '--tmpdir',
    home,
  ];

  let runs = 0;
  return {
    version,
    run(args) {
      const data = join(home, `data-${++runs}`);
      return new Promise((resolve, reject) => {
        const started = performance.now();
        const child = spawn(SKOPEO_BINARY, [...globalArgs, ...args], {
          env: { ...env, XDG_DATA_HOME: data },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        running.add(child);
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        child.stdout.on('data', chunk => stdout.push(chunk));
        child.stderr.on('data', chunk => stderr.push(chunk));
        let peakRss = 0;
        const sample = () => {
          try {
            const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
            const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
            peakRss = Math.max(peakRss, kb * 1024);
          } catch {
            // exited between two samples
          }
        };
        const sampler = setInterval(sample, 20);
        child.once('error', error => {
          clearInterval(sampler);
          running.delete(child);
          reject(error);
        });
        // "close", not "exit": the output streams may still hold data when the process has exited.
        child.once('close', (code, signal) => {
          const ms = performance.now() - started;
          clearInterval(sampler);
          running.delete(child);
          if (code === 0) {
            resolve({ ms, stdout: Buffer.concat(stdout), peakRss });
            return;
          }
          reject(
            new Error(
              `skopeo ${args.join(' ')} failed (${
                signal ?? `exit ${code}`
              }): ${Buffer.concat(stderr).toString().trim().slice(-2000)}`,
            ),
          );
        });
      });
    },
  };
}
