/*
 * Applies the READMEs' code and configuration snippets to a stock Backstage app, the way an adopter pastes them,
 * by simple text anchoring in the files create-app generates (failing loudly when an anchor is not there). The
 * README's shell snippets (`yarn --cwd packages/... add ...`) are run verbatim by adopter-check.sh, not here.
 *
 * usage: tsx installBerth.ts <appDir> <default-app|legacy-app> <registryUrl> <backendPort> <expected.json> <README>...
 *
 * Writes <expected.json>: the entity to open and, per image and environment lane, the repository and tag whose
 * digest the Images tab must show (the registry is seeded from it, and the Playwright spec reads it).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap, parse, parseDocument, YAMLMap } from 'yaml';
import {
  EnvironmentDefinition,
  environmentImage,
  readEntityImagesSpec,
  resolveEnvironments,
} from '../../plugins/images-common/src';
import { readSnippets, Snippet, SnippetId } from './readmeSnippets';

const [appDir, template, registryUrl, backendPort, expectedFile, ...readmes] =
  process.argv.slice(2);
if (
  !appDir ||
  !['default-app', 'legacy-app'].includes(template) ||
  !registryUrl ||
  !backendPort ||
  !expectedFile
) {
  process.stderr.write(
    'usage: tsx installBerth.ts <appDir> <default-app|legacy-app> <registryUrl> <backendPort> <expected.json> <README>...\n',
  );
  process.exit(2);
}

process.on('uncaughtException', error => {
  process.stderr.write(
    `[adopter-check] ${error instanceof Error ? error.message : error}\n`,
  );
  process.exit(1);
});

const say = (message: string) =>
  process.stdout.write(`[adopter-check] ${message}\n`);
class AnchorError extends Error {}
const fail = (message: string): never => {
  throw new AnchorError(message);
};

const snippets = readSnippets(readmes);
const snippet = (id: SnippetId): Snippet => snippets.get(id)!;
const appPath = (...parts: string[]) => join(appDir, ...parts);
const read = (file: string) => readFileSync(appPath(file), 'utf8');
const write = (file: string, text: string) =>
  writeFileSync(appPath(file), text);

/** A snippet's lines, without the file-name comment some start with (`// packages/backend/src/index.ts`). */
function codeLines(s: Snippet): string[] {
  const lines = s.body.replace(/\n+$/, '').split('\n');
  while (
    lines.length &&
    /^\s*\/\/\s*(packages|plugins)\/\S+\s*$/.test(lines[0])
  )
    lines.shift();
  return lines;
}

/** JSX to paste inside JSX: import lines (which belong in legacy-import) are left out, and said so. */
function jsxLines(s: Snippet): string[] {
  const lines = codeLines(s);
  const imports = lines.filter(line => /^\s*import\s/.test(line));
  if (imports.length)
    say(
      `${
        s.source
      }: leaving out its import lines (legacy-import has the imports): ${imports.join(
        ' ',
      )}`,
    );
  return lines.filter(line => !/^\s*import\s/.test(line));
}

const indent = (lines: string[], prefix: string) =>
  lines.map(line => (line.trim() ? prefix + line : line));

function insertBeforeLine(
  file: string,
  anchor: RegExp,
  lines: string[],
  what: string,
) {
  const text = read(file);
  const match = anchor.exec(text);
  if (!match) fail(`${file}: no ${anchor} to insert ${what} before`);
  const at = text.lastIndexOf('\n', match!.index) + 1;
  write(file, `${text.slice(0, at)}${lines.join('\n')}\n${text.slice(at)}`);
  say(`${file}: added ${what}`);
}

// --- backend: backend-index and scaffolder-index before backend.start() --------------------------------------------
for (const id of ['backend-index', 'scaffolder-index'] as const) {
  insertBeforeLine(
    'packages/backend/src/index.ts',
    /^backend\.start\(\);?\s*$/m,
    codeLines(snippet(id)),
    `${id} (${snippet(id).source})`,
  );
}

// --- frontend -------------------------------------------------------------------------------------------------------
/** True when every key/value of `part` is in `whole` (maps compared key by key, anything else by equality). */
function contains(whole: unknown, part: unknown): boolean {
  if (part && typeof part === 'object' && !Array.isArray(part)) {
    if (!whole || typeof whole !== 'object') return false;
    return Object.entries(part).every(([k, v]) =>
      contains((whole as Record<string, unknown>)[k], v),
    );
  }
  return JSON.stringify(whole) === JSON.stringify(part);
}

/** Adds the imports of a snippet after the last import of a file. */
function addImports(file: string, importText: string, what: string) {
  const text = read(file);
  const imports = [
    ...text.matchAll(
      /^import\s[\s\S]*?\sfrom\s+['"][^'"]+['"];?[ \t]*$|^import\s+['"][^'"]+['"];?[ \t]*$/gm,
    ),
  ];
  if (imports.length === 0)
    fail(`${file}: no import statement to add ${what} after`);
  const last = imports[imports.length - 1];
  const at = last.index! + last[0].length;
  write(
    file,
    `${text.slice(0, at)}\n${importText.replace(/\n+$/, '')}${text.slice(at)}`,
  );
  say(`${file}: added ${what}`);
}

if (template === 'default-app') {
  const discovery = parse(snippet('app-config-packages').body);
  const stock = parse(read('app-config.yaml'));
  if (contains(stock, discovery)) {
    say(
      `app-config.yaml already has ${JSON.stringify(discovery)} (${
        snippet('app-config-packages').source
      }): the plugin is discovered`,
    );
  } else {
    // No feature discovery in this app: the README's other way, the plugin in createApp's features.
    say(
      `app-config.yaml lacks ${JSON.stringify(
        discovery,
      )}: applying nfs-features instead`,
    );
    const s = snippet('nfs-features');
    const lines = codeLines(s);
    addImports(
      'packages/app/src/App.tsx',
      lines.filter(l => /^\s*import\s/.test(l)).join('\n'),
      `the imports of nfs-features (${s.source})`,
    );
    const features = /features:\s*\[([\s\S]*?)\]/.exec(lines.join('\n'));
    if (!features)
      fail(
        `${s.source}: nfs-features has no features: [...] to take the plugin from`,
      );
    const entries = features![1]
      .split('\n')
      .map(l => l.trim())
      .filter(l => l && !l.startsWith('//'));
    const app = read('packages/app/src/App.tsx');
    const open = /features:\s*\[/.exec(app);
    if (!open)
      fail(
        'packages/app/src/App.tsx: no `features: [` in createApp to add the plugin to',
      );
    const at = open!.index + open![0].length;
    write(
      'packages/app/src/App.tsx',
      `${app.slice(0, at)}${entries.join(' ')} ${app.slice(at)}`,
    );
    say(
      `packages/app/src/App.tsx: added ${entries.join(
        ' ',
      )} to the features of createApp`,
    );
  }
} else {
  const file = 'packages/app/src/components/catalog/EntityPage.tsx';
  addImports(
    file,
    codeLines(snippet('legacy-import')).join('\n'),
    `legacy-import (${snippet('legacy-import').source})`,
  );

  // legacy-route: in serviceEntityPage, right after the Overview route.
  let text = read(file);
  const page = text.indexOf('const serviceEntityPage = (');
  if (page < 0)
    fail(
      `${file}: no \`const serviceEntityPage = (\` to add the Images tab to`,
    );
  const overview =
    /^([ \t]*)<EntityLayout\.Route path="\/" title="Overview">[\s\S]*?^[ \t]*<\/EntityLayout\.Route>[ \t]*\n/m;
  const route = overview.exec(text.slice(page));
  if (!route)
    fail(
      `${file}: no Overview <EntityLayout.Route path="/"> ... </EntityLayout.Route> in serviceEntityPage`,
    );
  let at = page + route!.index + route![0].length;
  text = `${text.slice(0, at)}\n${indent(
    jsxLines(snippet('legacy-route')),
    route![1],
  ).join('\n')}\n${text.slice(at)}`;
  write(file, text);
  say(
    `${file}: added legacy-route (${
      snippet('legacy-route').source
    }) to serviceEntityPage after the Overview route`,
  );

  // legacy-card: the last child of the <Grid container> of overviewContent.
  text = read(file);
  const content = text.indexOf('const overviewContent = (');
  if (content < 0)
    fail(`${file}: no \`const overviewContent = (\` to add the Images card to`);
  const close = /\n([ \t]*)<\/Grid>\n\);/.exec(text.slice(content));
  if (
    !close ||
    !/^\s*<Grid container/m.test(text.slice(content, content + close.index))
  )
    fail(
      `${file}: overviewContent is not a <Grid container> ... </Grid> to add the Images card to`,
    );
  at = content + close!.index;
  text = `${text.slice(0, at)}\n${indent(
    jsxLines(snippet('legacy-card')),
    `${close![1]}  `,
  ).join('\n')}${text.slice(at)}`;
  write(file, text);
  say(
    `${file}: added legacy-card (${
      snippet('legacy-card').source
    }) to the overview grid`,
  );
}

// --- configuration --------------------------------------------------------------------------------------------------
/** Deep merge of plain maps (YAML documents), `extra` winning; sequences are replaced, as Backstage's config does. */
function mergeInto(target: YAMLMap, extra: YAMLMap, doc: Document) {
  for (const pair of extra.items) {
    const key = (pair.key as { value?: unknown })?.value ?? pair.key;
    const current = target.get(key, true);
    if (isMap(current) && isMap(pair.value))
      mergeInto(current, pair.value, doc);
    else target.set(doc.createNode(key), pair.value);
  }
}

const configSnippet = parseDocument(snippet('app-config').body);
if (!isMap(configSnippet.contents))
  fail(
    `${snippet('app-config').source}: the app-config snippet is not a YAML map`,
  );
const stockConfig = parseDocument(read('app-config.yaml'));
const snippetKeys = (configSnippet.contents as YAMLMap).items.map(pair =>
  String((pair.key as { value?: unknown }).value),
);
if (snippetKeys.every(key => !(stockConfig.contents as YAMLMap).has(key))) {
  // What an adopter does: paste the block at the end of app-config.yaml.
  write(
    'app-config.yaml',
    `${read('app-config.yaml').replace(/\n*$/, '\n\n')}${
      snippet('app-config').body
    }`,
  );
  say(`app-config.yaml: appended app-config (${snippet('app-config').source})`);
} else {
  mergeInto(
    stockConfig.contents as YAMLMap,
    configSnippet.contents as YAMLMap,
    stockConfig,
  );
  write(
    'app-config.yaml',
    stockConfig.toString({ lineWidth: 0, flowCollectionPadding: false }),
  );
  say(
    `app-config.yaml: merged app-config (${
      snippet('app-config').source
    }) into its ${snippetKeys.join(', ')}`,
  );
}
const appConfig = parseDocument(read('app-config.yaml'));

// The entity, in a catalog file that app-config.yaml lists: the stock app's examples/entities.yaml.
const entityText = snippet('entity-annotation').body;
const entity = parse(entityText);
const listed = appConfig
  .toJS()
  .catalog?.locations?.some(
    (l: { target?: string }) => l.target === '../../examples/entities.yaml',
  );
if (!listed)
  fail(
    'app-config.yaml: catalog.locations does not list ../../examples/entities.yaml to add the Berth entity to',
  );
write(
  'examples/entities.yaml',
  `${read('examples/entities.yaml').replace(/\n*$/, '\n')}---\n${entityText}`,
);
say(
  `examples/entities.yaml: added the entity of entity-annotation (${
    snippet('entity-annotation').source
  })`,
);

// What the lanes must show: the environments the backend will use for this entity, per image.
const config = appConfig.toJS();
const spec = readEntityImagesSpec(entity);
if (!spec)
  fail(
    `${
      snippet('entity-annotation').source
    }: the entity has no berth.dev/images annotation`,
  );
// Without images.environments the backend uses these three (plugins/images-backend/README.md says so).
const DEFAULT_ENVIRONMENTS: EnvironmentDefinition[] = [
  { name: 'development', tag: 'latest-dev' },
  { name: 'staging', tag: 'staging' },
  { name: 'production', tag: 'latest' },
];
const environments = resolveEnvironments(
  config.images?.environments ?? DEFAULT_ENVIRONMENTS,
  spec!.environmentOverrides,
);
const images = spec!.images.map(image => ({
  image: `${image.registry}/${image.repository}`,
  lanes: environments.map(env => {
    const where = environmentImage(image, env);
    return {
      environment: env.name,
      host: where.registry,
      repository: where.repository,
      tag: env.tag,
    };
  }),
}));

// The local override: this run's ports, and every registry host the lanes read sent to the loopback registry, as a
// container runtime's mirror setting would (the same way Berth's own app-config.yaml points its demo hosts at it).
const hosts = [...new Set(images.flatMap(i => i.lanes.map(l => l.host)))];
const configured: Array<Record<string, unknown>> =
  config.images?.registries ?? [];
for (const host of hosts) {
  if (!configured.some(r => r.host === host))
    fail(
      `${
        snippet('entity-annotation').source
      } names an image on ${host}, which the app-config snippet (${
        snippet('app-config').source
      }) does not configure`,
    );
}
const url = `http://localhost:${backendPort}`;
const local = parseDocument(
  existsSync(appPath('app-config.local.yaml'))
    ? read('app-config.local.yaml')
    : '',
);
const override = new Document({
  app: { baseUrl: url },
  backend: {
    baseUrl: url,
    listen: { port: Number(backendPort) },
    cors: { origin: url },
  },
  images: {
    // Sequences replace each other in Backstage's config: every configured registry again, the local one anonymous.
    registries: configured.map(({ credentials: _credentials, ...registry }) =>
      hosts.includes(registry.host as string)
        ? { ...registry, endpoint: registryUrl, insecure: true }
        : registry,
    ),
  },
});
if (isMap(local.contents))
  mergeInto(local.contents, override.contents as YAMLMap, local);
else local.contents = override.contents as typeof local.contents;
write('app-config.local.yaml', local.toString());
say(
  `app-config.local.yaml: port ${backendPort}, ${hosts.join(
    ', ',
  )} served by the local registry ${registryUrl}`,
);

const namespace = entity.metadata.namespace ?? 'default';
writeFileSync(
  expectedFile,
  `${JSON.stringify(
    {
      entityRef: `${entity.kind.toLowerCase()}:${namespace}/${
        entity.metadata.name
      }`,
      entityPath: `/catalog/${namespace}/${entity.kind.toLowerCase()}/${
        entity.metadata.name
      }`,
      images,
    },
    null,
    2,
  )}\n`,
);
