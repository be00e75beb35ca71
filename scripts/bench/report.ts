/* What every part of the benchmark reports the same way: its table, its title's machine notes, its result file. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { MB, log } from './lib';
import { formatBreakdown } from './requests';

/** The repository's root, where bench-results/ is written. */
export const ROOT = resolve(__dirname, '../..');

/**
 * A table as the benchmark prints it: the title, a header, a rule, one line per row; columns ` | `-separated and
 * padded to the widest cell (right-aligned where `rightAligned` says so), the last column not padded.
 */
export function renderTable(
  title: string,
  header: string[],
  rows: string[][],
  rightAligned: (column: number) => boolean = () => false,
): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(row => row[i].length)),
  );
  const last = header.length - 1;
  const line = (values: string[]) =>
    values
      .map((value, i) => {
        if (i === last) return value;
        return rightAligned(i)
          ? value.padStart(widths[i])
          : value.padEnd(widths[i]);
      })
      .join(' | ')
      .trimEnd();
  return [
    title,
    line(header),
    widths.map(w => '-'.repeat(w)).join('-|-'),
    ...rows.map(line),
  ].join('\n');
}

/** The end of every table title: `Node 22.x; 2 CPUs`. */
export function machineNote(): string {
  return `Node ${process.versions.node}; ${cpus().length} CPUs`;
}

/** A title of the parts that compare Berth with skopeo. */
export function comparisonTitle(
  name: string,
  context: { rtt: number; distribution: string; skopeoVersion?: string },
): string {
  return `${name} (RTT ${
    context.rtt
  } ms via loopback proxy; CNCF Distribution ${context.distribution}; ${
    context.skopeoVersion ? `skopeo ${context.skopeoVersion}` : 'no skopeo'
  }; ${machineNote()})`;
}

/**
 * The result files' `environment`: Node, Distribution, the machine; `skopeo` (its version, or null when it was
 * missing) for the parts that run it.
 */
export function environmentInfo(
  distribution: string,
  skopeo?: { version: string } | null,
) {
  return {
    node: process.versions.node,
    distribution,
    ...(skopeo !== undefined && { skopeo: skopeo?.version ?? null }),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryMB: Math.round(totalmem() / MB),
  };
}

/** Writes `bench-results/<name>.json`. */
export function writeResults(name: string, json: object): void {
  const file = join(ROOT, 'bench-results', `${name}.json`);
  mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  log(`results written to ${relative(process.cwd(), file) || file}`);
}

/** What each part hands back: its table (printed again in the summary), the lines below it, its result file. */
export interface PartResult {
  table: string;
  details: string;
  json: object;
}

/** The "Requests by kind (one run)" lines of the parts that compare Berth with skopeo; `more` adds to each side. */
export function requestsByKind<S extends { breakdown: Record<string, number> }>(
  rows: Array<{ operation: string; berth?: S; skopeo?: S }>,
  more: (side: S) => string = () => '',
): string[] {
  return rows.flatMap(row =>
    [
      `  ${row.operation}`,
      row.berth &&
        `    Berth:  ${formatBreakdown(row.berth.breakdown)}${more(row.berth)}`,
      row.skopeo &&
        `    skopeo: ${formatBreakdown(row.skopeo.breakdown)}${more(
          row.skopeo,
        )}`,
    ].filter((line): line is string => typeof line === 'string'),
  );
}
