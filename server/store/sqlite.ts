/** The SQLite store (better-sqlite3): WAL, full sync, versioned migrations. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Channel, OrderStatus } from '../../shared/api.ts';
import { settlePayment, type PaymentOutcome } from '../orders/settle.ts';
import { SQLITE_MIGRATIONS } from './migrations.ts';
import type { GatewayOrder, IncomingPayment, NewOrder, OrderRecord, PaymentRecord, PaymentResult, Store } from './types.ts';

interface OrderRow {
  id: string;
  status: string;
  price: number;
  money: number | null;
  type: number;
  product: string | null;
  param: string | null;
  reference: string | null;
  gateway_order_id: string | null;
  qr_payload: string | null;
  qr_image_url: string | null;
  error_code: string | null;
  late: number;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  paid_at: number | null;
}

interface PaymentRow {
  pay_no: string;
  order_id: string | null;
  outcome: string;
  money: number | null;
  fields: string;
  received_at: number;
}

function toOrder(row: OrderRow): OrderRecord {
  return {
    id: row.id,
    status: row.status as OrderStatus,
    price: row.price,
    money: row.money,
    type: row.type as Channel,
    product: row.product,
    param: row.param,
    reference: row.reference,
    gatewayOrderId: row.gateway_order_id,
    qrPayload: row.qr_payload,
    qrImageUrl: row.qr_image_url,
    errorCode: row.error_code,
    late: row.late === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    paidAt: row.paid_at,
  };
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT');
  const applied = (db.prepare('SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations').get() as { version: number }).version;
  SQLITE_MIGRATIONS.forEach((sql, index) => {
    const version = index + 1;
    if (version <= applied) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, Date.now());
    })();
  });
}

export function openSqliteStore(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // A payment answered `success` must survive power loss, not only a crash.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const insertOrder = db.prepare(
    `INSERT INTO orders (id, status, price, type, product, param, reference, created_at, updated_at)
     VALUES (@id, 'creating', @price, @type, @product, @param, @reference, @createdAt, @createdAt) RETURNING *`,
  );
  const selectOrder = db.prepare('SELECT * FROM orders WHERE id = ?');
  const markPending = db.prepare(
    `UPDATE orders SET money = @money, gateway_order_id = @gatewayOrderId, qr_payload = @qrPayload,
       qr_image_url = @qrImageUrl, expires_at = @expiresAt, updated_at = @now,
       status = CASE status WHEN 'creating' THEN 'pending' ELSE status END
     WHERE id = @id RETURNING *`,
  );
  const markFailed = db.prepare(
    `UPDATE orders SET status = 'failed', error_code = ?, updated_at = ? WHERE id = ? AND status = 'creating' RETURNING *`,
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
     VALUES (@payNo, @orderId, @outcome, @money, @fields, @receivedAt)`,
  );
  const settleOrder = db.prepare(
    `UPDATE orders SET status = @status, late = @late, paid_at = @paidAt, updated_at = @now WHERE id = @id RETURNING *`,
  );
  const orderCounts = db.prepare('SELECT status AS key, COUNT(*) AS count FROM orders GROUP BY status');
  const paymentCounts = db.prepare('SELECT outcome AS key, COUNT(*) AS count FROM payments GROUP BY outcome');

  const recordPayment = db.transaction((payment: IncomingPayment): PaymentResult => {
    const known = selectPayment.get(payment.payNo) as PaymentRow | undefined;
    if (known) {
      const order = known.order_id ? (selectOrder.get(known.order_id) as OrderRow | undefined) : undefined;
      return { duplicate: true, outcome: known.outcome as PaymentOutcome, order: order && toOrder(order), statusChanged: false };
    }
    const row = selectOrder.get(payment.payId) as OrderRow | undefined;
    let order = row && toOrder(row);
    const { outcome, nextStatus } = settlePayment(order, payment.money);
    insertPayment.run({
      payNo: payment.payNo,
      orderId: order ? order.id : null,
      outcome,
      money: payment.money,
      fields: JSON.stringify(payment.fields),
      receivedAt: payment.receivedAt,
    });
    if (order && nextStatus) {
      const settled = settleOrder.get({
        id: order.id,
        status: nextStatus,
        late: outcome === 'late' ? 1 : 0,
        paidAt: nextStatus === 'paid' ? payment.receivedAt : null,
        now: payment.receivedAt,
      }) as OrderRow;
      order = toOrder(settled);
    }
    return { duplicate: false, outcome, order, statusChanged: nextStatus !== undefined };
  });

  const tally = (rows: unknown[]) =>
    Object.fromEntries((rows as { key: string; count: number }[]).map(({ key, count }) => [key, count]));
  const optional = (row: unknown) => (row ? toOrder(row as OrderRow) : undefined);

  return {
    async insertOrder(order: NewOrder) {
      return toOrder(insertOrder.get(order) as OrderRow);
    },
    async markPending(id: string, answer: GatewayOrder, now: number) {
      return optional(markPending.get({ id, now, ...answer }));
    },
    async markFailed(id: string, errorCode: string, now: number) {
      return optional(markFailed.get(errorCode, now, id));
    },
    async getOrder(id: string) {
      return optional(selectOrder.get(id));
    },
    async recordPayment(payment: IncomingPayment) {
      return recordPayment.immediate(payment);
    },
    async getPayment(payNo: string) {
      const row = selectPayment.get(payNo) as PaymentRow | undefined;
      if (!row) return undefined;
      const record: PaymentRecord = {
        payNo: row.pay_no,
        orderId: row.order_id,
        outcome: row.outcome as PaymentOutcome,
        money: row.money,
        fields: JSON.parse(row.fields),
        receivedAt: row.received_at,
      };
      return record;
    },
    async expireDue(now: number) {
      return (expireDue.all({ now }) as OrderRow[]).map(toOrder);
    },
    async failStaleCreating(before: number, now: number) {
      return (failStale.all({ before, now }) as OrderRow[]).map(toOrder);
    },
    async counts() {
      return { orders: tally(orderCounts.all()), payments: tally(paymentCounts.all()) };
    },
    async close() {
      db.close();
    },
  };
}
