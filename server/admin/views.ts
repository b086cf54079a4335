/** What the console shows of the store's records: money as "9.90", times as epoch ms, no secret. */
import { CHANNEL_NAMES, type Channel, type OrderStatus } from '../../shared/api.ts';
import { formatCents } from '../../shared/money.ts';
import type { OrderRecord, OutboxRecord, PaymentRecord } from '../model/index.ts';

export interface AdminOrderRow {
  id: string;
  status: OrderStatus;
  price: string;
  money: string | null;
  type: Channel;
  product: string | null;
  reference: string | null;
  param: string | null;
  late: boolean;
  createdAt: number;
  paidAt: number | null;
  expiresAt: number | null;
  errorCode: string | null;
  refunded: string | null;
}

const money = (cents: number | null) => (cents === null ? null : formatCents(cents));

export function orderRow(order: OrderRecord): AdminOrderRow {
  const refunded = (order as { refunded?: number }).refunded;
  return {
    id: order.id,
    status: order.status,
    price: formatCents(order.price),
    money: money(order.money),
    type: order.type,
    product: order.product,
    reference: order.reference,
    param: order.param,
    late: order.late,
    createdAt: order.createdAt,
    paidAt: order.paidAt,
    expiresAt: order.expiresAt,
    errorCode: order.errorCode,
    refunded: refunded ? formatCents(refunded) : null,
  };
}

export function paymentView(payment: PaymentRecord) {
  return {
    payNo: payment.payNo,
    orderId: payment.orderId,
    outcome: payment.outcome,
    money: money(payment.money),
    receivedAt: payment.receivedAt,
    fields: payment.fields,
  };
}

/** The outbox keeps one row per event and destination: shown as one event with its deliveries. */
export function eventViews(rows: readonly OutboxRecord[]) {
  const events = new Map<
    string,
    { id: string; type: string; createdAt: number; payload: unknown; deliveries: unknown[] }
  >();
  for (const row of rows) {
    let event = events.get(row.id);
    if (!event) {
      event = {
        id: row.id,
        type: row.type,
        createdAt: row.createdAt,
        payload: JSON.parse(row.payload),
        deliveries: [],
      };
      events.set(row.id, event);
    }
    event.deliveries.push({
      destination: row.destination,
      attempts: row.attempts,
      deliveredAt: row.deliveredAt,
      givenUpAt: row.givenUpAt,
      nextAttemptAt: row.deliveredAt === null && row.givenUpAt === null ? row.nextAttemptAt : null,
      lastError: row.lastError,
    });
  }
  return [...events.values()];
}

/** The CSV's columns, in order, from a table row. */
export const CSV_COLUMNS = [
  'id',
  'status',
  'price',
  'money',
  'type',
  'product',
  'reference',
  'param',
  'late',
  'created',
  'paid',
];

const iso = (time: number | null) => (time === null ? '' : new Date(time).toISOString());

export function csvCells(row: AdminOrderRow): string[] {
  return [
    row.id,
    row.status,
    row.price,
    row.money ?? '',
    CHANNEL_NAMES[row.type],
    row.product ?? '',
    row.reference ?? '',
    row.param ?? '',
    String(row.late),
    iso(row.createdAt),
    iso(row.paidAt),
  ];
}
