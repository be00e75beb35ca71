import { ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Debian's package installs the CNCF Distribution registry.
 *
 * @public
 */
export const REGISTRY_BINARY =
  process.env.BERTH_REGISTRY_BINARY ?? '/usr/bin/docker-registry';

/**
 * A running CNCF Distribution registry on loopback.
 *
 * @public
 */
export interface RunningRegistry {
  /** `127.0.0.1:<port>`, as image names write it. */
  host: string;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  storageDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Options for {@link startRegistry}.
 *
 * @public
 */
export interface StartRegistryOptions {
  /** Port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** Folder for the registry's storage; a temporary one (removed on stop) when omitted. */
  storageDir?: string;
  /** Extra YAML appended to the registry's configuration (for example an `auth:` section). */
  extraConfig?: string;
  /** Keep the process running after this Node.js process exits (for the demo). */
  detached?: boolean;
  /** Where to write the registry's configuration (default: a temporary folder, removed on stop). */
  configFile?: string;
  /** File the registry's log goes to (default: discarded). */
  logFile?: string;
}

/**
 * A free TCP port on 127.0.0.1.
 *
 * @public
 */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Debian's `docker-registry` (the CNCF Distribution registry) on 127.0.0.1 and waits until it answers.
 *
 * @public
 */
export async function startRegistry(
  options: StartRegistryOptions = {},
): Promise<RunningRegistry> {
  if (!existsSync(REGISTRY_BINARY)) {
    throw new Error(
      `${REGISTRY_BINARY} is missing: install Debian's docker-registry package (scripts/test.sh and scripts/run.sh do)`,
    );
  }
  const port = options.port ?? (await findFreePort());
  const temporary = !options.storageDir;
  const storageDir =
    options.storageDir ?? mkdtempSync(join(tmpdir(), 'berth-registry-'));
  const configDir = options.configFile
    ? undefined
    : mkdtempSync(join(tmpdir(), 'berth-registry-config-'));
  const configFile = options.configFile ?? join(configDir!, 'config.yml');
  writeFileSync(
    configFile,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${storageDir}`,
      '  delete:',
      '    enabled: true',
      '  maintenance:',
      '    uploadpurging:',
      '      enabled: false',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      options.extraConfig ?? '',
    ].join('\n'),
  );

  const logFd = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(REGISTRY_BINARY, ['serve', configFile], {
    stdio: ['ignore', logFd, logFd],
    detached: options.detached ?? false,
  });
  if (options.detached) child.unref();

  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited)
      throw new Error(`docker-registry exited at start (port ${port} taken?)`);
    try {
      const response = await fetch(`${url}/v2/`);
      if (response.status === 200 || response.status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not answer on ${url} within 15 s`);
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }

  return {
    host: `127.0.0.1:${port}`,
    url,
    port,
    storageDir,
    process: child,
    async stop() {
      if (!exited) {
        const done = new Promise(resolve => child.once('exit', resolve));
        child.kill('SIGTERM');
        await done;
      }
      if (configDir) rmSync(configDir, { recursive: true, force: true });
      if (temporary) rmSync(storageDir, { recursive: true, force: true });
    },
  };
}

/**
 * Tags a manifest the registry already stores under many tags at once, by writing the tag links into the
 * registry's filesystem storage the way Distribution itself does (`_manifests/tags/<tag>/current/link` and
 * `index/sha256/<hex>/link`). Ten thousand tags take a second this way instead of ten thousand PUTs; the registry
 * serves them like any other tags.
 *
 * @public
 */
export function writeTagLinks(
  storageDir: string,
  repository: string,
  digest: string,
  tags: string[],
): void {
  const hex = digest.replace(/^sha256:/, '');
  const manifests = join(
    storageDir,
    'docker/registry/v2/repositories',
    repository,
    '_manifests',
  );
  if (!existsSync(join(manifests, 'revisions/sha256', hex, 'link'))) {
    throw new Error(
      `${repository}@${digest} is not stored in this registry: push it before tagging it`,
    );
  }
  for (const tag of tags) {
    const tagDir = join(manifests, 'tags', tag);
    mkdirSync(join(tagDir, 'current'), { recursive: true });
    mkdirSync(join(tagDir, 'index/sha256', hex), { recursive: true });
    writeFileSync(join(tagDir, 'current/link'), digest);
    writeFileSync(join(tagDir, 'index/sha256', hex, 'link'), digest);
  }
}
