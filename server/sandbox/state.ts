/** The sandbox's orders and payments, in memory. No I/O: routes and the notifier do that. */
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

export class SandboxState {
  private readonly orders = new Map<string, Order>();
  private readonly payments = new Map<string, Payment>();
  private readonly amounts: AmountPool;

  constructor(
    moneySpanCents: number,
    private readonly now: () => number,
  ) {
    this.amounts = new AmountPool(moneySpanCents);
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Undefined when every amount near the price is taken by an open order. */
  createOrder(input: NewOrder): Order | undefined {
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
