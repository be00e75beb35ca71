/* Whole-process CPU profiles (V8's sampling profiler), summarised by function and by area of the code. */
import { Session } from 'node:inspector/promises';
import { relative } from 'node:path';
import { ROOT } from '../report';

/** Whole-process CPU profile of `fn` (V8 sampling profiler, 100 µs), summarised by function. */
export async function cpuProfile<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; profile: ProfileSummary }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    let value: T;
    try {
      value = await fn();
    } catch (error) {
      await session.post('Profiler.stop');
      throw error;
    }
    const { profile } = await session.post('Profiler.stop');
    return { value, profile: summarizeProfile(profile) };
  } finally {
    session.disconnect();
  }
}

interface ProfileEntry {
  function: string;
  where: string;
  selfMs: number;
  totalMs: number;
}

export interface ProfileSummary {
  sampledMs: number;
  idleMs: number;
  bySelf: ProfileEntry[];
  byTotal: ProfileEntry[];
  byArea: Record<string, number>;
}

interface ProfileNode {
  id: number;
  callFrame: {
    functionName: string;
    url: string;
    lineNumber: number;
  };
  children?: number[];
}

function areaOf(url: string, name: string): string {
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'garbage collector';
  if (name === '(program)') return 'V8/native (program)';
  if (url.includes('/plugins/images-backend/src/testUtils/'))
    return 'bench: registry proxy';
  if (url.includes('/plugins/images-backend/')) return 'Berth: images-backend';
  if (url.includes('/plugins/images-common/')) return 'Berth: images-common';
  if (url.includes('/scripts/bench/')) return 'bench harness';
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (module) return module;
  if (url.startsWith('node:') || url === '')
    return 'Node.js internals/builtins';
  return 'other';
}

/** Summarises a V8 CPU profile; paths are shown relative to `root` (the repository's by default). */
export function summarizeProfile(
  profile: {
    nodes: ProfileNode[];
    samples?: number[];
    timeDeltas?: number[];
  },
  root: string = ROOT,
): ProfileSummary {
  const byId = new Map(profile.nodes.map(node => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // The delta before sample i+1 is the time sample i stood for.
    const us = deltas[i + 1] ?? 0;
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + us);
  }
  const key = (node: ProfileNode) => {
    const url = node.callFrame.url.replace(/^file:\/\//, '');
    // Line numbers of TypeScript files are those of tsx's output, not of the source: left out.
    const where = url
      ? `${relative(root, url)}${
          /\.[cm]?js$/.test(url) ? `:${node.callFrame.lineNumber + 1}` : ''
        }`
      : '(native)';
    return {
      id: `${node.callFrame.functionName || '(anonymous)'} ${where}`,
      name: node.callFrame.functionName || '(anonymous)',
      where,
      url,
    };
  };
  const self = new Map<string, ProfileEntry>();
  const total = new Map<string, ProfileEntry>();
  const byArea: Record<string, number> = {};
  let sampledUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const k = key(node);
    sampledUs += us;
    if (k.name === '(idle)') idleUs += us;
    const area = areaOf(k.url, k.name);
    byArea[area] = (byArea[area] ?? 0) + us / 1000;
    const entry = self.get(k.id) ?? {
      function: k.name,
      where: k.where,
      selfMs: 0,
      totalMs: 0,
    };
    entry.selfMs += us / 1000;
    self.set(k.id, entry);
    // Inclusive time: each distinct function on the stack once.
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const kk = key(byId.get(n)!);
      if (seen.has(kk.id)) continue;
      seen.add(kk.id);
      const t = total.get(kk.id) ?? {
        function: kk.name,
        where: kk.where,
        selfMs: 0,
        totalMs: 0,
      };
      t.totalMs += us / 1000;
      total.set(kk.id, t);
    }
  }
  for (const [id, entry] of self) {
    const t = total.get(id);
    if (t) t.selfMs = entry.selfMs;
  }
  const round = (entry: ProfileEntry) => ({
    ...entry,
    selfMs: Math.round(entry.selfMs * 10) / 10,
    totalMs: Math.round(entry.totalMs * 10) / 10,
  });
  const busy = (e: ProfileEntry) =>
    !['(idle)', '(root)', '(program)'].includes(e.function);
  return {
    sampledMs: Math.round(sampledUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    bySelf: [...self.values()]
      .filter(busy)
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, 15)
      .map(round),
    byTotal: [...total.values()]
      .filter(
        e =>
          busy(e) &&
          (e.where.startsWith('plugins/') ||
            e.where.includes('node_modules/knex') ||
            e.where.includes('node_modules/better-sqlite3')),
      )
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, 20)
      .map(round),
    byArea: Object.fromEntries(
      Object.entries(byArea)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, Math.round(v)]),
    ),
  };
}
