/** What a verified payment, or the merchant's review, does to an order: pure decisions the store applies. */
import type { IncomingPayment, OrderChange, OrderRecord, PaymentOutcome, PaymentRecord } from '../model/index.ts';

export interface Settlement {
  outcome: PaymentOutcome;
  /** The order's new state, or undefined when it stays as it is. */
  change: OrderChange | undefined;
}

export function changed(order: OrderRecord, change: Partial<OrderChange>): OrderChange {
  return { status: order.status, late: order.late, paidAt: order.paidAt, errorCode: order.errorCode, ...change };
}

export function settlePayment(
  order: OrderRecord | undefined,
  payment: Pick<IncomingPayment, 'money' | 'receivedAt'>,
): Settlement {
  if (!order) return { outcome: 'orphan', change: undefined };
  if (order.status === 'paid' || order.status === 'review' || order.status === 'refunded')
    return { outcome: 'extra', change: undefined };
  // Before the gateway's answer is stored (a very fast buyer), the price is the amount asked for.
  const expected = order.money ?? order.price;
  if (payment.money !== expected)
    return { outcome: 'review', change: changed(order, { status: 'review', late: false, paidAt: null }) };
  const late = order.status === 'expired' || order.status === 'failed';
  return {
    outcome: late ? 'late' : 'paid',
    change: changed(order, { status: 'paid', late, paidAt: payment.receivedAt }),
  };
}

/**
 * The merchant's decision on an order in review: accept pays it (and its review payment becomes
 * the paying one), reject fails it. undefined when the order is not in review.
 */
export function settleReview(
  order: OrderRecord,
  payments: readonly PaymentRecord[],
  decision: 'accept' | 'reject',
  now: number,
): { change: OrderChange; paying: PaymentRecord | undefined } | undefined {
  if (order.status !== 'review') return undefined;
  if (decision === 'reject')
    return { change: changed(order, { status: 'failed', errorCode: 'REVIEW_REJECTED' }), paying: undefined };
  return {
    change: changed(order, { status: 'paid', paidAt: now }),
    paying: payments.find((payment) => payment.outcome === 'review'),
  };
}
