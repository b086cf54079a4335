/**
 * Calendar days in the merchant's time zone (IANA, e.g. Asia/Shanghai) as epoch-ms ranges, with
 * Intl only: the database then compares plain numbers, the same in SQLite and PostgreSQL.
 */

export interface LocalDate {
  year: number;
  /** 1 to 12. */
  month: number;
  day: number;
}

export interface TimeRange {
  start: number;
  end: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The formatter of `zone`; undefined when Intl knows no such zone. */
function formatOf(zone: string): Intl.DateTimeFormat | undefined {
  let format = formats.get(zone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      return undefined;
    }
    if (formats.size > 100) formats.clear();
    formats.set(zone, format);
  }
  return format;
}

export function isTimeZone(zone: string): boolean {
  return zone.length <= 64 && formatOf(zone) !== undefined;
}

function wallClock(zone: string, instant: number) {
  const parts = Object.fromEntries(
    formatOf(zone)!
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  const [year, month, day] = [Number(parts.year), Number(parts.month), Number(parts.day)];
  return {
    year,
    month,
    day,
    asUtc: Date.UTC(year, month - 1, day, Number(parts.hour), Number(parts.minute), Number(parts.second)),
  };
}

export function localDateOf(zone: string, instant: number): LocalDate {
  const { year, month, day } = wallClock(zone, instant);
  return { year, month, day };
}

/** When the day `date` begins in `zone` (months and days past their end roll over, as Date.UTC does). */
export function startOfDay(zone: string, date: LocalDate): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day);
  // The zone's offset at a guess, then again at the corrected guess (a day that starts in a DST change).
  let instant = wall;
  for (let pass = 0; pass < 2; pass++) {
    const offset = wallClock(zone, instant).asUtc - (instant - (instant % 1000));
    instant = wall - offset;
  }
  return instant;
}

export function dayRange(zone: string, date: LocalDate): TimeRange {
  return { start: startOfDay(zone, date), end: startOfDay(zone, { ...date, day: date.day + 1 }) };
}

export function monthRange(zone: string, date: LocalDate): TimeRange {
  return {
    start: startOfDay(zone, { ...date, day: 1 }),
    end: startOfDay(zone, { ...date, month: date.month + 1, day: 1 }),
  };
}

/** `count` days ending with `date`, oldest first, each with its YYYY-MM-DD. */
export function lastDays(zone: string, date: LocalDate, count: number): (TimeRange & { date: string })[] {
  return Array.from({ length: count }, (_, index) => {
    const day = new Date(Date.UTC(date.year, date.month - 1, date.day - (count - 1 - index)));
    const local = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
    return { date: isoDate(local), ...dayRange(zone, local) };
  });
}

export function isoDate(date: LocalDate): string {
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** A YYYY-MM-DD that names a real day; undefined otherwise. */
export function parseIsoDate(text: string): LocalDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
    return undefined;
  return { year, month, day };
}
