/** The SQLite store (better-sqlite3): WAL, full sync, versioned migrations. */
import Database from 'better-sqlite3';
import { closeSync, fdatasyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type {
  GatewayOrder,
  IncomingPayment,
  NewOrder,
  NewOutboxEvent,
  OrderChange,
  OrderRecord,
  PaymentOutcome,
} from '../model/index.ts';
import { consoleStore, SQLITE_DIALECT } from './console.ts';
import { SQLITE_MIGRATIONS } from './migrations.ts';
import {
  ORDER_COLUMNS,
  orderRowOf,
  toOrder,
  toOutbox,
  toPayment,
  where,
  type OrderRow,
  type OutboxRow,
  type PaymentRow,
} from './rows.ts';
import type { DecideChange, DecidePayment, OrderFilter, PaymentFilter, PaymentResult, Store } from './types.ts';
import { WriteTracker } from './write-health.ts';

function migrate(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT',
  );
  const applied = (
    db.prepare('SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations').get() as { version: number }
  ).version;
  SQLITE_MIGRATIONS.forEach((sql, index) => {
    const version = index + 1;
    if (version <= applied) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, Date.now());
    })();
  });
}

/**
 * SQLite's quick_check (the structure of every page, not index contents: a few seconds per GB): a
 * damaged file would otherwise start and fail one write in three. Throws one line naming the file.
 */
function checkIntact(db: Database.Database, file: string): void {
  let problem: string;
  try {
    problem = String(db.pragma('quick_check(1)', { simple: true }));
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  if (problem !== 'ok') {
    db.close();
    throw new Error(
      `the database ${file} is damaged (SQLite quick_check: ${problem.replace(/\s+/g, ' ')}); restore it from a backup`,
    );
  }
}

export function openSqliteStore(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // Commits are written to the log and survive a crash of this process; what must also survive
  // power loss (a payment answered `success`) is synced by syncLog() before anyone hears of it.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // Checkpoint every ~40 MB of log, not every 4 MB: pages written again and again (the orders
  // table's last page, the status indexes) are then copied to the database once, not ten times.
  db.pragma('wal_autocheckpoint = 10000');
  checkIntact(db, file);
  migrate(db);
  const writes = new WriteTracker();

  /**
   * Statements that give one order row, read as an array: better-sqlite3 then makes no object with
   * seventeen keys a row, which was a tenth of a notify's time.
   */
  const orderStatement = (sql: string) => {
    const statement = db.prepare(sql).raw();
    return {
      get(...parameters: unknown[]): OrderRow | undefined {
        const values = statement.get(...parameters) as unknown[] | undefined;
        return values && orderRowOf(values);
      },
    };
  };

  const insertOrder = orderStatement(
    `INSERT INTO orders (id, status, price, type, product, param, reference, created_at, updated_at)
     VALUES (@id, 'creating', @price, @type, @product, @param, @reference, @createdAt, @createdAt) RETURNING ${ORDER_COLUMNS}`,
  );
  const selectOrder = orderStatement(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?`);
  const markPending = orderStatement(
    `UPDATE orders SET money = @money, gateway_order_id = @gatewayOrderId, qr_payload = @qrPayload,
       qr_image_url = @qrImageUrl, qr_link = @qrLink, qr_enter_amount = @qrEnterAmount, expires_at = @expiresAt,
       updated_at = @now,
       status = CASE status WHEN 'creating' THEN 'pending' ELSE status END
     WHERE id = @id RETURNING ${ORDER_COLUMNS}`,
  );
  const markFailed = orderStatement(
    `UPDATE orders SET status = 'failed', error_code = ?, updated_at = ? WHERE id = ? AND status = 'creating' RETURNING ${ORDER_COLUMNS}`,
  );
  const expireDue = db.prepare(
    `UPDATE orders SET status = 'expired', updated_at = @now
     WHERE status = 'pending' AND expires_at <= @now RETURNING *`,
  );
  const failStale = db.prepare(
    `UPDATE orders SET status = 'failed', error_code = 'GATEWAY_TIMEOUT', updated_at = @now
     WHERE status = 'creating' AND created_at < @before RETURNING *`,
  );
  const selectPayment = db.prepare('SELECT * FROM payments WHERE pay_no = ?');
  const insertPayment = db.prepare(
    `INSERT INTO payments (pay_no, order_id, outcome, money, fields, received_at)
     VALUES (@payNo, @orderId, @outcome, @money, @fields, @receivedAt) ON CONFLICT (pay_no) DO NOTHING`,
  );
  const changeOrder = orderStatement(
    `UPDATE orders SET status = @status, late = @late, paid_at = @paidAt, error_code = @errorCode, updated_at = @now
     WHERE id = @id RETURNING ${ORDER_COLUMNS}`,
  );
  const insertEvent = db.prepare(
    `INSERT INTO outbox (id, destination, type, order_id, payload, created_at, next_attempt_at)
     VALUES (@id, @destination, @type, @orderId, @payload, @createdAt, @createdAt)`,
  );
  const paymentsOfOrder = db.prepare('SELECT * FROM payments WHERE order_id = ? ORDER BY received_at');
  const ordersToCheck = db.prepare(
    `SELECT * FROM orders
     WHERE ((status = 'pending' AND expires_at <= @soon) OR (status = 'expired' AND expires_at >= @horizon))
       AND (checked_at IS NULL OR checked_at < @checkedBefore)
     ORDER BY checked_at IS NOT NULL, checked_at, expires_at LIMIT @limit`,
  );
  const markChecked = db.prepare('UPDATE orders SET checked_at = ? WHERE id = ?');
  const claimDue = db.prepare(
    `UPDATE outbox SET claimed_until = @until WHERE rowid IN (
       SELECT rowid FROM outbox
       WHERE delivered_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= @now
         AND (claimed_until IS NULL OR claimed_until <= @now)
       ORDER BY next_attempt_at LIMIT @limit)
     RETURNING *`,
  );
  const eventDelivered = db.prepare(
    'UPDATE outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL, last_answer = ?, claimed_until = NULL WHERE id = ? AND destination = ?',
  );
  const eventFailed = db.prepare(
    `UPDATE outbox SET attempts = attempts + 1, last_error = @error, claimed_until = NULL,
       next_attempt_at = COALESCE(@next, next_attempt_at), given_up_at = CASE WHEN @next IS NULL THEN @now END
     WHERE id = @id AND destination = @destination`,
  );
  const requeueEvent = db.prepare(
    'UPDATE outbox SET delivered_at = NULL, given_up_at = NULL, claimed_until = NULL, next_attempt_at = ? WHERE id = ?',
  );
  const orderCounts = db.prepare('SELECT status AS key, COUNT(*) AS count FROM orders GROUP BY status');
  const paymentCounts = db.prepare('SELECT outcome AS key, COUNT(*) AS count FROM payments GROUP BY outcome');

  const insertEvents = (rows: NewOutboxEvent[]) => {
    for (const row of rows) insertEvent.run(row);
  };

  /** A pay_no recorded before: what it was, changing nothing. */
  const duplicateOf = (payNo: string): PaymentResult => {
    const known = selectPayment.get(payNo) as PaymentRow;
    const order = known.order_id ? selectOrder.get(known.order_id) : undefined;
    return {
      duplicate: true,
      outcome: known.outcome as PaymentOutcome,
      order: order && toOrder(order),
      statusChanged: false,
    };
  };

  const applyChange = (order: OrderRecord, change: OrderChange, now: number): OrderRecord =>
    toOrder(changeOrder.get({ id: order.id, ...change, late: change.late ? 1 : 0, now })!);

  const recordPayment = db.transaction((payment: IncomingPayment, decide: DecidePayment): PaymentResult => {
    const row = selectOrder.get(payment.payId);
    let order = row && toOrder(row);
    const { outcome, change, events } = decide(order);
    const inserted = insertPayment.run({
      payNo: payment.payNo,
      orderId: order ? order.id : null,
      outcome,
      money: payment.money,
      fields: JSON.stringify(payment.fields),
      receivedAt: payment.receivedAt,
    });
    if (inserted.changes === 0) return duplicateOf(payment.payNo);
    if (order && change) order = applyChange(order, change, payment.receivedAt);
    if (events) insertEvents(events(order));
    return { duplicate: false, outcome, order, statusChanged: order !== undefined && change !== undefined };
  });

  /**
   * What synchronous=FULL does after each commit, as fdatasync (size, not times: no inode update
   * to journal while the log is reused in place). Called right after the commit, before any
   * JavaScript runs, so nothing reads a commit before it is on disk. The log file stays the same
   * while this connection is open (SQLite deletes it only when the last connection closes).
   */
  let logFd: number | undefined;
  const syncLog = () => {
    if (file === ':memory:') return;
    logFd ??= openSync(`${file}-wal`, 'r');
    fdatasyncSync(logFd);
  };

  /**
   * Orders as last read, for the reads that carry the load (a widget polling its order, event
   * streams starting). A write here forgets the order it changed once committed (JavaScript runs
   * nothing else while a transaction is open, so no read sees one half done); a commit by another
   * process, such as the admin CLI, moves `data_version`, and the cache starts over.
   */
  const RECENT_ORDERS = 10_000;
  const recentOrders = new Map<string, OrderRecord>();
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seenDataVersion = dataVersion.get();
  const recentOrder = (id: string): OrderRecord | undefined => {
    const version = dataVersion.get();
    if (version !== seenDataVersion) {
      seenDataVersion = version;
      recentOrders.clear();
    }
    const known = recentOrders.get(id);
    if (known) return known;
    const row = selectOrder.get(id);
    if (!row) return undefined;
    const order = toOrder(row);
    // The oldest entry goes first (a Map keeps insertion order).
    if (recentOrders.size >= RECENT_ORDERS) recentOrders.delete(recentOrders.keys().next().value!);
    recentOrders.set(id, order);
    return order;
  };
  const forgetting = (orders: OrderRecord[]) => {
    for (const order of orders) recentOrders.delete(order.id);
    return orders;
  };

  /**
   * Group commit: the writes that arrive in one turn of the event loop (payments, new and updated
   * orders) are made in one transaction, each one statement or a transaction function (a
   * savepoint there), so one failing leaves the others. Each caller hears back after the commit:
   * one commit for the group, not one each. A group with a payment is synced (syncLog) first.
   */
  interface QueuedWrite {
    write(): unknown;
    /** The order it may change, forgotten by the cache once the group is committed. */
    orderId: string;
    resolve(result: unknown): void;
    reject(error: unknown): void;
  }
  let queued: QueuedWrite[] = [];
  let queuedDurable = false;
  const writeGroup = db.transaction((group: QueuedWrite[]) =>
    group.map(({ write }) => {
      try {
        return { result: write() };
      } catch (error) {
        return { error };
      }
    }),
  );
  const commitQueued = () => {
    const group = queued;
    const durable = queuedDurable;
    queued = [];
    queuedDurable = false;
    let outcomes;
    try {
      outcomes = writeGroup.immediate(group);
      if (durable) syncLog();
    } catch (error) {
      writes.failed(error);
      for (const item of group) item.reject(error);
      return;
    } finally {
      for (const item of group) recentOrders.delete(item.orderId);
    }
    const failed = outcomes.find((outcome) => 'error' in outcome);
    if (failed) writes.failed(failed.error);
    else writes.succeeded();
    outcomes.forEach((outcome, index) =>
      'error' in outcome ? group[index].reject(outcome.error) : group[index].resolve(outcome.result),
    );
  };
  const inNextGroup = <T>(orderId: string, write: () => T, durable: boolean) =>
    new Promise<T>((resolve, reject) => {
      queued.push({ write, orderId, resolve: resolve as (result: unknown) => void, reject });
      queuedDurable ||= durable;
      if (queued.length === 1) setImmediate(commitQueued);
    });

  const change = db.transaction((id: string, now: number, decide: DecideChange) => {
    const row = selectOrder.get(id);
    if (!row) return undefined;
    const decision = decide(toOrder(row), (paymentsOfOrder.all(id) as PaymentRow[]).map(toPayment));
    if (!decision) return undefined;
    const order = applyChange(toOrder(row), decision.change, now);
    if (decision.events) insertEvents(decision.events(order));
    return order;
  });

  const listOrders = (filter: OrderFilter) =>
    db
      .prepare(
        `SELECT * FROM orders ${where([
          [filter.status !== undefined, 'status = @status'],
          [filter.late !== undefined, 'late = @late'],
          [filter.since !== undefined, 'created_at >= @since'],
          [filter.until !== undefined, 'created_at < @until'],
        ])} ORDER BY created_at DESC LIMIT @limit`,
      )
      .all({
        ...filter,
        late: filter.late === undefined ? undefined : Number(filter.late),
        limit: filter.limit ?? -1,
      }) as OrderRow[];

  const listPayments = (filter: PaymentFilter) =>
    db
      .prepare(
        `SELECT * FROM payments ${where([
          [filter.outcome !== undefined, 'outcome = @outcome'],
          [filter.orderId !== undefined, 'order_id = @orderId'],
          [filter.since !== undefined, 'received_at >= @since'],
          [filter.until !== undefined, 'received_at < @until'],
        ])} ORDER BY received_at DESC LIMIT @limit`,
      )
      .all({ ...filter, limit: filter.limit ?? -1 }) as PaymentRow[];

  const listEvents = (filter: { orderId?: string; undelivered?: boolean; limit?: number }) =>
    db
      .prepare(
        `SELECT * FROM outbox ${where([
          [filter.orderId !== undefined, 'order_id = @orderId'],
          [filter.undelivered === true, 'delivered_at IS NULL'],
        ])} ORDER BY created_at DESC LIMIT @limit`,
      )
      .all({ orderId: filter.orderId, limit: filter.limit ?? -1 }) as OutboxRow[];

  const tally = (rows: unknown[]) =>
    Object.fromEntries((rows as { key: string; count: number }[]).map(({ key, count }) => [key, count]));
  const optional = (row: OrderRow | undefined) => row && toOrder(row);

  return {
    async insertOrder(order: NewOrder) {
      return toOrder((await inNextGroup(order.id, () => insertOrder.get(order), false)) as OrderRow);
    },
    async markPending(id: string, answer: GatewayOrder, now: number) {
      return optional(
        await inNextGroup(
          id,
          () => markPending.get({ id, now, ...answer, qrEnterAmount: answer.qrEnterAmount ? 1 : 0 }),
          false,
        ),
      );
    },
    async markFailed(id: string, errorCode: string, now: number) {
      return optional(await inNextGroup(id, () => markFailed.get(errorCode, now, id), false));
    },
    async getOrder(id: string) {
      return recentOrder(id);
    },
    recordPayment(payment: IncomingPayment, decide: DecidePayment) {
      return inNextGroup(payment.payId, () => recordPayment(payment, decide), true);
    },
    async changeOrder(id, now, decide) {
      try {
        return writes.track(() => {
          const order = change.immediate(id, now, decide);
          syncLog();
          return order;
        });
      } finally {
        recentOrders.delete(id);
      }
    },
    async getPayment(payNo: string) {
      const row = selectPayment.get(payNo) as PaymentRow | undefined;
      return row && toPayment(row);
    },
    async listOrders(filter) {
      return listOrders(filter).map(toOrder);
    },
    async listPayments(filter) {
      return listPayments(filter).map(toPayment);
    },
    async ordersToCheck(now, horizonMs, checkedBefore, limit) {
      // Pending orders are worth a look from shortly before they expire.
      const rows = ordersToCheck.all({
        soon: now + 30_000,
        horizon: now - horizonMs,
        checkedBefore,
        limit,
      }) as OrderRow[];
      return rows.map(toOrder);
    },
    async markChecked(ids, now) {
      writes.track(() => db.transaction(() => ids.forEach((id) => markChecked.run(now, id)))());
    },
    async claimDueEvents(now, limit, leaseMs) {
      const claimed = (writes.track(() => claimDue.all({ now, limit, until: now + leaseMs })) as OutboxRow[]).map(
        toOutbox,
      );
      return claimed.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt);
    },
    async markEventDelivered(id, destination, now, answer = null) {
      writes.track(() => eventDelivered.run(now, answer, id, destination));
    },
    async markEventFailed(id, destination, error, nextAttemptAt, now) {
      writes.track(() => eventFailed.run({ id, destination, error: error.slice(0, 500), next: nextAttemptAt, now }));
    },
    async requeueEvent(id, now) {
      return writes.track(() => requeueEvent.run(now, id)).changes;
    },
    async listEvents(filter) {
      return listEvents(filter).map(toOutbox);
    },
    async expireDue(now: number) {
      return forgetting((writes.track(() => expireDue.all({ now })) as OrderRow[]).map(toOrder));
    },
    async failStaleCreating(before: number, now: number) {
      return forgetting((writes.track(() => failStale.all({ before, now })) as OrderRow[]).map(toOrder));
    },
    async counts() {
      return { orders: tally(orderCounts.all()), payments: tally(paymentCounts.all()) };
    },
    writeHealth: () => writes.view(),
    console: consoleStore(async (sql, values) => {
      const statement = db.prepare(sql);
      if (statement.reader) return statement.all(...values) as Record<string, unknown>[];
      writes.track(() => statement.run(...values));
      return [];
    }, SQLITE_DIALECT),
    async close() {
      if (logFd !== undefined) closeSync(logFd);
      db.close();
    },
  };
}
