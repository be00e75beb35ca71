const UNITS: Record<string, number> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  tb: 1000 ** 4,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/**
 * Parses a size as written in configuration (`100MB`, `2 GB`, `512MiB`, or a number of bytes).
 * Decimal units are powers of 1000, binary units (`MiB`) powers of 1024, as container tools show them.
 *
 * @public
 */
export function parseByteSize(value: string | number): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return Math.floor(value);
    throw new Error(
      `Invalid size ${value}: expected a non-negative number of bytes`,
    );
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  const unit = match?.[2].toLowerCase() || 'b';
  if (!match || !(unit in UNITS)) {
    throw new Error(
      `Invalid size "${value}": expected a number with an optional unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)`,
    );
  }
  return Math.round(Number(match[1]) * UNITS[unit]);
}

/**
 * Formats a byte count the way registries and `docker images` show it (`1.5 GB`, `312 MB`, `48 kB`).
 *
 * @public
 */
export function formatByteSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value >= 100 ? Math.round(value) : Number(value.toFixed(1))} ${
    units[unit]
  }`;
}
