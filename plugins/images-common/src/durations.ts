/**
 * A duration in its two largest units: `3 d 4 h`, `2 h 5 min`, `40 s`. The plan's gates and the lanes say soak times
 * this way.
 *
 * @public
 */
export function formatDuration(ms: number): string {
  const units: Array<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1000],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, ms);
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0 || (parts.length === 0 && unit === 's')) {
      parts.push(`${count} ${unit}`);
      rest -= count * size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}
