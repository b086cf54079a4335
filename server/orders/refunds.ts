/**
 * Refunds of paid orders, provider-blind: recorded pending under the order's lock before the
 * gateway is asked, then settled with its answer, with the order's `order.refunded` event.
 */
import { randomBytes } from 'node:crypto';
import { formatCents, type Cents } from '../../shared/money.ts';
import { ApiError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Destination, OrderRecord, RefundRecord, RefundSettlement } from '../model/index.ts';
import { outboxRows, refundEvent } from '../outbox/events.ts';
import type { PaymentProvider, RefundAnswer } from '../providers/provider.ts';
import type { Store } from '../store/types.ts';
import type { StatusPublisher } from './publisher.ts';
import { judgeRefund, paidMoney, type RefundVerdict } from './refund-rules.ts';
import { changed } from './settle.ts';

export interface RefundsOptions {
  store: Store;
  provider: PaymentProvider;
  publisher: StatusPublisher;
  log: Logger;
  livemode: boolean;
  destinations?: readonly Destination[];
  onEventsWritten?: () => void;
  now: () => number;
}

/** A refund's id: random, URL-safe, prefixed so it is never taken for an order id. */
function newRefundId(): string {
  return `rf_${randomBytes(12).toString('base64url')}`;
}

function notSupported(): ApiError {
  const message = "This shop's gateway cannot give money back: refund the buyer from the gateway's own admin.";
  return new ApiError('REFUND_NOT_SUPPORTED', message);
}

function refusedBy(message: string): ApiError {
  return new ApiError('REFUND_REFUSED', `${message || 'The gateway refused the refund.'} Nothing was given back.`);
}

/** A refund and its order after it; `replayed`: the answer to an earlier request with the same key. */
export interface RefundResult {
  refund: RefundRecord;
  order: OrderRecord;
  replayed: boolean;
}

export interface RefundCommand {
  /** undefined: what is left. */
  money: Cents | undefined;
  /** Who asks: `cli`, `api`, `console:<who>`. */
  actor: string;
  /** The caller's Idempotency-Key: the same key on the same order refunds once. */
  requestKey?: string | null;
}

export class Refunds {
  private readonly options: RefundsOptions;

  constructor(options: RefundsOptions) {
    this.options = options;
  }

  private now(): number {
    return this.options.now();
  }

  /**
   * Gives (part of) a paid order's money back at the gateway. The refund is recorded as pending
   * before the gateway is asked, under the order's lock, so two requests never give back more than
   * was paid; the answer then settles it, with the order's `order.refunded` event. A refund in full
   * makes the order `refunded`; a partial one leaves it `paid` with its refunded sum.
   */
  async refund(orderId: string, command: RefundCommand): Promise<RefundResult> {
    const { store, provider } = this.options;
    const requestKey = command.requestKey ?? null;
    let verdict: RefundVerdict | undefined;
    let order: OrderRecord | undefined;
    const refund = await store.beginRefund(orderId, (locked, payments, refunds) => {
      order = locked;
      verdict = judgeRefund(locked, payments, refunds, { money: command.money, requestKey });
      // Judged first, so that an unpaid order or too large an amount is said as such on any gateway.
      if ('refund' in verdict && !provider.refund) verdict = { refusal: notSupported() };
      if (!('refund' in verdict)) return undefined;
      const { actor } = command;
      return { id: newRefundId(), orderId, money: verdict.refund, actor, requestKey, createdAt: this.now() };
    });
    if (!verdict || !order) throw new ApiError('ORDER_NOT_FOUND', 'There is no such order.');
    if ('refusal' in verdict) throw verdict.refusal;
    if ('earlier' in verdict) return this.replay(verdict.earlier, order);
    if (!refund || !provider.refund) throw new ApiError('INTERNAL', 'The refund was not recorded.');
    const paid = verdict.paid;
    const log = { orderId, refundId: refund.id, money: formatCents(refund.money), actor: command.actor };
    let answer: RefundAnswer;
    try {
      answer = await provider.refund({ id: order.id, gatewayOrderId: order.gatewayOrderId }, refund.money);
    } catch {
      answer = { ok: false, message: 'The gateway could not be asked.', outcomeUnknown: true };
    }
    if (!answer.ok && answer.outcomeUnknown) {
      // The gateway may have given the money back or not: the refund stays pending, its money held,
      // until the merchant has looked at the gateway's admin (refund --settle).
      this.options.log.warn('refund: no answer from the gateway', log);
      const message = `${answer.message} Refund ${refund.id} stays pending: look in the gateway's admin whether the money went back, then record it with the admin CLI's refund --settle.`;
      throw new ApiError('REFUND_OUTCOME_UNKNOWN', message);
    }
    const settlement: RefundSettlement = answer.ok
      ? { status: 'succeeded', message: null }
      : { status: 'failed', message: answer.message };
    const settled = await this.settleRefund(refund.id, settlement, paid);
    this.options.log.info('refund settled', { ...log, status: settlement.status });
    if (!answer.ok) throw refusedBy(answer.message);
    return { ...settled, replayed: false };
  }

  /**
   * What became of a refund the gateway did not answer, as the merchant read it in the gateway's
   * admin: succeeded (the order's refunded sum and event, as for an answer) or failed (its money
   * free to refund again).
   */
  async settlePendingRefund(
    orderId: string,
    refundId: string,
    status: RefundSettlement['status'],
  ): Promise<RefundResult> {
    const { store } = this.options;
    const order = await store.getOrder(orderId);
    const pending = (await store.listRefunds({ orderId })).find((refund) => refund.id === refundId);
    if (!order || pending?.status !== 'pending') {
      throw new ApiError('NOT_FOUND', `Order ${orderId} has no pending refund ${refundId}.`);
    }
    const paid = paidMoney(order, await store.listPayments({ orderId }));
    const message = status === 'failed' ? 'recorded as not given back by the merchant' : null;
    const settled = await this.settleRefund(refundId, { status, message }, paid);
    this.options.log.info('refund settled by hand', { orderId, refundId, status });
    return { ...settled, replayed: false };
  }

  /** Records the gateway's answer to a pending refund; a refund of everything paid makes the order `refunded`. */
  private async settleRefund(id: string, settlement: RefundSettlement, paid: Cents) {
    const now = this.now();
    const destinations = this.options.destinations ?? [];
    const settled = await this.options.store.settleRefund(id, settlement, now, (order, refund) => {
      if (refund.status !== 'succeeded') return {};
      const full = order.refunded >= paid;
      return {
        change: full ? changed(order, { status: 'refunded' }) : undefined,
        events: (after) =>
          destinations.length === 0
            ? []
            : outboxRows(refundEvent(refund, after, { now, livemode: this.options.livemode }), destinations, now),
      };
    });
    if (!settled) throw new ApiError('INTERNAL', `Refund ${id} was settled by someone else meanwhile.`);
    this.options.publisher.publish(settled.order);
    if (settlement.status === 'succeeded' && destinations.length > 0) this.options.onEventsWritten?.();
    return settled;
  }

  /** The same answer as the first request with this key: the refund, its refusal, or that it waits. */
  private replay(earlier: RefundRecord, order: OrderRecord): RefundResult {
    if (earlier.status === 'failed') throw refusedBy(earlier.message ?? '');
    if (earlier.status === 'pending') {
      const message = `Refund ${earlier.id} with this Idempotency-Key waits for the gateway's answer.`;
      throw new ApiError('REFUND_IN_PROGRESS', message);
    }
    return { refund: earlier, order, replayed: true };
  }
}
