/** The query of GET /admin/api/orders (and orders.csv): each parameter checked, a bad one named in a 400. */
import { isChannel, type OrderStatus } from '../../shared/api.ts';
import { ApiError } from '../errors.ts';
import type { OrderSearch } from '../store/console.ts';
import { isTimeZone, parseIsoDate, startOfDay } from './days.ts';

const STATUSES: readonly string[] = ['creating', 'pending', 'paid', 'expired', 'failed', 'review', 'refunded'];
export const DEFAULT_ZONE = 'Asia/Shanghai';
const MAX_PAGE_SIZE = 200;

type Query = Record<string, string | string[] | undefined>;

function refuse(name: string, problem: string): never {
  throw new ApiError('INVALID_FILTER', `${name}: ${problem}`);
}

/** One value or none: a parameter given twice is refused, not guessed at. */
function one(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) refuse(name, 'is given more than once');
  return value === '' ? undefined : value;
}

function whole(query: Query, name: string, fallback: number, max: number): number {
  const text = one(query, name);
  if (text === undefined) return fallback;
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1 || Number(text) > max)
    refuse(name, `must be a whole number from 1 to ${max}`);
  return Number(text);
}

export function zoneOf(query: Query): string {
  const zone = one(query, 'tz') ?? DEFAULT_ZONE;
  if (!isTimeZone(zone)) refuse('tz', `"${zone.slice(0, 64)}" is not a time zone like Asia/Shanghai`);
  return zone;
}

function day(query: Query, name: string, zone: string, after: boolean): number | undefined {
  const text = one(query, name);
  if (text === undefined) return undefined;
  const date = parseIsoDate(text);
  if (!date) refuse(name, 'must be a date like 2026-12-01');
  return startOfDay(zone, after ? { ...date, day: date.day + 1 } : date);
}

export interface OrderQuery {
  search: Omit<OrderSearch, 'offset' | 'limit'>;
  page: number;
  pageSize: number;
}

export function parseOrderQuery(query: Query): OrderQuery {
  const zone = zoneOf(query);
  const status = one(query, 'status');
  if (status !== undefined && !STATUSES.includes(status)) refuse('status', `must be one of ${STATUSES.join(', ')}`);
  const typeText = one(query, 'type');
  const type = typeText === undefined ? undefined : Number(typeText);
  if (type !== undefined && (!/^\d$/.test(typeText!) || !isChannel(type))) refuse('type', 'must be 1, 2 or 3');
  const text = one(query, 'q');
  if (text !== undefined && text.length > 100) refuse('q', 'must be at most 100 characters');
  const since = day(query, 'from', zone, false);
  const until = day(query, 'to', zone, true);
  if (since !== undefined && until !== undefined && since >= until) refuse('from', 'is after to');
  return {
    search: { status: status as OrderStatus | undefined, type, since, until, text },
    page: whole(query, 'page', 1, 1_000_000),
    pageSize: whole(query, 'pageSize', 50, MAX_PAGE_SIZE),
  };
}
