/** Database rows and the records they make: the same columns in SQLite and PostgreSQL. */
import type { Channel, OrderStatus } from '../../shared/api.ts';
import type {
  Destination,
  EventType,
  OrderRecord,
  OutboxRecord,
  PaymentOutcome,
  PaymentRecord,
} from '../model/index.ts';

export interface OrderRow {
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
  qr_link: string | null;
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  qr_enter_amount: number | boolean;
  error_code: string | null;
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  late: number | boolean;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  paid_at: number | null;
}

/** The orders columns, in the order orderRowOf reads them. */
export const ORDER_COLUMNS =
  'id, status, price, money, type, product, param, reference, gateway_order_id, qr_payload, qr_image_url, error_code, late, created_at, updated_at, expires_at, paid_at, qr_link, qr_enter_amount';

/** An order row read as an array of ORDER_COLUMNS (better-sqlite3's raw mode). */
export function orderRowOf(values: unknown[]): OrderRow {
  const v = values as never[];
  return {
    id: v[0],
    status: v[1],
    price: v[2],
    money: v[3],
    type: v[4],
    product: v[5],
    param: v[6],
    reference: v[7],
    gateway_order_id: v[8],
    qr_payload: v[9],
    qr_image_url: v[10],
    error_code: v[11],
    late: v[12],
    created_at: v[13],
    updated_at: v[14],
    expires_at: v[15],
    paid_at: v[16],
    qr_link: v[17],
    qr_enter_amount: v[18],
  };
}

export interface PaymentRow {
  pay_no: string;
  order_id: string | null;
  outcome: string;
  money: number | null;
  /** JSON text in SQLite, already parsed (JSONB) in PostgreSQL. */
  fields: string | Record<string, string>;
  received_at: number;
}

export function toOrder(row: OrderRow): OrderRecord {
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
    qrLink: row.qr_link,
    qrEnterAmount: row.qr_enter_amount === 1 || row.qr_enter_amount === true,
    errorCode: row.error_code,
    late: row.late === 1 || row.late === true,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    paidAt: row.paid_at,
  };
}

export interface OutboxRow {
  id: string;
  destination: string;
  type: string;
  order_id: string | null;
  payload: string;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  delivered_at: number | null;
  given_up_at: number | null;
  last_error: string | null;
  last_answer: string | null;
}

export function toPayment(row: PaymentRow): PaymentRecord {
  return {
    payNo: row.pay_no,
    orderId: row.order_id,
    outcome: row.outcome as PaymentOutcome,
    money: row.money,
    fields: typeof row.fields === 'string' ? JSON.parse(row.fields) : row.fields,
    receivedAt: row.received_at,
  };
}

export function toOutbox(row: OutboxRow): OutboxRecord {
  return {
    id: row.id,
    destination: row.destination as Destination,
    type: row.type as EventType,
    orderId: row.order_id,
    payload: row.payload,
    createdAt: row.created_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    deliveredAt: row.delivered_at,
    givenUpAt: row.given_up_at,
    lastError: row.last_error,
    lastAnswer: row.last_answer,
  };
}

/** A WHERE clause from the filters that are set; values go in as parameters, never into the SQL. */
export function where(conditions: [boolean, string][]): string {
  const chosen = conditions.filter(([on]) => on).map(([, sql]) => sql);
  return chosen.length > 0 ? `WHERE ${chosen.join(' AND ')}` : '';
}
