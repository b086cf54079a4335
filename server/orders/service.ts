/** Orders: create at the gateway, receive its notify, expire what nobody paid. */
import { randomFillSync } from 'node:crypto';
import { formatCents, parseAmount, type Cents } from '../../shared/money.ts';
import { createOrderParams, isPayNo, parseForm, verify, type Params } from '../codepay/protocol.ts';
import { ApiError } from '../errors.ts';
import type { Config } from '../config.ts';
import { gatewayClientFor, type GatewayClient, type GatewayTransport } from '../gateway/client.ts';
import type { Logger } from '../log.ts';
import { outboxRows, paymentEvent, type Destination } from '../outbox/events.ts';
import type { EventsFor, OrderRecord, PaymentResult, Store } from '../store/types.ts';
import { OpenOrders } from './open-orders.ts';
import type { StatusPublisher } from './publisher.ts';
import type { CreateOrderCommand } from './request.ts';

export interface OrderServiceOptions {
  store: Store;
  gateway: GatewayClient;
  publisher: StatusPublisher;
  log: Logger;
  merchantId: string;
  merchantKey: string;
  notifyUrl: string;
  /** The signer's /api/return, given to the gateway when the merchant set return pages. */
  returnUrl?: string;
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

/**
 * The options that come from the configuration. `listening`: where the signer itself answers (the
 * sandbox's address in sandbox mode); `publicUrl`: where the gateway and the buyer reach it;
 * `sandbox`: the mounted sandbox, called in-process.
 */
export function configuredOptions(config: Config, listening: string, publicUrl: string, sandbox?: GatewayTransport) {
  return {
    gateway: gatewayClientFor(config, listening, sandbox),
    merchantId: config.merchantId,
    merchantKey: config.merchantKey,
    livemode: config.gatewayUrl !== null,
    notifyUrl: `${publicUrl}/api/notify`,
    returnUrl: config.returnUrls ? `${publicUrl}/api/return` : undefined,
    orderTtlSeconds: config.orderTtlSeconds,
    gatewayTimeoutMs: config.gatewayTimeoutMs,
    moneyTolerance: config.moneyTolerance,
    openOrders: new OpenOrders(config.openOrderLimits),
  } satisfies Partial<OrderServiceOptions>;
}

const ORDER_ID_BYTES = 18;
/** Random bytes drawn for 256 ids at a time (like Node's own randomUUID): one call into the CSPRNG, not one an order. */
const RANDOM_POOL = Buffer.alloc(ORDER_ID_BYTES * 256);
let randomPoolAt = RANDOM_POOL.length;

/**
 * The CodePay pay_id: 144 random bits in hex (36 characters): URL-safe, and never starting with '-'
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
    const { store, gateway, publisher } = this.options;
    await store.insertOrder({ id, ...command, createdAt: this.now() });
    let answer;
    try {
      answer = await gateway.createOrder(
        createOrderParams({
          merchantId: this.options.merchantId,
          payId: id,
          type: command.type,
          price: command.price,
          param: command.param ?? undefined,
          notifyUrl: this.options.notifyUrl,
          returnUrl: this.options.returnUrl,
          outTime: this.options.orderTtlSeconds,
        }),
      );
      this.checkAmount(command.price, answer.money);
    } catch (error) {
      const code = error instanceof ApiError ? error.code : 'GATEWAY_UNAVAILABLE';
      const failed = await store.markFailed(id, code, this.now());
      if (failed) publisher.publish(failed);
      this.options.log.warn('gateway refused an order', { orderId: id, code });
      throw error;
    }
    const qr = await gateway.readQr(answer.qrcode);
    const now = this.now();
    // The gateway's clock may differ from ours: keep only the lifetime it gave.
    const expiresAt = now + (answer.endTime - answer.serverTime) * 1000;
    const order = await store.markPending(
      id,
      { money: answer.money, gatewayOrderId: answer.gatewayOrderId, qrPayload: qr.payload, qrImageUrl: qr.imageUrl, expiresAt },
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

  /**
   * Gateway-signed fields (notify or return): every non-empty field verified (none holding `&` or
   * `=`), pay_no in the gateway's form.
   */
  private signedPayment(body: string): Params | undefined {
    const params = parseForm(body);
    if (!params || !isPayNo(params.pay_no) || !params.pay_id) return undefined;
    if (!verify(params, this.options.merchantKey)) return undefined;
    // Freshly parsed and ours: drop the sign in place (a copy of a null-prototype object is slow).
    delete params.sign;
    return params;
  }

  private readonly eventsFor: EventsFor = ({ outcome, order, payment }) => {
    const destinations = this.options.destinations ?? [];
    if (destinations.length === 0) return [];
    const now = this.now();
    const event = paymentEvent({ payNo: payment.payNo, money: payment.money, outcome, fields: payment.fields }, order, {
      now,
      livemode: this.options.livemode,
    });
    return outboxRows(event, destinations, now);
  };

  /** Records a payment the gateway vouched for and moves its order, with its events, in one transaction. */
  private async record(fields: Params, via: 'notify' | 'return' | 'ispay'): Promise<PaymentResult> {
    const result = await this.options.store.recordPayment(
      { payNo: fields.pay_no, payId: fields.pay_id, money: parseAmount(fields.money) ?? null, fields, receivedAt: this.now() },
      this.eventsFor,
    );
    if (result.statusChanged && result.order) {
      this.options.publisher.publish(result.order);
      this.options.openOrders?.release(result.order.id);
    }
    if (!result.duplicate && this.options.destinations?.length) this.options.onEventsWritten?.();
    this.options.log.info('payment recorded', {
      via,
      payNo: fields.pay_no,
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
    const fields = this.signedPayment(rawBody);
    if (!fields) {
      // Forged notifies can come by the thousand a second: their repeats are counted, not each logged.
      this.options.log.repeated('refused notify', 'warn', 'notify refused: not signed by the gateway');
      return { answer: 'fail' };
    }
    return { answer: 'success', result: await this.record(fields, 'notify') };
  }

  /** The buyer back from the gateway (return_url) with the same signed fields: recorded like a notify. */
  async receiveReturn(query: string): Promise<PaymentResult | undefined> {
    const fields = this.signedPayment(query);
    return fields && this.record(fields, 'return');
  }

  /**
   * Asks the gateway's ispay about pending orders near expiry and orders that expired lately; a paid
   * answer goes the notify's way. Returns how many payments it found. `horizonMs` widens the look back.
   */
  async reconcile(options: { horizonMs?: number; recheckAfterMs?: number; limit?: number } = {}): Promise<number> {
    const { store, gateway } = this.options;
    const now = this.now();
    const horizon = options.horizonMs ?? this.options.reconcileHorizonMs ?? 15 * 60_000;
    const orders = await store.ordersToCheck(now, horizon, now - (options.recheckAfterMs ?? 0), options.limit ?? 50);
    let found = 0;
    for (const order of orders) {
      const answer = await gateway.isPaid({ payId: order.id, gatewayOrderId: order.gatewayOrderId });
      if (!answer || 'error' in answer) {
        if (answer) this.options.log.warn('reconcile: ispay failed', { orderId: order.id, error: answer.error });
        continue;
      }
      if (!answer.paid) continue;
      const result = await this.record({ ...answer.fields, pay_id: order.id, pay_no: answer.payNo }, 'ispay');
      if (!result.duplicate) found++;
    }
    await store.markChecked(orders.map((order) => order.id), now);
    return found;
  }

  /** The merchant looked at a payment in review: accept it (paid, with its events) or reject it. */
  async resolveReview(id: string, decision: 'accept' | 'reject'): Promise<OrderRecord | undefined> {
    const order = await this.options.store.resolveReview(id, decision, this.now(), this.eventsFor);
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
