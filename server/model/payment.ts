/** Payments: what the gateway vouched for, and what it did to its order. */
import type { Cents } from '../../shared/money.ts';

/**
 * paid: the order is now paid; late: paid after it expired (or failed at creation);
 * review: the amount differs from what the gateway asked for; orphan: no such order;
 * extra: the order was settled already (a second payment by the buyer). Every one is kept.
 */
export type PaymentOutcome = 'paid' | 'late' | 'review' | 'orphan' | 'extra';
export const PAYMENT_OUTCOMES: readonly PaymentOutcome[] = ['paid', 'late', 'review', 'orphan', 'extra'];

/** The gateway's fields as received (signature left out), kept as the payment's evidence. */
export type GatewayFields = Record<string, string>;

/** A payment the provider verified: the gateway's payment number, our order id, the amount. */
export interface IncomingPayment {
  payNo: string;
  payId: string;
  money: Cents | null;
  fields: GatewayFields;
  receivedAt: number;
}

export interface PaymentRecord {
  payNo: string;
  orderId: string | null;
  outcome: PaymentOutcome;
  money: Cents | null;
  fields: GatewayFields;
  receivedAt: number;
}
