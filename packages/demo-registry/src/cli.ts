/*
 * The local registry of Berth's demo: `yarn registry up|start|seed|stop|status`.
 * It runs Debian's docker-registry (the CNCF Distribution registry) on 127.0.0.1, with its storage in
 * .berth/registry/ (ignored by git), and seeds it with the demo images through Berth's own registry client.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { RegistryClient } from '@berth/plugin-images-backend';
import {
  REGISTRY_BINARY,
  startRegistry,
} from '@berth/plugin-images-backend-test-utils';
import { seedDemoImages } from './seed';

// `yarn registry` runs in the repository root, where .berth/ lives.
const root = process.cwd();
const stateDir =
  process.env.BERTH_REGISTRY_DIR ?? join(root, '.berth', 'registry');
const pidFile = join(stateDir, 'registry.pid');
const port = Number(process.env.BERTH_REGISTRY_PORT ?? 5500);
const url = `http://127.0.0.1:${port}`;

/** Where the registry sends its notifications: the demo backend's images API, for each host the demo maps to it. */
const eventsBaseUrl = (
  process.env.BERTH_EVENTS_URL ?? 'http://127.0.0.1:7007/api/images/events'
).replace(/\/+$/, '');
/** The demo's shared secret, as `images.registries[].events.token` in app-config.yaml says (demo only). */
const eventsToken = process.env.BERTH_EVENTS_TOKEN ?? 'berth-demo-events';
const DEMO_HOSTS = [
  'registry.digitalocean.com',
  'quay.io',
  'ghcr.io',
  `localhost:${port}`,
];

/** The registry's `notifications:` section: one endpoint per host the demo serves from this registry. */
function notificationsConfig(): string {
  return [
    'notifications:',
    '  endpoints:',
    ...DEMO_HOSTS.flatMap(host => [
      `    - name: berth-${host.replace(/[^a-z0-9]+/g, '-')}`,
      `      url: ${eventsBaseUrl}/${host}`,
      '      headers:',
      `        Authorization: [Bearer ${eventsToken}]`,
      '      timeout: 2s',
      '      threshold: 3',
      '      backoff: 2s',
      '      ignoredmediatypes: [application/octet-stream]',
    ]),
  ].join('\n');
}

function say(message: string) {
  process.stdout.write(`[registry] ${message}\n`);
}

function runningPid(): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

function ensureBinary() {
  if (existsSync(REGISTRY_BINARY)) return;
  say(
    `${REGISTRY_BINARY} is missing: installing Debian's docker-registry package`,
  );
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const run = (args: string[]) =>
    execFileSync(
      sudo.length ? 'sudo' : args[0],
      sudo.length ? args : args.slice(1),
      { stdio: 'inherit' },
    );
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', 'docker-registry']);
}

async function start() {
  const pid = runningPid();
  if (pid) {
    say(`already running on ${url} (pid ${pid})`);
    return;
  }
  ensureBinary();
  mkdirSync(join(stateDir, 'data'), { recursive: true });
  const registry = await startRegistry({
    port,
    storageDir: join(stateDir, 'data'),
    configFile: join(stateDir, 'config.yml'),
    logFile: join(stateDir, 'registry.log'),
    detached: true,
    extraConfig: notificationsConfig(),
  });
  writeFileSync(pidFile, String(registry.process.pid));
  say(
    `started on ${url} (pid ${registry.process.pid}), storage in ${join(
      stateDir,
      'data',
    )}`,
  );
}

async function stop() {
  const pid = runningPid();
  if (!pid) {
    say('not running');
    return;
  }
  process.kill(pid, 'SIGTERM');
  rmSync(pidFile, { force: true });
  say(`stopped (pid ${pid})`);
}

async function seed() {
  const client = new RegistryClient({
    host: `127.0.0.1:${port}`,
    baseUrl: url,
  });
  await client.ping();
  const result = await seedDemoImages(client, { log: say });
  const tags = Object.values(result).reduce(
    (sum, t) => sum + Object.keys(t).length,
    0,
  );
  say(`seeded ${Object.keys(result).length} repositories with ${tags} tags`);
}

async function status() {
  const pid = runningPid();
  if (!pid) {
    say('not running');
    process.exitCode = 1;
    return;
  }
  const client = new RegistryClient({
    host: `127.0.0.1:${port}`,
    baseUrl: url,
  });
  await client.ping();
  say(`running on ${url} (pid ${pid})`);
}

const commands: Record<string, () => Promise<void>> = {
  start,
  stop,
  seed,
  status,
  up: async () => {
    await start();
    await seed();
  },
};

const command = process.argv[2] ?? 'up';
const run = commands[command];
if (!run) {
  process.stderr.write(
    `usage: yarn registry [${Object.keys(commands).join('|')}]\n`,
  );
  process.exit(2);
}
run().catch(error => {
  process.stderr.write(
    `[registry] ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
