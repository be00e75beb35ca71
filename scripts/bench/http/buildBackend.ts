/*
 * The real backend (packages/backend), built for production and laid out the way its Docker image has it, without
 * an install: each workspace package the backend needs is built as `backstage-cli package build` builds it (the
 * CommonJS output of Backstage's packager, the step `yarn build:backend` runs for each local dependency) and copied
 * into a folder of its own with its published package.json (`publishConfig` applied, main → dist/index.cjs.js);
 * every other package is the workspace's installed one, linked. `node <dir>/packages/backend` then runs what an
 * image would run.
 *
 * Two departures from `backstage-cli package build` in packages/backend, both because that command cannot finish
 * in this repository without them: the app (a frontend bundle the app-backend would serve) is not built, only its
 * package.json is there, so the app-backend serves no static files; and @berth/demo-registry, which has no build
 * script, is built like the others (the backend's demo module imports it).
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  symlinkSync,
} from 'node:fs';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { formatMs, log, onCleanup, timed } from '../lib';
import { ROOT } from '../report';

interface PackageJson {
  name: string;
  main?: string;
  exports?: Record<string, string>;
  typesVersions?: unknown;
  files?: string[];
  dependencies?: Record<string, string>;
  publishConfig?: Record<string, unknown>;
  backstage?: { role?: string };
  scripts?: Record<string, string>;
}

interface WorkspacePackage {
  dir: string;
  packageJson: PackageJson;
}

// Backstage's packager (what `backstage-cli package build` calls); no types are published for it.
/* eslint-disable @typescript-eslint/no-require-imports */
const packager: {
  buildPackages(
    options: Array<{
      targetDir: string;
      packageJson: PackageJson;
      outputs: Set<number>;
      logPrefix?: string;
      workspacePackages: WorkspacePackage[];
    }>,
  ): Promise<void>;
} = require('@backstage/cli-module-build/dist/lib/builder/packager.cjs.js');
const { Output } =
  require('@backstage/cli-module-build/dist/lib/builder/types.cjs.js') as {
    Output: { cjs: number };
  };
/* eslint-enable @typescript-eslint/no-require-imports */

function workspacePackages(): WorkspacePackage[] {
  return ['packages', 'plugins'].flatMap(parent =>
    readdirSync(join(ROOT, parent), { withFileTypes: true })
      .filter(entry => entry.isDirectory())
      .map(entry => join(ROOT, parent, entry.name))
      .filter(dir => existsSync(join(dir, 'package.json')))
      .map(dir => ({
        dir,
        packageJson: JSON.parse(
          readFileSync(join(dir, 'package.json'), 'utf8'),
        ) as PackageJson,
      })),
  );
}

/** The backend and the workspace packages it depends on, directly or not. */
function localDependencies(
  all: WorkspacePackage[],
  root: string,
): WorkspacePackage[] {
  const byName = new Map(all.map(pkg => [pkg.packageJson.name, pkg]));
  const found = new Map<string, WorkspacePackage>();
  const visit = (name: string) => {
    const pkg = byName.get(name);
    if (!pkg || found.has(name)) return;
    found.set(name, pkg);
    for (const dep of Object.keys(pkg.packageJson.dependencies ?? {}))
      visit(dep);
  };
  visit(root);
  return [...found.values()];
}

export interface BuiltBackend {
  /** The folder laid out like the backend's image: `node <dir>/packages/backend`. */
  dir: string;
  /** The entry point to run with node. */
  entry: string;
  buildMs: number;
  packages: string[];
}

/** Builds the backend and its local dependencies, and lays them out in a temporary folder (removed at cleanup). */
export async function buildBackend(): Promise<BuiltBackend> {
  const all = workspacePackages();
  const targets = localDependencies(all, 'backend');
  const frontend = (pkg: WorkspacePackage) =>
    pkg.packageJson.backstage?.role === 'frontend';
  const toBuild = targets.filter(pkg => !frontend(pkg));
  log(
    `http: building the backend and ${
      toBuild.length - 1
    } workspace packages (CommonJS, as backstage-cli package build does)`,
  );
  const build = await timed(() =>
    packager.buildPackages(
      toBuild.map(pkg => ({
        targetDir: pkg.dir,
        packageJson: pkg.packageJson,
        outputs: new Set([Output.cjs]),
        logPrefix: `${relative(ROOT, pkg.dir)}: `,
        workspacePackages: all,
      })),
    ),
  );
  log(`http: built in ${formatMs(build.ms)}`);

  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-backend-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  // The root files the dist workspace has (the backend finds its root by them).
  for (const file of ['package.json', 'yarn.lock'])
    cpSync(join(ROOT, file), join(dir, file));
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  const local = new Map<string, string>();
  for (const pkg of targets) {
    const target = join(dir, relative(ROOT, pkg.dir));
    mkdirSync(target, { recursive: true });
    const published: PackageJson = { ...pkg.packageJson };
    Object.assign(published, pkg.packageJson.publishConfig ?? {});
    if (!frontend(pkg)) {
      // As Backstage packs a package: the entry points are the built ones.
      published.main = 'dist/index.cjs.js';
      if (published.exports)
        published.exports = Object.fromEntries(
          Object.entries(published.exports).map(([path, file]) => [
            path,
            file.replace(/^\.\/src\/(.*)\.tsx?$/, './dist/$1.cjs.js'),
          ]),
        );
      delete published.typesVersions;
      for (const entry of pkg.packageJson.files ?? ['dist']) {
        if (existsSync(join(pkg.dir, entry)))
          cpSync(join(pkg.dir, entry), join(target, entry), {
            recursive: true,
          });
      }
    }
    writeFileSync(join(target, 'package.json'), JSON.stringify(published));
    local.set(pkg.packageJson.name, target);
  }
  // node_modules: the local packages as built above, every other package the installed one.
  const installed = join(ROOT, 'node_modules');
  for (const entry of readdirSync(installed)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      mkdirSync(join(modules, entry));
      for (const scoped of readdirSync(join(installed, entry))) {
        const name = `${entry}/${scoped}`;
        symlinkSync(
          local.get(name) ?? join(installed, entry, scoped),
          join(modules, entry, scoped),
        );
      }
    } else {
      symlinkSync(
        local.get(entry) ?? join(installed, entry),
        join(modules, entry),
      );
    }
  }
  for (const [name, target] of local) {
    if (!existsSync(join(modules, name))) {
      mkdirSync(join(modules, name, '..'), { recursive: true });
      symlinkSync(target, join(modules, name));
    }
  }
  return {
    dir,
    entry: join(dir, 'packages/backend'),
    buildMs: build.ms,
    packages: targets.map(pkg => pkg.packageJson.name),
  };
}
