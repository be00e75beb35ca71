/*
 * Reads the adopter snippets out of the plugin READMEs. Each one is the fenced code block right after a
 * `<!-- berth-install: <id> -->` line, so that the adopter check runs exactly what an adopter would copy.
 *
 * usage: tsx readmeSnippets.ts <outDir> <README.md>...   writes <outDir>/<id>.<lang> for every snippet, and
 *        fails when one of the expected ids is missing, given twice, or not followed by a fenced block.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The snippets the adopter check applies. */
export const SNIPPET_IDS = [
  'app-add',
  'app-config-packages',
  'nfs-features',
  'legacy-import',
  'legacy-route',
  'legacy-card',
  'backend-add',
  'backend-index',
  'app-config',
  'entity-annotation',
  'scaffolder-add',
  'scaffolder-index',
] as const;
export type SnippetId = (typeof SNIPPET_IDS)[number];

export interface Snippet {
  id: string;
  /** The fence's info string (`sh`, `ts`, `tsx`, `yaml`), empty when none. */
  lang: string;
  /** The block's text, without the fences, ending with a newline. */
  body: string;
  /** Where it is, for messages: `plugins/images/README.md:18`. */
  source: string;
}

const MARKER = /^\s*<!--\s*berth-install:\s*([a-z0-9-]+)\s*-->\s*$/;
const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)[^`]*$/;

/** Every marked snippet of one README (Markdown text), in order. */
export function extractSnippets(markdown: string, file: string): Snippet[] {
  const lines = markdown.split(/\r?\n/);
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]);
    if (!marker) continue;
    const id = marker[1];
    const open = FENCE_OPEN.exec(lines[i + 1] ?? '');
    if (!open) {
      throw new Error(
        `${file}:${
          i + 1
        }: the marker berth-install: ${id} is not followed by a fenced code block on the next line`,
      );
    }
    const [, indent, fence, lang] = open;
    const body: string[] = [];
    let j = i + 2;
    for (; j < lines.length; j++) {
      const line = lines[j];
      if (
        line.trim().startsWith(fence[0].repeat(fence.length)) &&
        line.trim().replace(/[`~]/g, '') === ''
      )
        break;
      body.push(
        indent && line.startsWith(indent) ? line.slice(indent.length) : line,
      );
    }
    if (j >= lines.length)
      throw new Error(
        `${file}:${
          i + 2
        }: the code block of berth-install: ${id} is never closed`,
      );
    snippets.push({
      id,
      lang,
      body: `${body.join('\n')}\n`,
      source: `${file}:${i + 1}`,
    });
    i = j;
  }
  return snippets;
}

/** The expected snippets from the given READMEs, each exactly once; throws naming every problem. */
export function readSnippets(files: string[]): Map<SnippetId, Snippet> {
  const found = new Map<string, Snippet[]>();
  for (const file of files) {
    for (const snippet of extractSnippets(readFileSync(file, 'utf8'), file)) {
      found.set(snippet.id, [...(found.get(snippet.id) ?? []), snippet]);
    }
  }
  const problems: string[] = [];
  for (const id of SNIPPET_IDS) {
    const all = found.get(id) ?? [];
    if (all.length === 0)
      problems.push(
        `missing marker <!-- berth-install: ${id} --> (looked in ${files.join(
          ', ',
        )})`,
      );
    if (all.length > 1)
      problems.push(
        `berth-install: ${id} is marked ${all.length} times: ${all
          .map(s => s.source)
          .join(', ')}`,
      );
    if (all.length === 1 && all[0].body.trim() === '')
      problems.push(
        `${all[0].source}: berth-install: ${id} has an empty code block`,
      );
  }
  for (const id of found.keys()) {
    if (!(SNIPPET_IDS as readonly string[]).includes(id))
      problems.push(
        `unknown marker berth-install: ${id} (${found.get(id)![0].source})`,
      );
  }
  if (problems.length)
    throw new Error(`README snippets:\n  ${problems.join('\n  ')}`);
  return new Map(SNIPPET_IDS.map(id => [id, found.get(id)![0]]));
}

if (require.main === module) {
  const [outDir, ...files] = process.argv.slice(2);
  if (!outDir || files.length === 0) {
    process.stderr.write(
      'usage: tsx readmeSnippets.ts <outDir> <README.md>...\n',
    );
    process.exit(2);
  }
  try {
    const snippets = readSnippets(files);
    mkdirSync(outDir, { recursive: true });
    for (const snippet of snippets.values()) {
      writeFileSync(
        join(outDir, `${snippet.id}.${snippet.lang || 'txt'}`),
        snippet.body,
      );
      writeFileSync(
        join(outDir, `${snippet.id}.source`),
        `${snippet.source}\n`,
      );
    }
    process.stdout.write(
      `${snippets.size} README snippets: ${[...snippets.keys()].join(', ')}\n`,
    );
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  }
}
