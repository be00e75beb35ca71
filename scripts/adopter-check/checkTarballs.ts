/*
 * Checks the packed tarballs as npm will serve them: what an adopter's install gets, not the workspace.
 *
 * usage: tsx checkTarballs.ts <tarball>...
 *
 * For each: not private; main, types, module, exports and typesVersions point into dist/ and the files exist; no
 * workspace:/link:/file:/portal: ranges; nothing test-only (files, exports or dependencies); every package the
 * built JavaScript imports is a dependency or peer dependency (or Node's own), so that it resolves outside
 * Berth's hoisted workspace; the config schema it declares is in the tarball. A package that only the type
 * declarations (dist/*.d.ts) import without declaring it is a warning: it resolves in a hoisted node_modules, but not
 * under a strict linker (pnpm, Yarn PnP); warnings are also appended to $ADOPTER_CHECK_NOTES when set.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const TEST_ONLY_PATH =
  /(^|\/)(__testUtils__|__tests__|__fixtures__|__mocks__|test-?utils|testing|setupTests)(\/|\.|$)|\.(test|spec)\.[cm]?[jt]sx?$/i;
const TEST_ONLY_DEP =
  /(^|\/)(jest|supertest|@testing-library\/|msw$)|test-utils|-test-utils$|^@berth\/plugin-images-backend-test-utils$|^@berth\/demo-registry$/;
const DEP_FIELDS = [
  'dependencies',
  'peerDependencies',
  'optionalDependencies',
  'devDependencies',
] as const;
const BUILTINS = new Set(builtinModules.flatMap(m => [m, `node:${m}`]));

function leaves(
  value: unknown,
  path: string[] = [],
): { path: string[]; value: string }[] {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value))
    return value.flatMap((v, i) => leaves(v, [...path, String(i)]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [];
}

const packageOf = (specifier: string) =>
  specifier.startsWith('@')
    ? specifier.split('/').slice(0, 2).join('/')
    : specifier.split('/')[0];

const warnings: string[] = [];

function check(tarball: string): string[] {
  const problems: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'berth-tarball-'));
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', dir]);
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(f => f.replace(/^package\//, ''));
    const fileSet = new Set(files);
    const pkg = JSON.parse(
      readFileSync(join(dir, 'package', 'package.json'), 'utf8'),
    );
    const name: string = pkg.name;
    const exists = (target: string) => fileSet.has(target.replace(/^\.\//, ''));

    if (pkg.private) problems.push('is private: npm refuses to publish it');
    for (const field of ['main', 'types', 'module'] as const) {
      const target = pkg[field];
      if (field !== 'module' && !target) problems.push(`has no ${field}`);
      if (!target) continue;
      if (!/^(\.\/)?dist\//.test(target))
        problems.push(`${field} is ${target}, not in dist/`);
      else if (!exists(target))
        problems.push(
          `${field} is ${target}, which the tarball does not contain`,
        );
    }
    for (const { path, value } of leaves(pkg.exports)) {
      if (path[0] === './package.json' || path[path.length - 1] === 'backstage')
        continue;
      if (/testutils|test-utils/i.test(path[0] ?? ''))
        problems.push(`exports ${path[0]}: test-only entry point`);
      if (!/^\.\/dist\//.test(value))
        problems.push(
          `exports ${path.join(' → ')} is ${value}, not in ./dist/`,
        );
      else if (!exists(value))
        problems.push(
          `exports ${path.join(
            ' → ',
          )} is ${value}, which the tarball does not contain`,
        );
    }
    for (const { path, value } of leaves(pkg.typesVersions)) {
      if (value === 'package.json') continue;
      if (!/^(\.\/)?dist\//.test(value))
        problems.push(
          `typesVersions ${path.join(' → ')} is ${value}, not in dist/`,
        );
      else if (!exists(value))
        problems.push(
          `typesVersions ${path.join(
            ' → ',
          )} is ${value}, which the tarball does not contain`,
        );
    }
    for (const field of DEP_FIELDS) {
      for (const [dep, range] of Object.entries<string>(pkg[field] ?? {})) {
        if (/^(workspace|link|file|portal|patch):/.test(range))
          problems.push(`${field} ${dep}@${range}: a range npm cannot install`);
        if (field !== 'devDependencies' && TEST_ONLY_DEP.test(dep))
          problems.push(`${field} has ${dep}, a test-only package`);
      }
    }
    const testFiles = files.filter(f => TEST_ONLY_PATH.test(f));
    if (testFiles.length)
      problems.push(
        `test-only files: ${testFiles.slice(0, 10).join(', ')}${
          testFiles.length > 10 ? ' ...' : ''
        }`,
      );
    const configSchema = pkg.configSchema;
    if (typeof configSchema === 'string' && !exists(configSchema))
      problems.push(
        `configSchema is ${configSchema}, which the tarball does not contain`,
      );

    // Every package the built code loads must be declared: Berth's workspace hoists everything, an adopter's
    // install has only what the package.json asks for.
    const declared = new Set([
      name,
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.peerDependencies ?? {}),
      ...Object.keys(pkg.optionalDependencies ?? {}),
    ]);
    const typesOnly = (dep: string) =>
      `@types/${dep.replace(/^@/, '').replace('/', '__')}`;
    for (const kind of ['code', 'types'] as const) {
      const undeclared = new Map<string, Set<string>>();
      const ofKind =
        kind === 'code'
          ? (f: string) => /\.(c|m)?js$/.test(f)
          : (f: string) => /\.d\.(c|m)?ts$/.test(f);
      for (const file of files.filter(ofKind)) {
        const code = readFileSync(join(dir, 'package', file), 'utf8');
        const specifiers = [
          ...code.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g),
          ...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
          ...code.matchAll(
            /^\s*(?:import|export)\s[^;'"]*?\sfrom\s*['"]([^'"]+)['"]/gm,
          ),
          ...code.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
        ].map(m => m[1]);
        for (const specifier of specifiers) {
          if (
            specifier.startsWith('.') ||
            specifier.startsWith('/') ||
            BUILTINS.has(specifier) ||
            BUILTINS.has(specifier.split('/')[0])
          )
            continue;
          const dep = packageOf(specifier);
          if (
            declared.has(dep) ||
            (kind === 'types' && declared.has(typesOnly(dep)))
          )
            continue;
          undeclared.set(dep, new Set([...(undeclared.get(dep) ?? []), file]));
        }
      }
      for (const [dep, where] of undeclared) {
        const message = `${name}: ${[...where].slice(0, 3).join(', ')} import${
          where.size === 1 ? 's' : ''
        } ${dep}, which is not in its dependencies or peerDependencies`;
        if (kind === 'code') problems.push(message.slice(name.length + 2));
        else
          warnings.push(
            `${message} (type declarations only: resolves when hoisted, not under pnpm or Yarn PnP)`,
          );
      }
    }
    const summary = `${name}@${pkg.version}: ${files.length} files, main ${
      pkg.main
    }, types ${pkg.types}${
      pkg.exports ? `, exports ${Object.keys(pkg.exports).join(' ')}` : ''
    }`;
    process.stdout.write(
      `[adopter-check] ${problems.length ? '✘' : '✓'} ${summary}\n`,
    );
    return problems.map(p => `${name} (${basename(tarball)}): ${p}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tarballs = process.argv.slice(2);
if (tarballs.length === 0) {
  process.stderr.write('usage: tsx checkTarballs.ts <tarball>...\n');
  process.exit(2);
}
const problems = tarballs.flatMap(check);
for (const warning of warnings) {
  process.stdout.write(`[adopter-check] warning: ${warning}\n`);
  if (process.env.ADOPTER_CHECK_NOTES)
    appendFileSync(process.env.ADOPTER_CHECK_NOTES, `warning: ${warning}\n`);
}
if (problems.length) {
  process.stderr.write(
    `[adopter-check] the packed packages are not what an adopter can install:\n  ${problems.join(
      '\n  ',
    )}\n`,
  );
  process.exit(1);
}
