import { ResponseError } from '@backstage/errors';

/** `sha256:0123…` → the first 12 hex digits, as `docker images` shows them. */
export function shortDigest(digest: string): string {
  const hex = digest.includes(':')
    ? digest.slice(digest.indexOf(':') + 1)
    : digest;
  return hex.slice(0, 12);
}

/** A commit id as forges show it: the first 7 characters of a hex sha, anything else as is. */
export function shortRevision(revision: string): string {
  return /^[0-9a-f]{40,64}$/i.test(revision) ? revision.slice(0, 7) : revision;
}

const SIZE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** Bytes in decimal units, as registries and `docker` show them: `45.2 MB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < SIZE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${SIZE_UNITS[unit]}`;
}

const RELATIVE_UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const relativeTimeFormat = new Intl.RelativeTimeFormat('en', {
  numeric: 'always',
});

/** `3 days ago`, `in 2 hours`, `just now`; undefined for a missing or invalid time. */
export function formatRelativeTime(
  iso: string | undefined,
  now: number = Date.now(),
): string | undefined {
  if (!iso) return undefined;
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return undefined;
  const seconds = Math.round((time - now) / 1000);
  for (const [unit, length] of RELATIVE_UNITS) {
    if (Math.abs(seconds) >= length) {
      return relativeTimeFormat.format(Math.trunc(seconds / length), unit);
    }
  }
  return 'just now';
}

/**
 * `2027-01-02 00:00 Europe/Paris`: a moment as a time zone says it, as the backend's plan messages write a freeze
 * window's end; the ISO string as is when it cannot be read.
 */
export function formatInTimeZone(iso: string, timeZone: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  try {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
        .formatToParts(time)
        .map(part => [part.type, part.value]),
    );
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${timeZone}`;
  } catch {
    // A time zone this browser does not know: the moment in UTC rather than nothing.
    return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  }
}

/** The message to show for a failed call: the backend's own message for a ResponseError. */
export function errorMessage(error: Error): string {
  if (error instanceof ResponseError || error.name === 'ResponseError') {
    const cause = (error as ResponseError).cause;
    if (cause?.message) return cause.message;
  }
  return error.message;
}
