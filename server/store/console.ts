/**
 * What the merchant's console asks the database: searches, sums and its own records (status
 * history, recorded actions). Written once for SQLite and PostgreSQL: the SQL below is the subset
 * both speak, with `?` placeholders (PostgreSQL's runner numbers them) and one dialect function.
 */
import type { Channel, OrderStatus } from '../../shared/api.ts';
import type { ConsoleAction } from '../../shared/console-api.ts';
import type { Cents } from '../../shared/money.ts';
import type { OrderRecord, PaymentRecord } from '../model/index.ts';
import { toOrder, toPayment, type OrderRow, type PaymentRow } from './rows.ts';

export interface OrderSearch {
  status?: OrderStatus;
  type?: Channel;
  /** created_at from (inclusive) and until (exclusive), epoch ms. */
  since?: number;
  until?: number;
  /** A substring of the id, the reference or the param. */
  text?: string;
  offset: number;
  limit: number;
}

export interface StatusChange {
  at: number;
  from: OrderStatus | null;
  to: OrderStatus;
}

export interface OutboxBacklog {
  /** Events not delivered yet and still being tried. */
  backlog: number;
  givenUp: number;
  /** When the longest-waiting event is due next; null: nothing waits. */
  oldestDueAt: number | null;
}

export interface ConsoleStore {
  searchOrders(search: OrderSearch): Promise<{ orders: OrderRecord[]; total: number }>;
  /** What paid orders took in each [start, end) of paid_at, and how many they were. */
  takings(ranges: readonly { start: number; end: number }[]): Promise<{ cents: Cents; count: number }[]>;
  /** Payments that need a look: orphan, extra, and those of orders still in review; newest first. */
  needingLook(limit: number): Promise<{ count: number; payments: PaymentRecord[] }>;
  /** An order's status changes, oldest first (written by a trigger on every change). */
  statusChanges(orderId: string): Promise<StatusChange[]>;
  recordAction(action: ConsoleAction): Promise<void>;
  listActions(filter: { orderId?: string; limit: number }): Promise<ConsoleAction[]>;
  outboxBacklog(): Promise<OutboxBacklog>;
  /** An outbox event's type and order, by its id (any destination). */
  findEvent(id: string): Promise<{ type: string; orderId: string | null } | undefined>;
  /** When the newest payment was received, however it came; null: none yet. */
  lastPaymentAt(): Promise<number | null>;
}

export type Row = Record<string, unknown>;
/** Runs one statement with `?` placeholders and answers its rows (none for a write). */
export type RunSql = (sql: string, values: unknown[]) => Promise<Row[]>;

export interface Dialect {
  /** `needle` (a placeholder) occurs in `haystack`: instr in SQLite, strpos in PostgreSQL. */
  contains(haystack: string, needle: string): string;
}

export const SQLITE_DIALECT: Dialect = { contains: (haystack, needle) => `instr(${haystack}, ${needle}) > 0` };
export const POSTGRES_DIALECT: Dialect = { contains: (haystack, needle) => `strpos(${haystack}, ${needle}) > 0` };

/** PostgreSQL's sums of BIGINT are NUMERIC, which pg reads as text. */
const number = (value: unknown): number => Number(value ?? 0);
const nullableNumber = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

function actionOf(row: Row): ConsoleAction {
  return {
    id: row.id as string,
    at: number(row.at),
    actor: row.actor as string,
    action: row.action as string,
    orderId: row.order_id as string | null,
    target: row.target as string | null,
    result: row.result as ConsoleAction['result'],
    detail: row.detail as string,
  };
}

export function consoleStore(run: RunSql, dialect: Dialect): ConsoleStore {
  const searchWhere = (search: OrderSearch) => {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const add = (sql: string, ...parameters: unknown[]) => {
      conditions.push(sql);
      values.push(...parameters);
    };
    if (search.status !== undefined) add('status = ?', search.status);
    if (search.type !== undefined) add('type = ?', search.type);
    if (search.since !== undefined) add('created_at >= ?', search.since);
    if (search.until !== undefined) add('created_at < ?', search.until);
    if (search.text) {
      const fields = ['id', "COALESCE(reference, '')", "COALESCE(param, '')"];
      add(`(${fields.map((field) => dialect.contains(field, '?')).join(' OR ')})`, ...fields.map(() => search.text));
    }
    return { sql: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', values };
  };

  return {
    async searchOrders(search) {
      const where = searchWhere(search);
      const [rows, [counted]] = await Promise.all([
        run(`SELECT * FROM orders ${where.sql} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`, [
          ...where.values,
          search.limit,
          search.offset,
        ]),
        run(`SELECT COUNT(*) AS total FROM orders ${where.sql}`, where.values),
      ]);
      return { orders: (rows as unknown as OrderRow[]).map(toOrder), total: number(counted.total) };
    },

    async takings(ranges) {
      if (ranges.length === 0) return [];
      const bigint = 'CAST(? AS BIGINT)';
      const rows = await run(
        `WITH ranges (i, lo, hi) AS (VALUES ${ranges.map(() => `(${bigint}, ${bigint}, ${bigint})`).join(', ')})
         SELECT ranges.i AS i, SUM(COALESCE(orders.money, orders.price)) AS cents, COUNT(orders.id) AS count
         FROM ranges LEFT JOIN orders
           ON orders.status = 'paid' AND orders.paid_at >= ranges.lo AND orders.paid_at < ranges.hi
         GROUP BY ranges.i ORDER BY ranges.i`,
        ranges.flatMap((range, index) => [index, range.start, range.end]),
      );
      return rows.map((row) => ({ cents: number(row.cents), count: number(row.count) }));
    },

    async needingLook(limit) {
      const from = `FROM payments LEFT JOIN orders ON orders.id = payments.order_id
        WHERE payments.outcome IN ('orphan', 'extra') OR (payments.outcome = 'review' AND orders.status = 'review')`;
      const [rows, [counted]] = await Promise.all([
        run(`SELECT payments.* ${from} ORDER BY payments.received_at DESC LIMIT ?`, [limit]),
        run(`SELECT COUNT(*) AS count ${from}`, []),
      ]);
      return { count: number(counted.count), payments: (rows as unknown as PaymentRow[]).map(toPayment) };
    },

    async statusChanges(orderId) {
      const rows = await run(
        'SELECT at, from_status, to_status FROM order_changes WHERE order_id = ? ORDER BY at, seq',
        [orderId],
      );
      return rows.map((row) => ({
        at: number(row.at),
        from: row.from_status as OrderStatus | null,
        to: row.to_status as OrderStatus,
      }));
    },

    async recordAction(action) {
      await run(
        `INSERT INTO console_actions (id, at, actor, action, order_id, target, result, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          action.id,
          action.at,
          action.actor,
          action.action,
          action.orderId,
          action.target,
          action.result,
          action.detail,
        ],
      );
    },

    async listActions(filter) {
      const where = filter.orderId === undefined ? '' : 'WHERE order_id = ?';
      const values = filter.orderId === undefined ? [] : [filter.orderId];
      const rows = await run(`SELECT * FROM console_actions ${where} ORDER BY at DESC, id LIMIT ?`, [
        ...values,
        filter.limit,
      ]);
      return rows.map(actionOf);
    },

    async outboxBacklog() {
      const waiting = 'delivered_at IS NULL AND given_up_at IS NULL';
      const [row] = await run(
        `SELECT SUM(CASE WHEN ${waiting} THEN 1 ELSE 0 END) AS backlog,
           SUM(CASE WHEN delivered_at IS NULL AND given_up_at IS NOT NULL THEN 1 ELSE 0 END) AS given_up,
           MIN(CASE WHEN ${waiting} THEN next_attempt_at END) AS oldest_due
         FROM outbox`,
        [],
      );
      return {
        backlog: number(row.backlog),
        givenUp: number(row.given_up),
        oldestDueAt: nullableNumber(row.oldest_due),
      };
    },

    async findEvent(id) {
      const [row] = await run('SELECT type, order_id FROM outbox WHERE id = ? LIMIT 1', [id]);
      return row && { type: row.type as string, orderId: row.order_id as string | null };
    },

    async lastPaymentAt() {
      const [row] = await run('SELECT MAX(received_at) AS at FROM payments', []);
      return nullableNumber(row.at);
    },
  };
}
