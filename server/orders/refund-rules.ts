/** What a refund request may do to an order: pure decisions, made under the order's lock. */
import { formatCents, inGatewayRange, parseAmount, type Cents } from '../../shared/money.ts';
import { ApiError } from '../errors.ts';
import type { OrderRecord, PaymentRecord, RefundRecord } from '../model/index.ts';

export interface RefundRequest {
  /** undefined: what is left. */
  money: Cents | undefined;
  /** The caller's Idempotency-Key, if it gave one. */
  requestKey: string | null;
}

/** Ask the gateway for `money`; or answer as for the earlier request with the same key; or refuse. */
export type RefundVerdict = { refund: Cents; paid: Cents } | { earlier: RefundRecord } | { refusal: ApiError };

/**
 * What the buyer paid: the paying payment's amount (a payment accepted from review may differ from
 * what the gateway asked), else what the gateway asked.
 */
export function paidMoney(order: OrderRecord, payments: readonly PaymentRecord[]): Cents {
  const paying =
    payments.find((payment) => payment.outcome === 'paid' || payment.outcome === 'late') ??
    payments.find((payment) => payment.outcome === 'review');
  return paying?.money ?? order.money ?? order.price;
}

export function judgeRefund(
  order: OrderRecord,
  payments: readonly PaymentRecord[],
  refunds: readonly RefundRecord[],
  request: RefundRequest,
): RefundVerdict {
  const earlier = request.requestKey === null ? undefined : refunds.find((r) => r.requestKey === request.requestKey);
  if (earlier) {
    if (request.money !== undefined && request.money !== earlier.money) {
      const message = `This Idempotency-Key was used for a refund of ${formatCents(earlier.money)}, not ${formatCents(request.money)}.`;
      return { refusal: new ApiError('IDEMPOTENCY_KEY_REUSED', message) };
    }
    return { earlier };
  }
  if (order.status !== 'paid' && order.status !== 'refunded') {
    return {
      refusal: new ApiError('ORDER_NOT_PAID', `Only a paid order can be refunded; this one is ${order.status}.`),
    };
  }
  const paid = paidMoney(order, payments);
  const waiting = refunds.filter((r) => r.status === 'pending').reduce((sum, r) => sum + r.money, 0);
  const left = paid - order.refunded - waiting;
  const money = request.money ?? left;
  if (money > left || money <= 0) {
    const pending = waiting > 0 ? ` (${formatCents(waiting)} more waits for the gateway's answer)` : '';
    const message =
      left > 0
        ? `Only ${formatCents(left)} of ${formatCents(paid)} is left to refund${pending}.`
        : `Nothing is left to refund: ${formatCents(order.refunded)} of ${formatCents(paid)} was given back${pending}.`;
    return { refusal: new ApiError('REFUND_TOO_LARGE', message) };
  }
  return { refund: money, paid };
}

/** A refund's amount as asked ("1.00"); absent or empty: what is left. */
export function parseRefundMoney(value: unknown): Cents | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const cents = typeof value === 'string' ? parseAmount(value) : undefined;
  if (cents === undefined || !inGatewayRange(cents)) {
    throw new ApiError('INVALID_MONEY', '"money" must be an amount in yuan from "0.01", like "1.00".');
  }
  return cents;
}

const REQUEST_KEY = /^[\x21-\x7e]{1,100}$/;

/** The caller's Idempotency-Key: printable ASCII, at most 100 characters; absent: null. */
export function parseRequestKey(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  if (!REQUEST_KEY.test(value)) {
    throw new ApiError('BAD_REQUEST', 'The Idempotency-Key must be 1 to 100 printable ASCII characters, no spaces.');
  }
  return value;
}
