/** Refunds: money of a paid order given back at the gateway, each recorded once. */
import type { RefundStatus } from '../../shared/api.ts';
import type { Cents } from '../../shared/money.ts';

export interface NewRefund {
  id: string;
  orderId: string;
  money: Cents;
  /** Who asked: `cli`, `api`, `console:<who>`. */
  actor: string;
  /** The caller's Idempotency-Key: a second request with it on the same order refunds nothing more. */
  requestKey: string | null;
  createdAt: number;
}

export interface RefundRecord extends NewRefund {
  status: RefundStatus;
  /** The gateway's answer when it refused, or why no answer came. */
  message: string | null;
  settledAt: number | null;
}

/** What the gateway's answer makes of a pending refund. */
export interface RefundSettlement {
  status: Exclude<RefundStatus, 'pending'>;
  message: string | null;
}
