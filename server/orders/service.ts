/** Orders: create at the gateway, receive its notify, expire what nobody paid. Provider-blind. */
import { randomFillSync } from 'node:crypto';
import { formatCents, type Cents } from '../../shared/money.ts';
import { ApiError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Destination, IncomingPayment, NewOutboxEvent, OrderRecord, PaymentOutcome } from '../model/index.ts';
import { outboxRows, paymentEvent } from '../outbox/events.ts';
import type { PaymentProvider, VerifiedPayment } from '../providers/provider.ts';
import type { PaymentResult, Store } from '../store/types.ts';
import type { OpenOrders } from './open-orders.ts';
import type { StatusPublisher } from './publisher.ts';
import type { CreateOrderCommand } from './request.ts';
import { settlePayment, settleReview } from './settle.ts';

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

/**
 * One order asked about: `found` a payment now recorded, `known` one recorded before, `not paid`,
 * `query failed`, or `no query` (the gateway has none).
 */
export type GatewayCheck = 'found' | 'known' | 'not paid' | 'query failed' | 'no query';

/** What the merchant's events tell of a payment, new or recorded. */
type SettledPayment = Pick<IncomingPayment, 'payNo' | 'money' | 'fields'>;

export class OrderService {
  private readonly options: OrderServiceOptions;
  private readonly now: () => number;
  private lastNotify: number | null = null;

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
      {
        money,
        gatewayOrderId,
        qrPayload: qr.payload,
        qrImageUrl: qr.imageUrl,
        qrLink: qr.link ?? null,
        qrEnterAmount: qr.enterAmount ?? false,
        expiresAt,
      },
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
    this.lastNotify = this.now();
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
    const { store } = this.options;
    const now = this.now();
    const horizon = options.horizonMs ?? this.options.reconcileHorizonMs ?? 15 * 60_000;
    const orders = await store.ordersToCheck(now, horizon, now - (options.recheckAfterMs ?? 0), options.limit ?? 50);
    let found = 0;
    for (const order of orders) if ((await this.askGateway(order)) === 'found') found++;
    await store.markChecked(
      orders.map((order) => order.id),
      now,
    );
    return found;
  }

  /** What the gateway's order query says of one order: a new payment recorded, or why not. */
  private async askGateway(order: OrderRecord): Promise<GatewayCheck> {
    const answer = await this.options.provider.queryOrder({ id: order.id, gatewayOrderId: order.gatewayOrderId });
    if (!answer) return 'no query';
    if ('error' in answer) {
      this.options.log.warn('reconcile: query failed', { orderId: order.id, error: answer.error });
      return 'query failed';
    }
    if (!answer.paid) return 'not paid';
    return (await this.record(answer.payment, 'query')).duplicate ? 'known' : 'found';
  }

  /** Asks the gateway about one order now (the merchant's console); undefined: no such order. */
  async reconcileOrder(id: string): Promise<{ order: OrderRecord; check: GatewayCheck } | undefined> {
    const order = await this.options.store.getOrder(id);
    if (!order) return undefined;
    const check = await this.askGateway(order);
    await this.options.store.markChecked([id], this.now());
    return { order: (await this.options.store.getOrder(id)) ?? order, check };
  }

  /** When this process last received a notify the gateway signed; null: not since it started. */
  get lastNotifyAt(): number | null {
    return this.lastNotify;
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

  /** Expires unpaid orders and fails orders left `creating` by a crash or a lost gateway call. */
  async sweep(): Promise<void> {
    const { store, publisher } = this.options;
    const now = this.now();
    const creatingDeadline = now - this.creatingLimitMs();
    const changed = [...(await store.expireDue(now)), ...(await store.failStaleCreating(creatingDeadline, now))];
    for (const order of changed) publisher.publish(order);
  }
}
