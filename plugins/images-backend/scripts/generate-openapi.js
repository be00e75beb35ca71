#!/usr/bin/env node
// Generates from src/schema/openapi.yaml, as Backstage's repo-tools would (its generator needs a Java jar Berth
// cannot fetch):
// - src/schema/openapi.generated.ts: the spec as a typed constant and the validated router factory;
// - images-common/src/schema/openapi/generated/: a model per components.schemas entry and DefaultApiClient, the
//   client the frontend and the scaffolder module call the API with.
// Run `yarn generate:openapi` after editing the yaml; src/schema/openapi.test.ts fails while any output is stale.
const {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} = require('node:fs');
const { dirname, join, relative } = require('node:path');
// The repository's Prettier and config (a root devDependency), as `yarn run -T prettier` ran them before.
// eslint-disable-next-line @backstage/no-undeclared-imports
const prettier = require('prettier');
const YAML = require('yaml');
const { clientFiles } = require('./openapi/client');

const backendDir = join(__dirname, '..');
const specFile = join(backendDir, 'src', 'schema', 'openapi.yaml');
const serverFile = join(backendDir, 'src', 'schema', 'openapi.generated.ts');
const clientDir = join(
  backendDir,
  '..',
  'images-common',
  'src',
  'schema',
  'openapi',
  'generated',
);

const HEADER = `// Generated from plugins/images-backend/src/schema/openapi.yaml by \`yarn generate:openapi\` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
`;

function serverSource(spec) {
  return `${HEADER}import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = ${JSON.stringify(spec, null, 2)} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
`;
}

/** Every generated file, formatted as the repository's Prettier config says: absolute path to content. */
function generate() {
  const spec = YAML.parse(readFileSync(specFile, 'utf8'));
  const files = new Map([[serverFile, serverSource(spec)]]);
  for (const [path, source] of clientFiles(spec)) {
    files.set(join(clientDir, path), HEADER + source);
  }
  for (const [path, source] of files) {
    const config = prettier.resolveConfig.sync(path);
    files.set(path, prettier.format(source, { ...config, filepath: path }));
  }
  return files;
}

function filesIn(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory()
      ? filesIn(join(dir, entry.name))
      : [join(dir, entry.name)],
  );
}

/** What differs from what the spec generates: stale, missing and leftover files, relative to the repository. */
function staleFiles() {
  const files = generate();
  const root = join(backendDir, '..', '..');
  const stale = [...files]
    .filter(
      ([path, source]) =>
        !existsSync(path) || readFileSync(path, 'utf8') !== source,
    )
    .map(([path]) => path);
  const leftover = filesIn(clientDir).filter(path => !files.has(path));
  return [...stale, ...leftover].map(path => relative(root, path));
}

function write() {
  const files = generate();
  // A schema removed from the spec takes its model file with it.
  rmSync(clientDir, { recursive: true, force: true });
  for (const [path, source] of files) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, source);
  }
}

module.exports = { generate, staleFiles };

if (require.main === module) write();
