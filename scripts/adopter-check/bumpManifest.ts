/*
 * Stock-app workaround (a): `@backstage/create-app` scaffolds an older release line than the one npm serves, and
 * versions.backstage.io (where `backstage-cli versions:bump` reads release manifests) is unreachable here. This
 * writes a release manifest in that service's format from npm itself: every @backstage package the given apps
 * name (package.json files and yarn.lock) at its `latest` version, as `npm view <pkg>@latest version` reports it (read from the
 * registry's dist-tags document).
 *
 * usage: tsx bumpManifest.ts <releaseVersion> <out.json> <appDir>...
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [releaseVersion, out, ...appDirs] = process.argv.slice(2);
if (!releaseVersion || !out || appDirs.length === 0) {
  process.stderr.write(
    'usage: tsx bumpManifest.ts <releaseVersion> <out.json> <appDir>...\n',
  );
  process.exit(2);
}

const names = new Set<string>();
const DEP_FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
];
function collectPackageJson(file: string) {
  if (!existsSync(file)) return;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  for (const field of DEP_FIELDS)
    for (const name of Object.keys(pkg[field] ?? {}))
      if (name.startsWith('@backstage/')) names.add(name);
}
for (const app of appDirs) {
  collectPackageJson(join(app, 'package.json'));
  for (const group of ['packages', 'plugins']) {
    const dir = join(app, group);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir))
      collectPackageJson(join(dir, entry, 'package.json'));
  }
  const lock = join(app, 'yarn.lock');
  if (existsSync(lock)) {
    for (const match of readFileSync(lock, 'utf8').matchAll(
      /^"?(@backstage\/[^@"\s]+)@/gm,
    ))
      names.add(match[1]);
  }
}

// `npm view <pkg>@latest version` costs a Node start per package (over a minute for 70 on two cores); the
// registry's dist-tags document is the same answer in one small request.
const registry = (
  process.env.npm_config_registry || 'https://registry.npmjs.org/'
).replace(/\/?$/, '/');
async function latest(name: string): Promise<string | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(
        `${registry}-/package/${name.replace('/', '%2f')}/dist-tags`,
        {
          signal: AbortSignal.timeout(30_000),
        },
      );
      if (response.status === 404) return undefined; // not on npm (for example a moved package)
      if (!response.ok)
        throw new Error(`${response.status} ${response.statusText}`);
      return ((await response.json()) as { latest?: string }).latest;
    } catch (error) {
      if (attempt >= 3)
        throw new Error(
          `the latest version of ${name} from ${registry}: ${error}`,
        );
      await new Promise(resolve => setTimeout(resolve, 1000 * attempt));
    }
  }
}

async function main() {
  const sorted = [...names].sort();
  const packages: { name: string; version: string }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < sorted.length) {
        const name = sorted[next++];
        const version = await latest(name);
        if (version) packages.push({ name, version });
      }
    }),
  );
  packages.sort((a, b) => a.name.localeCompare(b.name));
  writeFileSync(
    out,
    `${JSON.stringify({ releaseVersion, packages }, null, 1)}\n`,
  );
  process.stdout.write(
    `${packages.length} @backstage packages at npm's latest for release ${releaseVersion}\n`,
  );
}
main().catch(error => {
  process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
