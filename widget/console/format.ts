/** Times and amounts in the merchant's language. */
import { formatMoney } from '../i18n.ts';
import type { Locale } from './i18n.ts';

export { formatMoney };

/** An epoch-millisecond time as a date and time; `—` for none. */
export const formatTime = (locale: Locale, at: number | null): string =>
  at === null
    ? '—'
    : new Date(at).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium', hourCycle: 'h23' });

/** "2026-11-04" as a short date ("Nov 4", "11月4日"). */
export const formatDay = (locale: Locale, date: string): string =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
