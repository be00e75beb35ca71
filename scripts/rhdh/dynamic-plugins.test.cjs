// Loads Berth's exported dynamic plugins the way Red Hat Developer Hub does: a real Backstage backend
// (createBackend from @backstage/backend-defaults) with the dynamic feature loader of
// @backstage/backend-dynamic-feature-service, pointed at the dynamic-plugins root that scripts/rhdh/export.sh lays
// out in .berth/rhdh/dynamic-plugins/, and configured as RHDH configures a plugin: its `pluginConfig` merged from an
// app-config file of its own. Then it asks the loaded plugins over HTTP.
//
// Run by scripts/rhdh/check.sh (export first): node --test scripts/rhdh/dynamic-plugins.test.cjs
// What it cannot show: the frontend inside RHDH's own app shell (Scalprum, mount points); see
// docs/red-hat-developer-hub.md.
const { after, before, test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
// The dynamic plugin service finds the Backstage root (whose node_modules the plugins' shared @backstage packages
// come from) from the working directory.
process.chdir(root);
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';

const pluginsRoot = path.join(root, '.berth/rhdh/dynamic-plugins');
const backendDir = path.join(pluginsRoot, 'berth-plugin-images-backend');
const scaffolderDir = path.join(
  pluginsRoot,
  'berth-plugin-scaffolder-backend-module-images',
);
const frontendDir = path.join(pluginsRoot, 'berth-plugin-images');
const token = crypto.randomBytes(24).toString('base64url');

let backend;
let baseUrl;
let work;
const registry = { server: undefined, url: '', requests: [] };

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// A registry that has no image: records what it is asked and answers as a Distribution registry does for an unknown
// manifest. Berth may only reach it through the endpoint that the images config gives the host registry.berth.test.
function startRegistry() {
  registry.server = http.createServer((req, res) => {
    registry.requests.push(`${req.method} ${req.url}`);
    if (req.url === '/v2/' || req.url === '/v2') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(
      req.method === 'HEAD'
        ? undefined
        : JSON.stringify({
            errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }],
          }),
    );
  });
  return new Promise(resolve =>
    registry.server.listen(0, '127.0.0.1', () => {
      registry.url = `http://127.0.0.1:${registry.server.address().port}`;
      resolve();
    }),
  );
}

// Every module that code inside the plugins root asks for, and where Node found it: RHDH's host has its own
// node_modules, not Berth's, so anything but the shared @backstage packages must come from the plugin's own folder.
const resolutions = [];
function recordResolutions() {
  const Module = require('node:module');
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function recorded(request, parent, ...rest) {
    const resolved = resolve.call(this, request, parent, ...rest);
    if (parent?.filename?.startsWith(pluginsRoot + path.sep)) {
      resolutions.push({ request, from: parent.filename, resolved });
    }
    return resolved;
  };
}

function request(method, route, { auth, body } = {}) {
  const headers = {};
  if (auth) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${baseUrl}${route}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

before(async () => {
  for (const dir of [backendDir, scaffolderDir, frontendDir]) {
    assert.ok(
      fs.existsSync(path.join(dir, 'package.json')),
      `${dir} is missing: run bash scripts/rhdh/export.sh first`,
    );
  }
  await startRegistry();
  const port = await freePort();
  baseUrl = `http://localhost:${port}`;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-rhdh-'));

  // The host's own configuration. (JSON is YAML.)
  const appConfig = path.join(work, 'app-config.yaml');
  fs.writeFileSync(
    appConfig,
    JSON.stringify({
      backend: {
        baseUrl,
        listen: { host: '127.0.0.1', port },
        database: { client: 'better-sqlite3', connection: ':memory:' },
        auth: {
          externalAccess: [
            { type: 'static', options: { token, subject: 'rhdh-check' } },
          ],
        },
      },
      dynamicPlugins: { rootDirectory: path.relative(root, pluginsRoot) },
    }),
  );
  // What RHDH writes from the plugins' `pluginConfig` in dynamic-plugins.yaml: the minimum images config.
  const pluginConfig = path.join(work, 'app-config.dynamic-plugins.yaml');
  fs.writeFileSync(
    pluginConfig,
    JSON.stringify({
      images: {
        registries: [
          {
            host: 'registry.berth.test',
            endpoint: registry.url,
            insecure: true,
          },
        ],
      },
    }),
  );

  recordResolutions();
  const { createBackend } = require('@backstage/backend-defaults');
  const {
    rootConfigServiceFactory,
  } = require('@backstage/backend-defaults/rootConfig');
  const {
    dynamicPluginsFeatureLoader,
  } = require('@backstage/backend-dynamic-feature-service');

  backend = createBackend();
  backend.add(
    rootConfigServiceFactory({
      argv: ['--config', appConfig, '--config', pluginConfig],
      watch: false,
    }),
  );
  backend.add(dynamicPluginsFeatureLoader);
  // RHDH ships the scaffolder statically; Berth's scaffolder module extends it.
  backend.add(require('@backstage/plugin-scaffolder-backend'));
  await backend.start();
});

after(async () => {
  await backend?.stop();
  await new Promise(resolve =>
    registry.server ? registry.server.close(resolve) : resolve(),
  );
  if (work) fs.rmSync(work, { recursive: true, force: true });
  // The dynamic plugin service watches the plugins root (chokidar) for as long as the process lives, and
  // backend.stop() does not end that watch (backend-dynamic-feature-service 0.8.7): once the test runner has
  // reported, end the process, with the runner's exit code.
  setTimeout(() => process.exit(), 2000).unref();
});

test('the exported folders are git-ignored', () => {
  for (const file of [
    'plugins/images-backend/dist-dynamic/package.json',
    'plugins/scaffolder-backend-module-images/dist-dynamic/package.json',
    'plugins/images/dist-dynamic/dist-scalprum/plugin-manifest.json',
    '.berth/rhdh/dynamic-plugins/berth-plugin-images-backend/package.json',
  ]) {
    assert.ok(fs.existsSync(path.join(root, file)), `${file} exists`);
    // check-ignore exits 1 for a file that is not ignored, and execFileSync throws.
    execFileSync('git', ['check-ignore', '--quiet', file], { cwd: root });
  }
});

test('the backend plugin is a derived package with its own dependencies, sharing the @backstage ones', () => {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(backendDir, 'package.json'), 'utf8'),
  );
  assert.equal(manifest.name, '@berth/plugin-images-backend-dynamic');
  assert.equal(manifest.backstage.role, 'backend-plugin');
  const deps = Object.keys(manifest.dependencies);
  const peers = Object.keys(manifest.peerDependencies);
  assert.deepEqual(
    deps.filter(d => d.startsWith('@backstage/')),
    [],
    'no @backstage package is bundled',
  );
  assert.ok(peers.includes('@backstage/backend-plugin-api'));
  // Not on npm: embedded in the derived package.
  for (const embedded of [
    '@berth/plugin-images-common',
    '@berth/plugin-images-node',
  ]) {
    assert.ok(
      fs.existsSync(
        path.join(backendDir, 'node_modules', embedded, 'package.json'),
      ),
      `${embedded} is in the plugin's node_modules`,
    );
  }
  assert.ok(
    fs.existsSync(path.join(backendDir, 'node_modules/@aws-sdk/client-ecr')),
  );
  assert.ok(fs.existsSync(path.join(backendDir, 'migrations')));
  assert.ok(fs.existsSync(path.join(backendDir, 'dist/configSchema.json')));
});

test('the plugins take nothing from the host but the shared @backstage packages', () => {
  assert.ok(
    resolutions.length > 0,
    'the plugins were loaded from the plugins root',
  );
  const fromHost = resolutions.filter(
    r =>
      path.isAbsolute(r.resolved) &&
      !r.resolved.startsWith(pluginsRoot + path.sep),
  );
  // debug (under the proxy agents of the cloud SDKs) tries `supports-color` and does without when it is missing.
  const optional = ['supports-color'];
  const unshared = fromHost.filter(
    r => !r.request.startsWith('@backstage/') && !optional.includes(r.request),
  );
  assert.deepEqual(
    unshared.map(
      r => `${r.request} (from ${path.relative(pluginsRoot, r.from)})`,
    ),
    [],
  );
  assert.ok(fromHost.some(r => r.request === '@backstage/backend-plugin-api'));
});

test('GET /api/images/health answers 200 without credentials', async () => {
  const res = await request('GET', '/api/images/health');
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
});

test('the images API asks for credentials everywhere else', async () => {
  const res = await request('POST', '/api/images/verify', {
    body: { image: 'registry.berth.test/team/app', tag: 'v1' },
  });
  assert.equal(res.status, 401);
  assert.deepEqual(registry.requests, []);
});

test("it is Berth's plugin, reading its images config: a configured registry is asked, any other refused", async () => {
  const configured = await request('POST', '/api/images/verify', {
    auth: true,
    body: { image: 'registry.berth.test/team/app', tag: 'v1' },
  });
  assert.equal(configured.status, 200, await configured.clone().text());
  assert.deepEqual(await configured.json(), {
    reference: 'registry.berth.test/team/app:v1',
    status: 'RED',
  });
  assert.ok(
    registry.requests.some(r => r.endsWith(' /v2/team/app/manifests/v1')),
    `the registry was asked for the tag: ${registry.requests.join(', ')}`,
  );

  const unlisted = await request('POST', '/api/images/verify', {
    auth: true,
    body: { image: 'ghcr.io/team/app', tag: 'v1' },
  });
  const error = await unlisted.json();
  assert.ok(
    unlisted.status >= 400 && unlisted.status < 500,
    `${unlisted.status}`,
  );
  assert.match(
    error.error.message,
    /The registry ghcr\.io is not configured: add it under images\.registries/,
  );
});

test('the scaffolder module adds the images:* actions to the scaffolder', async () => {
  const res = await request('GET', '/api/scaffolder/v2/actions', {
    auth: true,
  });
  assert.equal(res.status, 200);
  const ids = (await res.json()).map(action => action.id);
  for (const id of ['images:verify', 'images:promote', 'images:rollback']) {
    assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
  }
});

test('the frontend plugin is exported with Scalprum assets that export the modules the RHDH wiring names', () => {
  const scalprum = path.join(frontendDir, 'dist-scalprum');
  const manifest = JSON.parse(
    fs.readFileSync(path.join(scalprum, 'plugin-manifest.json'), 'utf8'),
  );
  // The key of dynamicPlugins.frontend in RHDH's configuration.
  assert.equal(manifest.name, 'berth.plugin-images');
  for (const script of manifest.loadScripts) {
    assert.ok(fs.existsSync(path.join(scalprum, script)), script);
  }
  // The exposed module (PluginRoot, src/index.ts) is a webpack chunk; its export names stay readable in it.
  const chunks = fs
    .readdirSync(path.join(scalprum, 'static'))
    .filter(f => f.endsWith('.js'))
    .map(f => fs.readFileSync(path.join(scalprum, 'static', f), 'utf8'));
  for (const name of [
    'EntityImagesContent',
    'EntityImagesCard',
    'isImagesAvailable',
    'ImageTagPickerFieldExtension',
    'imagesPlugin',
  ]) {
    assert.ok(
      chunks.some(chunk => new RegExp(`\\b${name}:\\(\\)=>`).test(chunk)),
      `a chunk exports ${name}`,
    );
  }
});

test("the frontend's module federation remote is served by the backend", async () => {
  const res = await request('GET', '/.backstage/dynamic-features/remotes');
  assert.equal(res.status, 200);
  const remotes = await res.json();
  const berth = remotes.find(
    r => r.packageName === '@berth/plugin-images-dynamic',
  );
  assert.ok(berth, JSON.stringify(remotes));
  const entry = await fetch(berth.remoteInfo.entry);
  assert.equal(entry.status, 200);
});
