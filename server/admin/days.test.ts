import { describe, expect, it } from 'vitest';
import { dayRange, isTimeZone, lastDays, localDateOf, monthRange, parseIsoDate } from './days.ts';

const iso = (time: number) => new Date(time).toISOString();

describe('days in the merchant’s time zone', () => {
  it('start at local midnight: Shanghai is UTC+8, so its day starts at 16:00 UTC the day before', () => {
    const late = Date.parse('2026-12-03T17:30:00Z');
    expect(localDateOf('Asia/Shanghai', late)).toEqual({ year: 2026, month: 12, day: 4 });
    const today = dayRange('Asia/Shanghai', localDateOf('Asia/Shanghai', late));
    expect([iso(today.start), iso(today.end)]).toEqual(['2026-12-03T16:00:00.000Z', '2026-12-04T16:00:00.000Z']);
    expect(iso(monthRange('Asia/Shanghai', { year: 2026, month: 12, day: 4 }).start)).toBe('2026-11-30T16:00:00.000Z');
    expect(iso(monthRange('Asia/Shanghai', { year: 2026, month: 12, day: 4 }).end)).toBe('2026-12-31T16:00:00.000Z');
  });

  it('last 23 hours on the day summer time begins', () => {
    const spring = dayRange('America/New_York', { year: 2026, month: 3, day: 8 });
    expect([iso(spring.start), (spring.end - spring.start) / 3600_000]).toEqual(['2026-03-08T05:00:00.000Z', 23]);
  });

  it('list thirty days oldest first, across a month end', () => {
    const days = lastDays('UTC', { year: 2026, month: 3, day: 2 }, 30);
    expect(days).toHaveLength(30);
    expect([days[0].date, days.at(-2)!.date, days.at(-1)!.date]).toEqual(['2026-02-01', '2026-03-01', '2026-03-02']);
    for (let index = 1; index < days.length; index++) expect(days[index].start).toBe(days[index - 1].end);
  });

  it('read only real dates and known zones', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    for (const text of ['2026-02-29', '2026-13-01', '2026-1-01', 'yesterday'])
      expect(parseIsoDate(text)).toBeUndefined();
    expect(isTimeZone('Asia/Taipei')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
