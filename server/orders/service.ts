/** Orders: create at the gateway, receive its notify, expire what nobody paid. Provider-blind. */
import { randomBytes, randomFillSync } from 'node:crypto';
import { formatCents, type Cents } from '../../shared/money.ts';
import { ApiError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type {
  Destination,
  IncomingPayment,
  NewOutboxEvent,
  OrderRecord,
  PaymentOutcome,
  RefundRecord,
  RefundSettlement,
} from '../model/index.ts';
import { outboxRows, paymentEvent, refundEvent } from '../outbox/events.ts';
import type { PaymentProvider, RefundAnswer, VerifiedPayment } from '../providers/provider.ts';
import type { PaymentResult, Store } from '../store/types.ts';
import type { OpenOrders } from './open-orders.ts';
import type { StatusPublisher } from './publisher.ts';
import type { CreateOrderCommand } from './request.ts';
import { judgeRefund, paidMoney, type RefundVerdict } from './refund.ts';
import { changed, settlePayment, settleReview } from './settle.ts';

export interface OrderServiceOptions {
  store: Store;
  /** The merchant's gateway. */
  provider: PaymentProvider;
  publisher: StatusPublisher;
  log: Logger;
  orderTtlSeconds: number;
  gatewayTimeoutMs: number;
  /** false with the sandbox gateway: events say their payments are simulated. */
  livemode: boolean;
  /** Where merchant events go; each payment writes one outbox row per destination. */
  destinations?: readonly Destination[];
  /** Called after a commit that wrote outbox rows (to deliver them now, not at the next poll). */
  onEventsWritten?: () => void;
  /** How long after expiry reconciliation keeps asking about an order. */
  reconcileHorizonMs?: number;
  /** How far the gateway's amount may lie from the price (cents); none: any amount. */
  moneyTolerance?: { below: Cents; above: Cents };
  /** Counts public orders open per client and in all. */
  openOrders?: OpenOrders;
  now?: () => number;
}

const ORDER_ID_BYTES = 18;
/** Random bytes drawn for 256 ids at a time (like Node's own randomUUID): one call into the CSPRNG, not one an order. */
const RANDOM_POOL = Buffer.alloc(ORDER_ID_BYTES * 256);
let randomPoolAt = RANDOM_POOL.length;

/**
 * Our order id, the gateway's order number for us (CodePay's pay_id): 144 random bits in hex (36
 * characters): URL-safe, and never starting with '-'
 * (which a command line would take for an option and a spreadsheet for a formula).
 */
export function newOrderId(): string {
  if (randomPoolAt === RANDOM_POOL.length) {
    randomFillSync(RANDOM_POOL);
    randomPoolAt = 0;
  }
  randomPoolAt += ORDER_ID_BYTES;
  return RANDOM_POOL.toString('hex', randomPoolAt - ORDER_ID_BYTES, randomPoolAt);
}

export type NotifyAnswer = 'success' | 'fail';

/** A refund's id: random, URL-safe, prefixed so it is never taken for an order id. */
function newRefundId(): string {
  return `rf_${randomBytes(12).toString('base64url')}`;
}

function notSupported(): ApiError {
  const message = "This shop's gateway cannot give money back: refund the buyer from the gateway's own admin.";
  return new ApiError('REFUND_NOT_SUPPORTED', message);
}

function refusedBy(message: string): ApiError {
  return new ApiError(
    'REFUND_REFUSED',
    `The gateway refused the refund: ${message || 'no reason given'}. Nothing was given back.`,
  );
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

/** What the merchant's events tell of a payment, new or recorded. */
type SettledPayment = Pick<IncomingPayment, 'payNo' | 'money' | 'fields'>;

export class OrderService {
  private readonly options: OrderServiceOptions;
  private readonly now: () => number;

  constructor(options: OrderServiceOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  /**
   * Creates an order at the gateway. `client`: the public caller's key, whose open orders are
   * counted and capped (undefined for the merchant's backend).
   */
  async create(command: CreateOrderCommand, client?: string): Promise<OrderRecord> {
    const id = newOrderId();
    const open = this.options.openOrders;
    if (client !== undefined) open?.hold(client, id, this.now() + this.creatingLimitMs(), this.now());
    try {
      const order = await this.createAtGateway(id, command);
      open?.extend(id, order.expiresAt ?? 0);
      return order;
    } catch (error) {
      open?.release(id);
      throw error;
    }
  }

  /** The row is written before the gateway is called, so no notify can name an order we don't know. */
  private async createAtGateway(id: string, command: CreateOrderCommand): Promise<OrderRecord> {
    const { store, provider, publisher } = this.options;
    await store.insertOrder({ id, ...command, createdAt: this.now() });
    let created;
    try {
      created = await provider.createOrder({
        id,
        type: command.type,
        price: command.price,
        param: command.param,
        lifetimeSeconds: this.options.orderTtlSeconds,
      });
      this.checkAmount(command.price, created.money);
    } catch (error) {
      const code = error instanceof ApiError ? error.code : 'GATEWAY_UNAVAILABLE';
      const failed = await store.markFailed(id, code, this.now());
      if (failed) publisher.publish(failed);
      this.options.log.warn('gateway refused an order', { orderId: id, code });
      throw error;
    }
    const { qr } = created;
    const now = this.now();
    // The gateway's clock may differ from ours: keep only the lifetime it gave.
    const expiresAt = now + created.lifetimeMs;
    const { money, gatewayOrderId } = created;
    const order = await store.markPending(
      id,
      { money, gatewayOrderId, qrPayload: qr.payload, qrImageUrl: qr.imageUrl, expiresAt },
      now,
    );
    if (!order) throw new ApiError('INTERNAL', 'The order disappeared while it was being created.');
    publisher.publish(order);
    return order;
  }

  /**
   * CodePay tells open orders of one price apart by asking each a slightly different amount; one
   * too far from the price (0.01 for 9.90, once many are open) would sell the order for it.
   */
  private checkAmount(price: Cents, money: Cents): void {
    const tolerance = this.options.moneyTolerance;
    if (!tolerance || (money >= price - tolerance.below && money <= price + tolerance.above)) return;
    const asked = `The gateway asked ${formatCents(money)} for an order of ${formatCents(price)}`;
    const message = `${asked}, further than the shop accepts; the order was cancelled. Please try again later.`;
    throw new ApiError('GATEWAY_AMOUNT_MISMATCH', message);
  }

  /** How long an order may stay `creating` before it is failed as lost. */
  private creatingLimitMs(): number {
    return this.options.gatewayTimeoutMs * 2 + 10_000;
  }

  get(id: string): Promise<OrderRecord | undefined> {
    return this.options.store.getOrder(id);
  }

  /** The merchant's events of a settled payment: one outbox row per destination that takes it. */
  private eventsOf(outcome: PaymentOutcome, order: OrderRecord | undefined, payment: SettledPayment): NewOutboxEvent[] {
    const destinations = this.options.destinations ?? [];
    if (destinations.length === 0) return [];
    const now = this.now();
    const { payNo, money, fields } = payment;
    const summary = { payNo, money, outcome, ...this.options.provider.details(fields) };
    return outboxRows(paymentEvent(summary, order, { now, livemode: this.options.livemode }), destinations, now);
  }

  /** Records a payment the gateway vouched for and moves its order, with its events, in one transaction. */
  private async record(payment: VerifiedPayment, via: 'notify' | 'return' | 'query'): Promise<PaymentResult> {
    const { payNo, orderId, money, fields } = payment;
    const incoming = { payNo, payId: orderId, money, fields, receivedAt: this.now() };
    const result = await this.options.store.recordPayment(incoming, (order) => {
      const { outcome, change } = settlePayment(order, incoming);
      return { outcome, change, events: (settled) => this.eventsOf(outcome, settled, incoming) };
    });
    if (result.statusChanged && result.order) {
      this.options.publisher.publish(result.order);
      this.options.openOrders?.release(result.order.id);
    }
    if (!result.duplicate && this.options.destinations?.length) this.options.onEventsWritten?.();
    this.options.log.info('payment recorded', {
      via,
      payNo,
      orderId: result.order?.id ?? null,
      outcome: result.outcome,
      duplicate: result.duplicate,
    });
    return result;
  }

  /**
   * The gateway's notify: `success` only after the commit, also for a duplicate; `fail` for
   * anything not signed by the gateway, so that it is sent again.
   */
  async receiveNotify(rawBody: string): Promise<{ answer: NotifyAnswer; result?: PaymentResult }> {
    const payment = this.options.provider.readPayment(rawBody);
    if (!payment) {
      // Forged notifies can come by the thousand a second: their repeats are counted, not each logged.
      this.options.log.repeated('refused notify', 'warn', 'notify refused: not signed by the gateway');
      return { answer: 'fail' };
    }
    return { answer: 'success', result: await this.record(payment, 'notify') };
  }

  /** The buyer back from the gateway (return_url) with the same signed fields: recorded like a notify. */
  async receiveReturn(query: string): Promise<PaymentResult | undefined> {
    const payment = this.options.provider.readPayment(query);
    return payment && this.record(payment, 'return');
  }

  /**
   * Asks the gateway about pending orders near expiry and orders that expired lately; a paid
   * answer goes the notify's way. Returns how many payments it found. `horizonMs` widens the look back.
   */
  async reconcile(options: { horizonMs?: number; recheckAfterMs?: number; limit?: number } = {}): Promise<number> {
    const { store, provider } = this.options;
    const now = this.now();
    const horizon = options.horizonMs ?? this.options.reconcileHorizonMs ?? 15 * 60_000;
    const orders = await store.ordersToCheck(now, horizon, now - (options.recheckAfterMs ?? 0), options.limit ?? 50);
    let found = 0;
    for (const order of orders) {
      const answer = await provider.queryOrder({ id: order.id, gatewayOrderId: order.gatewayOrderId });
      if (!answer || 'error' in answer) {
        if (answer) this.options.log.warn('reconcile: query failed', { orderId: order.id, error: answer.error });
        continue;
      }
      if (!answer.paid) continue;
      const result = await this.record(answer.payment, 'query');
      if (!result.duplicate) found++;
    }
    await store.markChecked(
      orders.map((order) => order.id),
      now,
    );
    return found;
  }

  /** The merchant looked at a payment in review: accept it (paid, with its events) or reject it. */
  async resolveReview(id: string, decision: 'accept' | 'reject'): Promise<OrderRecord | undefined> {
    const now = this.now();
    const order = await this.options.store.changeOrder(id, now, (current, payments) => {
      const settled = settleReview(current, payments, decision, now);
      if (!settled) return undefined;
      const { change, paying } = settled;
      return { change, events: paying && ((accepted) => this.eventsOf('paid', accepted, paying)) };
    });
    if (order) {
      this.options.publisher.publish(order);
      if (this.options.destinations?.length) this.options.onEventsWritten?.();
    }
    return order;
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
      answer = { ok: false, message: 'the gateway could not be asked', outcomeUnknown: true };
    }
    if (!answer.ok && answer.outcomeUnknown) {
      // The gateway may have given the money back or not: the refund stays pending, its money held,
      // until the merchant has looked at the gateway's admin (refund --settle).
      this.options.log.warn('refund: no answer from the gateway', log);
      const message = `No answer from the gateway to refund ${refund.id} (${answer.message}); it stays pending: look in the gateway's admin whether the money went back, then record it with the admin CLI's refund --settle.`;
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

  /** Expires unpaid orders and fails orders left `creating` by a crash or a lost gateway call. */
  async sweep(): Promise<void> {
    const { store, publisher } = this.options;
    const now = this.now();
    const creatingDeadline = now - this.creatingLimitMs();
    const changed = [...(await store.expireDue(now)), ...(await store.failStaleCreating(creatingDeadline, now))];
    for (const order of changed) publisher.publish(order);
  }
}
