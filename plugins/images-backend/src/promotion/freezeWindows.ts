import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { FreezeWindow } from '@berth/plugin-images-common';
import { CronTime } from 'cron';
import { DateTime } from 'luxon';

/** An open freeze window: which, and until when. */
export interface OpenFreeze {
  window: FreezeWindow;
  until: Date;
}

/** `images.environments[].policies.freeze`, checked: a message naming the setting for anything malformed. */
export function readFreezeWindows(
  configs: Config[] | undefined,
  environment: string,
): FreezeWindow[] | undefined {
  if (!configs || configs.length === 0) return undefined;
  return configs.map((config, index) => {
    const where = `images.environments: freeze window ${
      index + 1
    } of ${environment}`;
    const timeZone = config.getOptionalString('timeZone') ?? 'UTC';
    if (!DateTime.now().setZone(timeZone).isValid) {
      throw new InputError(
        `${where} has an unknown time zone "${timeZone}": use an IANA name such as Europe/Paris`,
      );
    }
    const reason = config.getOptionalString('reason');
    const cron = config.getOptionalString('cron');
    const start = config.getOptionalString('start');
    const end = config.getOptionalString('end');
    if (cron !== undefined) {
      if (start !== undefined || end !== undefined) {
        throw new InputError(
          `${where} has both cron and start/end: a window recurs (cron and duration) or has dates (start and end)`,
        );
      }
      try {
        // eslint-disable-next-line no-new
        new CronTime(cron, timeZone);
      } catch (error) {
        throw new InputError(
          `${where} has a cron expression that cannot be read ("${cron}"): ${
            (error as Error).message
          }`,
        );
      }
      if (!config.has('duration')) {
        throw new InputError(
          `${where} recurs (cron) but says not how long it lasts: add duration, such as 62h or { hours: 62 }`,
        );
      }
      let durationMs: number;
      try {
        durationMs = durationToMilliseconds(
          readDurationFromConfig(config, { key: 'duration' }),
        );
      } catch (error) {
        throw new InputError(
          `${where} has a duration that is not one, such as 62h, PT62H or { hours: 62 }: ${
            (error as Error).message
          }`,
        );
      }
      if (!(durationMs > 0)) {
        throw new InputError(`${where} must last longer than nothing`);
      }
      return {
        cron,
        durationSeconds: durationMs / 1000,
        timeZone,
        ...(reason && { reason }),
      };
    }
    if (start === undefined || end === undefined) {
      throw new InputError(
        `${where} needs either cron and duration (a recurring window) or start and end (a dated one)`,
      );
    }
    const from = instant(start, timeZone);
    const to = instant(end, timeZone);
    if (!from || !to) {
      throw new InputError(
        `${where} has a start or end that is no ISO date-time ("${start}", "${end}"), such as 2026-12-24T00:00`,
      );
    }
    if (to <= from) {
      throw new InputError(`${where} ends before it starts`);
    }
    return { start, end, timeZone, ...(reason && { reason }) };
  });
}

function instant(value: string, timeZone: string): Date | undefined {
  const parsed = DateTime.fromISO(value, { zone: timeZone });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}

/** The window open at `now` that closes last, if any. */
export function openFreeze(
  windows: FreezeWindow[],
  now: Date,
): OpenFreeze | undefined {
  let open: OpenFreeze | undefined;
  for (const window of windows) {
    const until = closesAt(window, now);
    if (until && (!open || until > open.until)) open = { window, until };
  }
  return open;
}

/** When the window closes, if it is open at `now`. */
function closesAt(window: FreezeWindow, now: Date): Date | undefined {
  if (window.cron && window.durationSeconds) {
    const lasts = window.durationSeconds * 1000;
    // The latest start within one duration before now, if any: the first start after (now - duration) not after now.
    const began = new CronTime(window.cron, window.timeZone)
      .getNextDateFrom(new Date(now.getTime() - lasts - 1000), window.timeZone)
      .toJSDate();
    if (began.getTime() > now.getTime()) return undefined;
    // A later start may still fall before now (windows longer than the gap between starts): keep the latest.
    let latest = began;
    for (let i = 0; i < 1000; i++) {
      const next = new CronTime(window.cron, window.timeZone)
        .getNextDateFrom(latest, window.timeZone)
        .toJSDate();
      if (next.getTime() > now.getTime()) break;
      latest = next;
    }
    const until = new Date(latest.getTime() + lasts);
    return until > now ? until : undefined;
  }
  if (window.start && window.end) {
    const from = instant(window.start, window.timeZone)!;
    const to = instant(window.end, window.timeZone)!;
    return from <= now && now < to ? to : undefined;
  }
  return undefined;
}

/** `2026-12-27 00:00 Europe/Paris`: a moment as the window's time zone says it. */
export function inZone(date: Date, timeZone: string): string {
  return `${DateTime.fromJSDate(date)
    .setZone(timeZone)
    .toFormat('yyyy-MM-dd HH:mm')} ${timeZone}`;
}
