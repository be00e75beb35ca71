/*
 * The built backend as a process: `node packages/backend --config <generated>` with NODE_ENV=production, on a free
 * port, SQLite in memory or a PostgreSQL server; started when its readiness endpoint says so and the catalog
 * serves the bench's entities, signed in as the guest (the provider allowed outside development for the bench).
 * A preloaded hook starts and stops V8's CPU profiler on SIGUSR2, so that a profile covers warm views only, and
 * reports the process's memory after a full garbage collection when asked (a file appears).
 */
import { ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  findFreePort,
  startPostgres,
} from '@berth/plugin-images-backend-test-utils';
import { log, onCleanup, sleep } from '../lib';
import { BuiltBackend } from './buildBackend';

export type BenchDatabase =
  | { client: 'better-sqlite3'; connection: ':memory:' | { directory: string } }
  | {
      client: 'pg';
      connection: {
        host: string;
        port: number;
        user: string;
        password?: string;
      };
    };

/** A throwaway PostgreSQL server (as the tests start one), stopped at cleanup. */
export async function benchPostgres(): Promise<BenchDatabase> {
  const postgres = await startPostgres();
  onCleanup(() => postgres.stop());
  const { host, port, user } = postgres.connection;
  return {
    client: 'pg',
    connection: { host: host!, port: port!, user: user! },
  };
}

export interface HttpBackend {
  url: string;
  /** The guest's Backstage token, as the frontend sends it. */
  token: string;
  pid: number;
  logFile: string;
  /** Starts the CPU profiler in the backend process. */
  startProfile(): Promise<void>;
  /** Stops it and returns the V8 profile (`.cpuprofile` JSON). */
  stopProfile(): Promise<unknown>;
  /** The backend's memory after a full garbage collection: what it holds, not what it has yet to free. */
  memory(): Promise<{ rss: number; heapUsed: number; external: number }>;
  stop(): Promise<void>;
}

const PROFILER_HOOK = `
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
let session;
process.on('SIGUSR2', () => {
  if (!session) {
    session = new Session();
    session.connect();
    session.post('Profiler.enable', () =>
      session.post('Profiler.setSamplingInterval', { interval: 100 }, () =>
        session.post('Profiler.start', () =>
          writeFileSync(process.env.BERTH_BENCH_PROFILE + '.started', ''))));
  } else {
    session.post('Profiler.stop', (error, result) => {
      writeFileSync(process.env.BERTH_BENCH_PROFILE, JSON.stringify(error ? {} : result.profile));
      session.disconnect();
      session = undefined;
    });
  }
});
// Memory on request: a file appears, the process collects garbage and answers in another file.
const memoryFile = process.env.BERTH_BENCH_MEMORY;
setInterval(() => {
  const fs = require('node:fs');
  if (!fs.existsSync(memoryFile + '.ask')) return;
  fs.rmSync(memoryFile + '.ask');
  global.gc?.();
  fs.writeFileSync(memoryFile, JSON.stringify(process.memoryUsage()));
}, 100).unref();
`;

export interface StartOptions {
  built: BuiltBackend;
  /** A name for the files of this run (config, log, profile). */
  name: string;
  database: BenchDatabase;
  /** The file of catalog entities to register (a file location). */
  entitiesFile: string;
  /** The `images` config section. */
  images: object;
}

export async function startHttpBackend(
  options: StartOptions,
): Promise<HttpBackend> {
  const { built, name } = options;
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const config = {
    app: { baseUrl: url },
    backend: {
      baseUrl: url,
      listen: { host: '127.0.0.1', port },
      database: options.database,
    },
    auth: {
      providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
    },
    catalog: {
      rules: [{ allow: ['Component', 'System', 'Group', 'User', 'Location'] }],
      locations: [{ type: 'file', target: options.entitiesFile }],
    },
    permission: { enabled: true },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [{ type: 'config', clusters: [] }],
    },
    scaffolder: {},
    images: options.images,
  };
  // JSON is YAML: the config loader reads it as app-config.
  const configFile = join(built.dir, `app-config.${name}.yaml`);
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const logFile = join(built.dir, `backend.${name}.log`);
  const profileFile = join(built.dir, `backend.${name}.cpuprofile`);
  const memoryFile = join(built.dir, `backend.${name}.memory.json`);
  const hook = join(built.dir, 'profiler-hook.cjs');
  writeFileSync(hook, PROFILER_HOOK);
  const out = openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--expose-gc', '--require', hook, built.entry, '--config', configFile],
    {
      cwd: built.dir,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        BERTH_BENCH_PROFILE: profileFile,
        BERTH_BENCH_MEMORY: memoryFile,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', out, out],
    },
  );
  closeSync(out);
  let exited: number | null | undefined;
  child.once('exit', code => {
    exited = code;
  });
  const tail = () =>
    readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
  const stop = async () => {
    if (exited !== undefined) return;
    const done = new Promise(resolve => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timeout = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await done;
    clearTimeout(timeout);
  };

  // Ready: the root health service's readiness, then the catalog serving the entities (processed from the file).
  const deadline = Date.now() + 180_000;
  const waitFor = async (what: string, ok: () => Promise<boolean>) => {
    for (;;) {
      if (exited !== undefined) {
        throw new Error(
          `the backend exited (${exited}) while waiting for ${what}; its log ends:\n${tail()}`,
        );
      }
      if (await ok().catch(() => false)) return;
      if (Date.now() > deadline) {
        await stop();
        throw new Error(
          `the backend did not get ${what} within 180 s:\n${tail()}`,
        );
      }
      await sleep(250);
    }
  };
  try {
    await waitFor(
      'ready',
      async () =>
        (await fetch(`${url}/.backstage/health/v1/readiness`)).status === 200,
    );
    let token = '';
    await waitFor('a guest token', async () => {
      const response = await fetch(`${url}/api/auth/guest/refresh`, {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      if (!response.ok) return false;
      const body = (await response.json()) as {
        backstageIdentity?: { token?: string };
      };
      token = body.backstageIdentity?.token ?? '';
      return token !== '';
    });
    log(`http: backend ${name} ready at ${url} (pid ${child.pid})`);
    return {
      url,
      token,
      pid: child.pid!,
      logFile,
      async startProfile() {
        const started = `${profileFile}.started`;
        writeFileSync(started, 'no');
        child.kill('SIGUSR2');
        while (readFileSync(started, 'utf8') === 'no') await sleep(20);
      },
      async stopProfile() {
        writeFileSync(profileFile, '');
        child.kill('SIGUSR2');
        for (;;) {
          const text = readFileSync(profileFile, 'utf8');
          if (text) return JSON.parse(text);
          await sleep(50);
        }
      },
      async memory() {
        rmSync(memoryFile, { force: true });
        writeFileSync(`${memoryFile}.ask`, '');
        for (;;) {
          const text = existsSync(memoryFile)
            ? readFileSync(memoryFile, 'utf8')
            : '';
          if (text) return JSON.parse(text);
          await sleep(50);
        }
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Waits until `path` answers 200 with the token (the catalog has processed the entities). */
export async function waitForOk(
  backend: HttpBackend,
  path: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${backend.url}${path}`, {
      headers: { authorization: `Bearer ${backend.token}` },
    }).catch(() => undefined);
    if (response?.ok) {
      await response.arrayBuffer();
      return;
    }
    await response?.arrayBuffer();
    if (Date.now() > deadline)
      throw new Error(
        `${path} did not answer 200 within ${timeoutMs / 1000} s`,
      );
    await sleep(250);
  }
}
