import { ConfigReader } from '@backstage/config';
import { openFreeze, readFreezeWindows } from './freezeWindows';

describe('freeze windows', () => {
  const read = (windows: object[]) =>
    readFreezeWindows(
      windows.map(w => new ConfigReader(w as any)),
      'production',
    )!;
  const utc = (iso: string) => new Date(`${iso}Z`);

  it('opens a recurring window at its cron time in its time zone, for its duration', () => {
    // Fridays 18:00 in Paris (17:00 UTC in winter) until Monday 08:00: 62 hours.
    const weekend = read([
      {
        cron: '0 18 * * 5',
        duration: '62h',
        timeZone: 'Europe/Paris',
        reason: 'No weekend releases',
      },
    ]);
    expect(openFreeze(weekend, utc('2026-12-04T16:59:00'))).toBeUndefined();
    expect(openFreeze(weekend, utc('2026-12-04T17:00:00'))).toEqual({
      window: weekend[0],
      until: utc('2026-12-07T07:00:00'),
    });
    expect(openFreeze(weekend, utc('2026-12-06T12:00:00'))?.until).toEqual(
      utc('2026-12-07T07:00:00'),
    );
    expect(openFreeze(weekend, utc('2026-12-07T07:00:00'))).toBeUndefined();
    expect(openFreeze(weekend, utc('2026-12-09T12:00:00'))).toBeUndefined();
  });

  it('opens a dated window from start to end, read in its time zone', () => {
    const yearEnd = read([
      {
        start: '2026-12-24T00:00',
        end: '2027-01-02T00:00',
        timeZone: 'America/New_York',
      },
    ]);
    expect(openFreeze(yearEnd, utc('2026-12-24T04:59:00'))).toBeUndefined();
    expect(openFreeze(yearEnd, utc('2026-12-24T05:00:00'))?.until).toEqual(
      utc('2027-01-02T05:00:00'),
    );
    expect(openFreeze(yearEnd, utc('2027-01-02T05:00:00'))).toBeUndefined();
  });

  it('says the latest end when windows overlap', () => {
    const windows = read([
      { start: '2026-12-24T00:00', end: '2026-12-26T00:00' },
      { cron: '0 0 * * *', duration: '1d' },
      { start: '2026-12-20T00:00', end: '2026-12-31T00:00' },
    ]);
    expect(openFreeze(windows, utc('2026-12-25T12:00:00'))?.until).toEqual(
      utc('2026-12-31T00:00:00'),
    );
  });

  it('refuses windows that cannot hold, naming the setting', () => {
    const where = 'images.environments: freeze window 1 of production';
    expect(() => read([{ cron: '0 18 * * 5' }])).toThrow(
      `${where} recurs (cron) but says not how long it lasts: add duration, such as 62h or { hours: 62 }`,
    );
    expect(() => read([{ cron: 'on fridays', duration: '1h' }])).toThrow(
      `${where} has a cron expression that cannot be read ("on fridays")`,
    );
    expect(() =>
      read([{ start: '2026-12-24', end: '2026-12-20', timeZone: 'UTC' }]),
    ).toThrow(`${where} ends before it starts`);
    expect(() =>
      read([{ start: 'Christmas', end: '2026-12-27T00:00' }]),
    ).toThrow(`${where} has a start or end that is no ISO date-time`);
    expect(() =>
      read([
        { start: '2026-12-24', end: '2026-12-27', timeZone: 'Mars/Olympus' },
      ]),
    ).toThrow(`${where} has an unknown time zone "Mars/Olympus"`);
    expect(() => read([{ reason: 'why not' }])).toThrow(
      `${where} needs either cron and duration (a recurring window) or start and end (a dated one)`,
    );
  });
});
