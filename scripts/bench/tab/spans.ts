/*
 * Spans: the benchmark wraps methods of the store, the index, the catalog and the permissions (instances only; the
 * plugin is not changed) and records how long each call took, in which API call (overview or tags) and under which
 * parent span; and the interval arithmetic that turns spans into own time and breakdowns per call.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { log } from '../lib';

export interface Span {
  name: string;
  call: string;
  start: number;
  end: number;
  /** Rows, tags or digests returned, when the result is an array or a Map. */
  size?: number;
  children: Span[];
}

export class Recorder {
  readonly #context = new AsyncLocalStorage<{ call: string; span?: Span }>();
  spans: Span[] = [];

  reset(): void {
    this.spans = [];
  }

  /** Replaces `names` on `target` (an instance) by timed wrappers. */
  wrap(target: object, prefix: string, names: string[]): void {
    const object = target as Record<string, (...args: unknown[]) => unknown>;
    for (const name of names) {
      const original = object[name];
      if (typeof original !== 'function') {
        log(`(${prefix}.${name} is not a method any more: not timed)`);
        continue;
      }
      object[name] = (...args: unknown[]) =>
        this.span(`${prefix}.${name}`, () =>
          Promise.resolve(original.apply(target, args)),
        );
    }
  }

  /** Runs `fn` with whatever it starts counted as background work, not as part of the calling API call. */
  background(target: object, name: string): void {
    const object = target as Record<string, (...args: unknown[]) => unknown>;
    const original = object[name];
    object[name] = (...args: unknown[]) =>
      this.#context.run({ call: 'background' }, () =>
        original.apply(target, args),
      );
  }

  span<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const context = this.#context.getStore();
    const span: Span = {
      name,
      call: context?.call ?? name,
      start: performance.now(),
      end: NaN,
      children: [],
    };
    context?.span?.children.push(span);
    this.spans.push(span);
    return this.#context
      .run({ call: span.call, span }, fn)
      .then(value => {
        if (Array.isArray(value)) span.size = value.length;
        else if (value instanceof Map) span.size = value.size;
        return value;
      })
      .finally(() => {
        span.end = performance.now();
      });
  }

  /** A top-level API call. */
  call<T>(call: string, fn: () => Promise<T>): Promise<T> {
    return this.#context.run({ call }, () => this.span(call, fn));
  }
}

export type Interval = [number, number];

export function unionLength(intervals: Interval[]): number {
  const sorted = intervals
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let current: Interval | undefined;
  for (const [a, b] of sorted) {
    if (!current || a > current[1]) {
      if (current) total += current[1] - current[0];
      current = [a, b];
    } else current[1] = Math.max(current[1], b);
  }
  if (current) total += current[1] - current[0];
  return total;
}

/** `intervals` minus `holes`, as disjoint intervals. */
export function subtract(intervals: Interval[], holes: Interval[]): Interval[] {
  let result = intervals.map(([a, b]): Interval => [a, b]);
  for (const [ha, hb] of holes) {
    const next: Interval[] = [];
    for (const [a, b] of result) {
      if (hb <= a || ha >= b) next.push([a, b]);
      else {
        if (ha > a) next.push([a, ha]);
        if (hb < b) next.push([hb, b]);
      }
    }
    result = next;
  }
  return result;
}

export function overlap(intervals: Interval[], window: Interval): number {
  return intervals.reduce(
    (sum, [a, b]) =>
      sum + Math.max(0, Math.min(b, window[1]) - Math.max(a, window[0])),
    0,
  );
}

/** A span's own time: its interval minus its children's. */
export function selfIntervals(span: Span): Interval[] {
  return subtract(
    [[span.start, span.end]],
    span.children.map((c): Interval => [c.start, c.end]),
  );
}

export interface CallPart {
  /** Mean own time per call (the span minus its children). */
  ownMs: number;
  /** Mean wall time per call (children included; concurrent siblings may overlap). */
  totalMs: number;
  /** Spans per call. */
  count: number;
  /** Rows, tags or digests returned (the largest). */
  size?: number;
}

/** Per API call kind: mean wall time, and per span (nested as called) its own and total time per call. */
export function callBreakdown(
  spans: Span[],
  call: string,
): { calls: number; meanMs: number; parts: Record<string, CallPart> } {
  const tops = spans.filter(s => s.name === call && s.call === call);
  const parts = new Map<string, CallPart>();
  const walk = (span: Span, depth: number) => {
    const label = `${'  '.repeat(depth)}${
      depth === 0 ? `${call}: service code` : span.name
    }`;
    const part = parts.get(label) ?? { ownMs: 0, totalMs: 0, count: 0 };
    part.ownMs += unionLength(selfIntervals(span));
    part.totalMs += span.end - span.start;
    part.count++;
    if (span.size !== undefined)
      part.size = Math.max(part.size ?? 0, span.size);
    parts.set(label, part);
    for (const child of span.children) walk(child, depth + 1);
  };
  for (const top of tops) walk(top, 0);
  const n = tops.length || 1;
  const r = (ms: number) => Math.round((ms / n) * 1000) / 1000;
  return {
    calls: tops.length,
    meanMs: tops.reduce((s, t) => s + (t.end - t.start), 0) / n,
    parts: Object.fromEntries(
      [...parts].map(([k, v]) => [
        k,
        {
          ownMs: r(v.ownMs),
          totalMs: r(v.totalMs),
          count: Math.round((v.count / n) * 100) / 100,
          size: v.size,
        },
      ]),
    ),
  };
}
