/** What the console shows of the store's records: money as "9.90", times as epoch ms, no secret. */
import { CHANNEL_NAMES, type OrderView } from '../../shared/api.ts';
import { formatCents } from '../../shared/money.ts';
import type { OrderRecord, OutboxRecord, PaymentRecord } from '../model/index.ts';
import { toOrderView } from '../orders/view.ts';

/** An order as the console's table, its stream and its CSV show it: the public view, less the QR, plus why it failed. */
export type AdminOrderRow = Omit<OrderView, 'qr' | 'serverTime'> & { errorCode: string | null };

export function orderRow(order: OrderRecord): AdminOrderRow {
  const { qr: _qr, serverTime: _serverTime, ...view } = toOrderView(order, 0);
  return { ...view, errorCode: order.errorCode };
}

const money = (cents: number | null) => (cents === null ? null : formatCents(cents));

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
      lastAnswer: row.lastAnswer,
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
