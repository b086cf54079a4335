/**
 * The merchant's events: what happened to a payment, as JSON, written to the outbox in the same
 * transaction as the payment, so an event can be late but never lost.
 */
import { randomBytes } from 'node:crypto';
import type { OrderView } from '../../shared/api.ts';
import { formatCents } from '../../shared/money.ts';
import type {
  Destination,
  EventType,
  NewOutboxEvent,
  OrderRecord,
  PaymentOutcome,
  RefundRecord,
} from '../model/index.ts';
import { toOrderView } from '../orders/view.ts';

const TYPE_OF_OUTCOME: Record<PaymentOutcome, EventType> = {
  paid: 'order.paid',
  late: 'order.paid_late',
  review: 'order.review',
  orphan: 'payment.orphan',
  extra: 'payment.extra',
};

export interface PaymentSummary {
  payNo: string;
  money: number | null;
  outcome: PaymentOutcome;
  /** The gateway's payment time and the order's param as it echoed them (see PaymentProvider.details). */
  payTime: string | null;
  param: string | null;
}

/** The body the merchant receives: `id` is stable across re-sends, so a receiver drops duplicates. */
export interface MerchantEvent {
  id: string;
  type: EventType;
  /** Unix seconds. */
  created: number;
  /** false for the sandbox gateway's simulated payments: never deliver goods for those. */
  livemode: boolean;
  data: {
    order: OrderView | null;
    payment: {
      pay_no: string;
      money: string | null;
      outcome: PaymentOutcome;
      pay_time: string | null;
      param: string | null;
    };
  };
}

/** A refund that gave money back (webhook only): `refunded` is the order's total given back so far. */
export interface RefundEvent {
  id: string;
  type: 'order.refunded';
  created: number;
  livemode: boolean;
  data: {
    order: OrderView;
    refund: { id: string; money: string; refunded: string; actor: string };
  };
}

export function newEventId(): string {
  return `evt_${randomBytes(12).toString('base64url')}`;
}

export function paymentEvent(
  payment: PaymentSummary,
  order: OrderRecord | undefined,
  { now, livemode }: { now: number; livemode: boolean },
): MerchantEvent {
  return {
    id: newEventId(),
    type: TYPE_OF_OUTCOME[payment.outcome],
    created: Math.floor(now / 1000),
    livemode,
    data: {
      order: order ? toOrderView(order, now) : null,
      payment: {
        pay_no: payment.payNo,
        money: payment.money === null ? null : formatCents(payment.money),
        outcome: payment.outcome,
        pay_time: payment.payTime,
        param: payment.param,
      },
    },
  };
}

export function refundEvent(
  refund: RefundRecord,
  order: OrderRecord,
  { now, livemode }: { now: number; livemode: boolean },
): RefundEvent {
  return {
    id: newEventId(),
    type: 'order.refunded',
    created: Math.floor(now / 1000),
    livemode,
    data: {
      order: toOrderView(order, now),
      refund: {
        id: refund.id,
        money: formatCents(refund.money),
        refunded: formatCents(order.refunded),
        actor: refund.actor,
      },
    },
  };
}

/** The onPaid hook hears of money that settled an order; the webhook hears of everything. */
const HOOK_TYPES: readonly EventType[] = ['order.paid', 'order.paid_late'];

/** One outbox row per destination that takes this event, all with the same event id. */
export function outboxRows(
  event: MerchantEvent | RefundEvent,
  destinations: readonly Destination[],
  now: number,
): NewOutboxEvent[] {
  const payload = JSON.stringify(event);
  const takers = destinations.filter((destination) => destination === 'webhook' || HOOK_TYPES.includes(event.type));
  return takers.map((destination) => ({
    id: event.id,
    destination,
    type: event.type,
    orderId: event.data.order?.id ?? null,
    payload,
    createdAt: now,
  }));
}
