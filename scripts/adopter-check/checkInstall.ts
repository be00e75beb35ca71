/*
 * Checks what installing Berth did to a stock app's dependency tree (run in the app after the README's `yarn add`s):
 *
 * - no second version of any @backstage/* package because of Berth: from yarn.lock, the versions reachable from the
 *   app's workspaces only through an @berth/* package (duplicates the stock app has by itself are printed as info);
 * - no unmet peer dependency because of Berth: `yarn explain peer-requirements`, failing on an unmet requirement that
 *   only @berth/* packages make, or whose @berth/* range the provided version does not satisfy; the YN0002/YN0060
 *   warnings of the install logs given must not name @berth either.
 *
 * usage: tsx checkInstall.ts <appDir> <install.log>...
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// semver ships no types (and Berth has no @types/semver): the one function used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const semver: {
  satisfies(version: string, range: string): boolean;
} = require('semver');

const [appDir, ...logs] = process.argv.slice(2);
if (!appDir) {
  process.stderr.write(
    'usage: tsx checkInstall.ts <appDir> <install.log>...\n',
  );
  process.exit(2);
}
const say = (message: string) =>
  process.stdout.write(`[adopter-check] ${message}\n`);
const note = (message: string) => {
  say(message);
  if (process.env.ADOPTER_CHECK_NOTES)
    appendFileSync(
      process.env.ADOPTER_CHECK_NOTES,
      `${process.env.ADOPTER_CHECK_NOTE_PREFIX ?? ''}${message}\n`,
    );
};
const problems: string[] = [];
const isBerth = (name: string) => name.startsWith('@berth/');

// --- duplicates -----------------------------------------------------------------------------------------------------
interface LockEntry {
  name: string;
  version: string;
  resolution: string;
  dependencies: Record<string, string>;
  workspace: boolean;
}
const nameOf = (locator: string) => locator.slice(0, locator.indexOf('@', 1));
const lock = parse(readFileSync(join(appDir, 'yarn.lock'), 'utf8')) as Record<
  string,
  Record<string, unknown>
>;
const byDescriptor = new Map<string, LockEntry>();
const entries: LockEntry[] = [];
for (const [key, value] of Object.entries(lock)) {
  if (key === '__metadata') continue;
  const resolution = String(value.resolution);
  const entry: LockEntry = {
    name: nameOf(resolution),
    version: String(value.version),
    resolution,
    dependencies: (value.dependencies as Record<string, string>) ?? {},
    workspace: /@workspace:/.test(resolution),
  };
  entries.push(entry);
  for (const descriptor of key.split(/,\s*/))
    byDescriptor.set(descriptor, entry);
}
const dependenciesOf = (entry: LockEntry): LockEntry[] =>
  Object.entries(entry.dependencies)
    .map(
      ([name, range]) =>
        byDescriptor.get(`${name}@${range}`) ??
        byDescriptor.get(`${name}@npm:${range}`),
    )
    .filter((e): e is LockEntry => Boolean(e));

/** Every entry reachable from the workspaces (not entering @berth/* ones when told), with one path to each. */
function reach(throughBerth: boolean): Map<LockEntry, LockEntry[]> {
  const paths = new Map<LockEntry, LockEntry[]>();
  const queue = entries.filter(e => e.workspace);
  for (const root of queue) paths.set(root, [root]);
  while (queue.length) {
    const entry = queue.shift()!;
    for (const dep of dependenciesOf(entry)) {
      if (paths.has(dep) || (!throughBerth && isBerth(dep.name))) continue;
      paths.set(dep, [...paths.get(entry)!, dep]);
      queue.push(dep);
    }
  }
  return paths;
}
const all = reach(true);
const withoutBerth = reach(false);
const versions = new Map<string, Set<LockEntry>>();
for (const entry of all.keys()) {
  if (entry.name.startsWith('@backstage/'))
    versions.set(
      entry.name,
      new Set([...(versions.get(entry.name) ?? []), entry]),
    );
}
const describePath = (path: LockEntry[]) =>
  path.map(e => (e.workspace ? e.name : `${e.name}@${e.version}`)).join(' → ');
let duplicates = 0;
for (const [name, found] of [...versions].sort(([a], [b]) =>
  a.localeCompare(b),
)) {
  const distinct = [...new Set([...found].map(e => e.version))];
  if (distinct.length < 2) continue;
  duplicates++;
  const byBerth = [...found].filter(e => !withoutBerth.has(e));
  for (const entry of byBerth) {
    problems.push(
      `${name}@${
        entry.version
      } is a second version of ${name} (the app has ${distinct
        .filter(v => v !== entry.version)
        .join(', ')}), installed only for Berth: ${describePath(
        all.get(entry)!,
      )}`,
    );
  }
  if (byBerth.length === 0) {
    note(
      `info: the stock app itself has ${name} in versions ${distinct.join(
        ', ',
      )} (not through @berth): ${[...found]
        .map(e => describePath(withoutBerth.get(e)!))
        .join('; ')}`,
    );
  }
}
const berthPackages = [...all.keys()].filter(e => isBerth(e.name));
say(
  `yarn.lock: ${berthPackages
    .map(e => `${e.name}@${e.version}`)
    .join(', ')}; ${duplicates} @backstage package(s) in more than one version`,
);
if (berthPackages.length === 0)
  problems.push(
    'yarn.lock has no @berth/* package: the README commands installed nothing',
  );

// --- peer requirements ----------------------------------------------------------------------------------------------
const yarn = (...args: string[]) =>
  execFileSync('yarn', args, {
    cwd: appDir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
const yarnAsync = async (...args: string[]) =>
  (
    await promisify(execFile)('yarn', args, {
      cwd: appDir,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    })
  ).stdout;
const unmet = yarn('explain', 'peer-requirements')
  .split('\n')
  .filter(line => line.includes('✘'));
// Each unmet requirement is one line: "<provider> doesn't provide <peer> to <requester> [and N other dependencies]", or
// "<provider> provides <peer>@<version> to ...". Berth caused it when an @berth package is the provider (it does not
// pass on a peer its own dependency needs), the only requester, or a requester whose range the provided version
// misses. Only the last two can hide behind "and N other dependencies"; those lines are looked at in detail
// (`yarn explain peer-requirements <hash>`, 3 s each), the others need no further yarn run.
const berthPeers = new Map<
  string,
  { name: string; range: string; optional: boolean }[]
>();
for (const e of berthPackages) {
  const pkg = JSON.parse(
    readFileSync(join(appDir, 'node_modules', e.name, 'package.json'), 'utf8'),
  );
  for (const [peer, range] of Object.entries<string>(
    pkg.peerDependencies ?? {},
  ))
    berthPeers.set(peer, [
      ...(berthPeers.get(peer) ?? []),
      {
        name: e.name,
        range,
        optional: Boolean(pkg.peerDependenciesMeta?.[peer]?.optional),
      },
    ]);
}
async function checkPeers() {
  let berthUnmet = 0;
  for (const line of unmet.map(l => l.trim())) {
    const m =
      /^(p[0-9a-f]{5,}) → ✘ (\S+)(?: \[[0-9a-f]+\])? (doesn't provide|provides) ((?:@[^/\s]+\/)?[^@\s]+)(?:@npm:([^\s[]+))?(?: \[[0-9a-f]+\])? to (\S+)(?: \[[0-9a-f]+\])?( and \d+ other dependenc)?/.exec(
        line,
      );
    if (!m) {
      if (line.includes('@berth/'))
        problems.push(`unmet peer dependency naming Berth: ${line}`);
      else
        note(
          `info: an unmet peer requirement the check could not read: ${line}`,
        );
      continue;
    }
    const [, hash, provider, , peer, provided, firstRequester, others] = m;
    const blame = (why: string) => {
      berthUnmet++;
      problems.push(`unmet peer dependency because of Berth (${why}): ${line}`);
    };
    if (isBerth(provider)) {
      blame(`${nameOf(provider)} does not pass ${peer} on`);
      continue;
    }
    const berthRequesters = berthPeers.get(peer) ?? [];
    const missed = provided
      ? berthRequesters.filter(r => !semver.satisfies(provided, r.range))
      : [];
    const berthFirst = isBerth(firstRequester);
    if (berthFirst && !others) {
      blame(`only ${nameOf(firstRequester)} asks for it`);
      continue;
    }
    if (!berthFirst && missed.length === 0) {
      // Only where Berth is installed (the app's workspaces) can Berth be among the hidden requesters; and only a
      // peer it needs and does not get is worth a word (a provided version its range accepts, or an optional peer
      // left out, is no concern of Berth's).
      const unmetForBerth = berthRequesters.filter(
        r => !provided && !r.optional,
      );
      if (unmetForBerth.length && provider.includes('@workspace:'))
        note(
          `info: an unmet peer requirement of the stock app that Berth shares (${unmetForBerth
            .map(r => `${r.name} ${r.range}`)
            .join(', ')}): ${line}`,
        );
      continue;
    }
    const detail = await yarnAsync('explain', 'peer-requirements', hash);
    const requesters = [
      ...detail.matchAll(
        /─ ((?:@[^/\s]+\/)?[^@\s]+)@\S+(?: \[[0-9a-f]+\])? \(via ([^)]+)\)/g,
      ),
    ].map(r => r[1]);
    if (requesters.length && requesters.every(isBerth))
      blame('only @berth packages ask for it');
    else if (missed.some(r => requesters.includes(r.name)))
      blame(
        `the app provides ${peer}@${provided}, which ${missed
          .map(r => `${r.name} (${r.range})`)
          .join(', ')} does not accept`,
      );
    else
      note(
        `info: an unmet peer requirement of the stock app that Berth shares: ${line}`,
      );
  }
  say(
    `peer requirements: ${unmet.length} unmet in the app, ${berthUnmet} of them because of Berth`,
  );
  for (const log of logs) {
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      if (/YN0002|YN0060/.test(line) && line.includes('@berth/'))
        problems.push(`${log}: ${line.trim()}`);
    }
  }

  if (problems.length) {
    process.stderr.write(
      `[adopter-check] installing Berth into the stock app:\n  ${problems.join(
        '\n  ',
      )}\n`,
    );
    process.exit(1);
  }
}

checkPeers().catch(error => {
  process.stderr.write(
    `[adopter-check] ${error instanceof Error ? error.message : error}\n`,
  );
  process.exit(1);
});
