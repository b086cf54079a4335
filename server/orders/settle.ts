/** What a verified payment does to its order: pure, so every store applies the same rules. */
import type { OrderStatus } from '../../shared/api.ts';
import type { Cents } from '../../shared/money.ts';

/**
 * paid: the order is now paid; late: paid after it expired (or failed at creation);
 * review: the amount differs from what the gateway asked for; orphan: no such order;
 * extra: the order was settled already (a second payment by the buyer). Every one is kept.
 */
export type PaymentOutcome = 'paid' | 'late' | 'review' | 'orphan' | 'extra';

export interface Settlement {
  outcome: PaymentOutcome;
  /** The order's new status, or undefined when it stays as it is. */
  nextStatus: OrderStatus | undefined;
}

export function settlePayment(
  order: { status: OrderStatus; price: Cents; money: Cents | null } | undefined,
  paid: Cents | null,
): Settlement {
  if (!order) return { outcome: 'orphan', nextStatus: undefined };
  if (order.status === 'paid' || order.status === 'review') return { outcome: 'extra', nextStatus: undefined };
  // Before the gateway's answer is stored (a very fast buyer), the price is the amount asked for.
  const expected = order.money ?? order.price;
  if (paid !== expected) return { outcome: 'review', nextStatus: 'review' };
  const late = order.status === 'expired' || order.status === 'failed';
  return { outcome: late ? 'late' : 'paid', nextStatus: 'paid' };
}
