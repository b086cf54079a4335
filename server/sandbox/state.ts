/**
 * The sandbox's orders and payments, in memory. No I/O: routes and the notifier do that. Orders are
 * forgotten a while after they expired (see forgetOld), so a stream of orders holds bounded memory.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Channel } from '../../shared/api.ts';
import type { Cents } from '../../shared/money.ts';
import { AmountPool } from './amounts.ts';

export interface Order {
  /** The gateway's order id (`order_id`): digits, like the real one. */
  orderId: string;
  payId: string;
  type: Channel;
  price: Cents;
  /** What the buyer must pay, distinct among open orders of the channel. */
  money: Cents;
  param: string;
  notifyUrl: string;
  returnUrl: string;
  chart: string;
  /** Unix seconds, as the gateway speaks them. */
  serverTime: number;
  endTime: number;
  notiryKey: string;
}

/** A payment carries its order's fields (notifyUrl: where this payment's notifies go). */
export interface Payment extends Pick<Order, 'orderId' | 'payId' | 'type' | 'price' | 'param' | 'chart' | 'notifyUrl'> {
  /** The gateway's unique serial number (`pay_no`), 32 digits like the document's example. */
  payNo: string;
  /** What the buyer actually paid; normally the order's money. */
  money: Cents;
  payTime: number;
  /** Paid after the order's endTime: money arrived anyway and must still be notified. */
  late: boolean;
}

export type NewOrder = Omit<Order, 'orderId' | 'money' | 'serverTime' | 'endTime' | 'notiryKey'> & {
  outTime: number;
};

/** `count` random decimal digits, drawn twelve at a time (randomInt's range ends below 10^15). */
function digits(count: number): string {
  let text = '';
  while (text.length < count) text += String(randomInt(1e12)).padStart(12, '0');
  return text.slice(0, count);
}

/** yyyyMMddHHmmss in UTC followed by random digits. */
function payNumber(nowMs: number): string {
  return new Date(nowMs).toISOString().replace(/\D/g, '').slice(0, 14) + digits(18);
}

/** The notifies of payments, as far as forgetting their orders needs them. */
export interface NotifyRecords {
  /** True once nothing more will be sent for the payment (delivered, given up, or nowhere to send). */
  isDone(payNo: string): boolean;
  forget(payNos: ReadonlySet<string>): void;
}

/** How long an expired order stays: it may still be paid late, and ispay still answers for it. */
const KEEP_EXPIRED_MS = 10 * 60_000;
/** Old orders are looked for at most this often (sandbox clock), when an order is created. */
const FORGET_EVERY_MS = 10_000;

export class SandboxState {
  private readonly orders = new Map<string, Order>();
  private readonly payments = new Map<string, Payment>();
  private readonly amounts: AmountPool;
  private lastForget: number;

  constructor(
    moneySpanCents: number,
    private readonly now: () => number,
    private readonly notifies: NotifyRecords,
  ) {
    this.amounts = new AmountPool(moneySpanCents);
    this.lastForget = now();
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Undefined when every amount near the price is taken by an open order. */
  createOrder(input: NewOrder): Order | undefined {
    if (this.now() - this.lastForget >= FORGET_EVERY_MS) this.forgetOld();
    const { outTime, ...fields } = input;
    let orderId: string;
    do orderId = digits(13);
    while (this.orders.has(orderId));
    const serverTime = this.nowSeconds();
    const endTime = serverTime + outTime;
    const money = this.amounts.take(input.type, input.price, { orderId, endTime }, serverTime);
    if (money === undefined) return undefined;
    const order: Order = { ...fields, orderId, money, serverTime, endTime, notiryKey: randomBytes(16).toString('hex') };
    this.orders.set(orderId, order);
    return order;
  }

  order(orderId: string): Order | undefined {
    return this.orders.get(orderId);
  }

  /** pay_id is the merchant's reference and may repeat; the newest order answers for it. */
  latestOrderOf(payId: string): Order | undefined {
    let latest: Order | undefined;
    for (const order of this.orders.values()) if (order.payId === payId) latest = order;
    return latest;
  }

  isExpired(order: Order): boolean {
    return this.nowSeconds() >= order.endTime;
  }

  paymentOf(orderId: string): Payment | undefined {
    return this.payments.get(orderId);
  }

  /**
   * Records the buyer's payment; an order is paid at most once, so paying again returns the first
   * payment with `created: false`. `extraCents` makes the buyer pay a different amount.
   */
  pay(order: Order, notifyUrl: string, extraCents = 0): { payment: Payment; created: boolean } {
    const existing = this.payments.get(order.orderId);
    if (existing) return { payment: existing, created: false };
    const nowMs = this.now();
    const payment: Payment = {
      payNo: payNumber(nowMs),
      orderId: order.orderId,
      payId: order.payId,
      type: order.type,
      price: order.price,
      money: order.money + extraCents,
      param: order.param,
      chart: order.chart,
      notifyUrl,
      payTime: Math.floor(nowMs / 1000),
      late: this.isExpired(order),
    };
    this.payments.set(order.orderId, payment);
    this.amounts.release(order.type, order.money, order.orderId);
    return { payment, created: true };
  }

  /**
   * Forgets orders that expired more than KEEP_EXPIRED_MS ago, unpaid; and paid ones as long after
   * their expiry and payment, once their notify is done (a payment is never forgotten unsent).
   */
  forgetOld(): void {
    const nowMs = this.now();
    this.lastForget = nowMs;
    const forgotten = new Set<string>();
    for (const [orderId, order] of this.orders) {
      const payment = this.payments.get(orderId);
      const since = Math.max(order.endTime, payment?.payTime ?? 0) * 1000;
      if (nowMs - since < KEEP_EXPIRED_MS || (payment && !this.notifies.isDone(payment.payNo))) continue;
      this.orders.delete(orderId);
      if (payment) {
        this.payments.delete(orderId);
        forgotten.add(payment.payNo);
      } else {
        this.amounts.release(order.type, order.money, orderId);
      }
    }
    if (forgotten.size > 0) this.notifies.forget(forgotten);
  }

  listOrders(): Order[] {
    return [...this.orders.values()];
  }

  listPayments(): Payment[] {
    return [...this.payments.values()];
  }

  clear(): void {
    this.orders.clear();
    this.payments.clear();
    this.amounts.clear();
  }
}
