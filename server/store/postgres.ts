/**
 * The PostgreSQL store (pg), for several signers on one database: payments are settled under a row
 * lock on their order and a unique pay_no, the outbox is claimed with SKIP LOCKED, and every status
 * change is announced with NOTIFY at commit, for live status across instances.
 */
import pg from 'pg';
import type { IncomingPayment, NewOutboxEvent, OrderChange, OrderRecord } from '../model/index.ts';
import { consoleStore, POSTGRES_DIALECT } from './console.ts';
import { POSTGRES_MIGRATIONS } from './migrations.ts';
import { toOrder, toOutbox, toPayment, type OrderRow, type OutboxRow, type PaymentRow } from './rows.ts';
import type { DecideChange, DecidePayment, PaymentResult, Store } from './types.ts';
import { WriteTracker } from './write-health.ts';

const CHANNEL = 'codepay_orders';
const INT8 = 20;

/** Times and amounts are BIGINT; they fit a JavaScript number, so read them as numbers. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A WHERE clause from the filters that are set, with $n placeholders for their values. */
function whereClause(conditions: [boolean, string, unknown?][], values: unknown[]): string {
  const chosen = conditions
    .filter(([on]) => on)
    .map(([, sql, value]) => {
      if (!sql.includes('?')) return sql;
      values.push(value);
      return sql.replace('?', `$${values.length}`);
    });
  return chosen.length > 0 ? `WHERE ${chosen.join(' AND ')}` : '';
}

async function announce(client: pg.PoolClient, orders: OrderRecord[]): Promise<void> {
  if (orders.length === 0) return;
  await client.query(`SELECT pg_notify('${CHANNEL}', id) FROM unnest($1::text[]) AS id`, [
    orders.map((order) => order.id),
  ]);
}

/** Writes a decided change; the caller holds the order's row lock. */
async function applyChange(client: pg.PoolClient, id: string, change: OrderChange, now: number): Promise<OrderRecord> {
  const { rows } = await client.query<OrderRow>(
    `UPDATE orders SET status = $2, late = $3, paid_at = $4, error_code = $5, updated_at = $6
     WHERE id = $1 RETURNING *`,
    [id, change.status, change.late, change.paidAt, change.errorCode, now],
  );
  const order = toOrder(rows[0]);
  await announce(client, [order]);
  return order;
}

async function insertEvents(client: pg.PoolClient, rows: NewOutboxEvent[]): Promise<void> {
  for (const row of rows) {
    await client.query(
      `INSERT INTO outbox (id, destination, type, order_id, payload, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
      [row.id, row.destination, row.type, row.orderId, row.payload, row.createdAt],
    );
  }
}

export async function openPostgresStore(connectionString: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString, types, max: 10 });
  // A dropped idle connection must not take the process down; the pool replaces it.
  pool.on('error', () => {});

  const writes = new WriteTracker();
  /** Every write goes through here (or through `written`), so /healthz knows when writes fail. */
  const transaction = <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> =>
    writes.trackAsync(() => inTransaction(work));
  const written = <R extends pg.QueryResultRow>(sql: string, values: unknown[]) =>
    writes.trackAsync(() => pool.query<R>(sql, values));
  const inTransaction = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };
  const one = async (sql: string, values: unknown[]) => (await pool.query<OrderRow>(sql, values)).rows[0];
  /** Status changes go through here: the update and its NOTIFY commit together. */
  const changeOrders = (sql: string, values: unknown[]) =>
    transaction(async (client) => {
      const orders = (await client.query<OrderRow>(sql, values)).rows.map(toOrder);
      await announce(client, orders);
      return orders;
    });

  await transaction(async (client) => {
    // Two instances starting at once: one migrates, the other waits and finds it done.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('codepay-migrations'))`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
    );
    const { rows } = await client.query<{ version: number }>(
      'SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations',
    );
    for (const [index, sql] of POSTGRES_MIGRATIONS.entries()) {
      if (index + 1 <= rows[0].version) continue;
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
        index + 1,
        Date.now(),
      ]);
    }
  });

  const recordPayment = (payment: IncomingPayment, decide: DecidePayment): Promise<PaymentResult> =>
    transaction(async (client) => {
      const duplicate = async (): Promise<PaymentResult> => {
        const known = (await client.query<PaymentRow>('SELECT * FROM payments WHERE pay_no = $1', [payment.payNo]))
          .rows[0];
        const order = known.order_id
          ? (await client.query<OrderRow>('SELECT * FROM orders WHERE id = $1', [known.order_id])).rows[0]
          : undefined;
        return {
          duplicate: true,
          outcome: toPayment(known).outcome,
          order: order && toOrder(order),
          statusChanged: false,
        };
      };
      // The order's row lock makes payments for one order settle one after the other.
      const row = (await client.query<OrderRow>('SELECT * FROM orders WHERE id = $1 FOR UPDATE', [payment.payId]))
        .rows[0];
      const known = await client.query('SELECT 1 FROM payments WHERE pay_no = $1', [payment.payNo]);
      if (known.rowCount) return duplicate();
      let order = row && toOrder(row);
      const { outcome, change, events } = decide(order);
      const inserted = await client.query(
        `INSERT INTO payments (pay_no, order_id, outcome, money, fields, received_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (pay_no) DO NOTHING`,
        [
          payment.payNo,
          order ? order.id : null,
          outcome,
          payment.money,
          JSON.stringify(payment.fields),
          payment.receivedAt,
        ],
      );
      // The same pay_no committed meanwhile by another instance (a payment for no order has no row to lock).
      if (inserted.rowCount === 0) return duplicate();
      if (order && change) order = await applyChange(client, order.id, change, payment.receivedAt);
      if (events) await insertEvents(client, events(order));
      return { duplicate: false, outcome, order, statusChanged: order !== undefined && change !== undefined };
    });

  return {
    async insertOrder(order) {
      const { rows } = await written<OrderRow>(
        `INSERT INTO orders (id, status, price, type, product, param, reference, created_at, updated_at)
         VALUES ($1, 'creating', $2, $3, $4, $5, $6, $7, $7) RETURNING *`,
        [order.id, order.price, order.type, order.product, order.param, order.reference, order.createdAt],
      );
      return toOrder(rows[0]);
    },
    async markPending(id, answer, now) {
      const [order] = await changeOrders(
        `UPDATE orders SET money = $2, gateway_order_id = $3, qr_payload = $4, qr_image_url = $5, expires_at = $6,
           updated_at = $7, qr_link = $8, qr_enter_amount = $9,
           status = CASE status WHEN 'creating' THEN 'pending' ELSE status END
         WHERE id = $1 RETURNING *`,
        [
          id,
          answer.money,
          answer.gatewayOrderId,
          answer.qrPayload,
          answer.qrImageUrl,
          answer.expiresAt,
          now,
          answer.qrLink,
          answer.qrEnterAmount,
        ],
      );
      return order;
    },
    async markFailed(id, errorCode, now) {
      const [order] = await changeOrders(
        `UPDATE orders SET status = 'failed', error_code = $2, updated_at = $3 WHERE id = $1 AND status = 'creating' RETURNING *`,
        [id, errorCode, now],
      );
      return order;
    },
    async getOrder(id) {
      const row = await one('SELECT * FROM orders WHERE id = $1', [id]);
      return row && toOrder(row);
    },
    recordPayment,
    changeOrder(id: string, now: number, decide: DecideChange) {
      return transaction(async (client) => {
        const row = (await client.query<OrderRow>('SELECT * FROM orders WHERE id = $1 FOR UPDATE', [id])).rows[0];
        if (!row) return undefined;
        const payments = await client.query<PaymentRow>(
          'SELECT * FROM payments WHERE order_id = $1 ORDER BY received_at',
          [id],
        );
        const decision = decide(toOrder(row), payments.rows.map(toPayment));
        if (!decision) return undefined;
        const order = await applyChange(client, id, decision.change, now);
        if (decision.events) await insertEvents(client, decision.events(order));
        return order;
      });
    },
    async getPayment(payNo) {
      const row = (await pool.query<PaymentRow>('SELECT * FROM payments WHERE pay_no = $1', [payNo])).rows[0];
      return row && toPayment(row);
    },
    async listOrders(filter) {
      const values: unknown[] = [];
      const where = whereClause(
        [
          [filter.status !== undefined, 'status = ?', filter.status],
          [filter.late !== undefined, 'late = ?', filter.late],
          [filter.since !== undefined, 'created_at >= ?', filter.since],
          [filter.until !== undefined, 'created_at < ?', filter.until],
        ],
        values,
      );
      values.push(filter.limit ?? null);
      const { rows } = await pool.query<OrderRow>(
        `SELECT * FROM orders ${where} ORDER BY created_at DESC LIMIT $${values.length}`,
        values,
      );
      return rows.map(toOrder);
    },
    async listPayments(filter) {
      const values: unknown[] = [];
      const where = whereClause(
        [
          [filter.outcome !== undefined, 'outcome = ?', filter.outcome],
          [filter.orderId !== undefined, 'order_id = ?', filter.orderId],
          [filter.since !== undefined, 'received_at >= ?', filter.since],
          [filter.until !== undefined, 'received_at < ?', filter.until],
        ],
        values,
      );
      values.push(filter.limit ?? null);
      const { rows } = await pool.query<PaymentRow>(
        `SELECT * FROM payments ${where} ORDER BY received_at DESC LIMIT $${values.length}`,
        values,
      );
      return rows.map(toPayment);
    },
    async ordersToCheck(now, horizonMs, checkedBefore, limit) {
      const { rows } = await pool.query<OrderRow>(
        `SELECT * FROM orders
         WHERE ((status = 'pending' AND expires_at <= $1) OR (status = 'expired' AND expires_at >= $2))
           AND (checked_at IS NULL OR checked_at < $3)
         ORDER BY checked_at NULLS FIRST, expires_at LIMIT $4`,
        [now + 30_000, now - horizonMs, checkedBefore, limit],
      );
      return rows.map(toOrder);
    },
    async markChecked(ids, now) {
      await written('UPDATE orders SET checked_at = $2 WHERE id = ANY($1::text[])', [ids, now]);
    },
    async claimDueEvents(now, limit, leaseMs) {
      const { rows } = await written<OutboxRow>(
        `UPDATE outbox SET claimed_until = $3 WHERE (id, destination) IN (
           SELECT id, destination FROM outbox
           WHERE delivered_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= $1
             AND (claimed_until IS NULL OR claimed_until <= $1)
           ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [now, limit, now + leaseMs],
      );
      return rows.map(toOutbox).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt);
    },
    async markEventDelivered(id, destination, now, answer = null) {
      await written(
        'UPDATE outbox SET delivered_at = $3, attempts = attempts + 1, last_error = NULL, last_answer = $4, claimed_until = NULL WHERE id = $1 AND destination = $2',
        [id, destination, now, answer],
      );
    },
    async markEventFailed(id, destination, error, nextAttemptAt, now) {
      await written(
        `UPDATE outbox SET attempts = attempts + 1, last_error = $3, claimed_until = NULL,
           next_attempt_at = COALESCE($4, next_attempt_at), given_up_at = CASE WHEN $4::bigint IS NULL THEN $5::bigint END
         WHERE id = $1 AND destination = $2`,
        [id, destination, error.slice(0, 500), nextAttemptAt, now],
      );
    },
    async requeueEvent(id, now) {
      const result = await written(
        'UPDATE outbox SET delivered_at = NULL, given_up_at = NULL, claimed_until = NULL, next_attempt_at = $2 WHERE id = $1',
        [id, now],
      );
      return result.rowCount ?? 0;
    },
    async listEvents(filter) {
      const values: unknown[] = [];
      const where = whereClause(
        [
          [filter.orderId !== undefined, 'order_id = ?', filter.orderId],
          [filter.undelivered === true, 'delivered_at IS NULL'],
        ],
        values,
      );
      values.push(filter.limit ?? null);
      const { rows } = await pool.query<OutboxRow>(
        `SELECT * FROM outbox ${where} ORDER BY created_at DESC LIMIT $${values.length}`,
        values,
      );
      return rows.map(toOutbox);
    },
    async expireDue(now) {
      return changeOrders(
        `UPDATE orders SET status = 'expired', updated_at = $1 WHERE status = 'pending' AND expires_at <= $1 RETURNING *`,
        [now],
      );
    },
    async failStaleCreating(before, now) {
      return changeOrders(
        `UPDATE orders SET status = 'failed', error_code = 'GATEWAY_TIMEOUT', updated_at = $2 WHERE status = 'creating' AND created_at < $1 RETURNING *`,
        [before, now],
      );
    },
    writeHealth: () => writes.view(),
    console: consoleStore(async (sql, values) => {
      let n = 0;
      // The console's SQL has no '?' but its placeholders.
      const numbered = sql.replace(/\?/g, () => `$${++n}`);
      const query = sql.trimStart().startsWith('INSERT') ? written : pool.query.bind(pool);
      return (await query(numbered, values)).rows;
    }, POSTGRES_DIALECT),
    async counts() {
      const tally = (rows: { key: string; count: number }[]) =>
        Object.fromEntries(rows.map(({ key, count }) => [key, count]));
      const orders = await pool.query('SELECT status AS key, COUNT(*)::int AS count FROM orders GROUP BY status');
      const payments = await pool.query('SELECT outcome AS key, COUNT(*)::int AS count FROM payments GROUP BY outcome');
      return { orders: tally(orders.rows), payments: tally(payments.rows) };
    },
    async watchChanges(listener) {
      return listenForChanges(connectionString, listener);
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * LISTEN on a connection of its own. Notifications sent while it is down are lost, so after each
 * reconnect the listener is told to re-read (`resync`).
 */
async function listenForChanges(
  connectionString: string,
  listener: { changed(orderId: string): void; resync(): void },
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retryMs = 100;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (first: boolean): Promise<void> => {
    const next = new pg.Client({ connectionString, types });
    next.on('notification', (message) => message.payload && listener.changed(message.payload));
    const lost = () => {
      if (stopped || client !== next) return;
      client = undefined;
      next.end().catch(() => {});
      retry = setTimeout(() => void connect(false).catch(() => {}), retryMs);
      retryMs = Math.min(retryMs * 2, 5_000);
    };
    next.on('error', lost);
    next.on('end', lost);
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      if (first) throw error;
      lost();
      return;
    }
    retryMs = 100;
    if (!first) listener.resync();
  };

  await connect(true);
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}
