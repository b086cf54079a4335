/**
 * The V免签 sandbox's orders and its simulated monitor phone, in memory; no I/O. Like V免签, it
 * tells open orders of one type apart by their reallyPrice: a new order takes the first free
 * amount from its price up, a cent at a time, ten tries at most.
 */
import { randomInt } from 'node:crypto';
import { MAX_CENTS, type Cents } from '../../../shared/money.ts';
import type { VmqType } from '../../vmq/protocol.ts';
import type { NotifyRecords } from '../state.ts';

/** V免签's order states: 0 unpaid, 1 paid and notified, 2 paid but the notify failed, -1 expired or closed. */
export type VmqState = 0 | 1 | 2 | -1;
/** What the order holds: paid is 2 until its notify is acknowledged (see stateOf). */
type HeldState = 0 | 2 | -1;

export interface VmqSandboxOrder {
  /** V免签's own order number: yyyyMMddHHmmss and random digits. */
  orderId: string;
  payId: string;
  type: VmqType;
  price: Cents;
  reallyPrice: Cents;
  param: string;
  notifyUrl: string;
  returnUrl: string;
  /** The QR has no amount in it (no fixed-amount code for reallyPrice): the buyer types it. */
  isAuto: boolean;
  state: HeldState;
  /** Unix seconds. */
  createdAt: number;
  /** Unix seconds; 0 until paid. */
  paidAt: number;
}

/** How many cents up V免签 looks for a free reallyPrice before answering 订单超出负荷. */
const PRICE_TRIES = 10;
/** How long a closed or paid order stays (checkOrder and getOrder still answer for it), as the CodePay sandbox keeps them. */
const KEEP_DONE_MS = 10 * 60_000;
/** Done orders are looked for at most this often (sandbox clock), when an order is created. */
const FORGET_EVERY_MS = 10_000;

export type NewVmqOrder = Omit<VmqSandboxOrder, 'orderId' | 'reallyPrice' | 'state' | 'createdAt' | 'paidAt'>;

export class VmqSandboxState {
  private readonly orders = new Map<string, VmqSandboxOrder>();
  private readonly byPayId = new Map<string, VmqSandboxOrder>();
  /** `type:reallyPrice` of every open order (V免签's tmp_price table). */
  private readonly heldPrices = new Map<string, string>();
  /** Unix seconds of the phone's last heartbeat and last payment; 0: never. */
  lastHeartbeat = 0;
  lastPayment = 0;
  private lastForget: number;

  /** `notifies`: keyed by payId. */
  constructor(
    private readonly timeOutMinutes: number,
    private readonly now: () => number,
    private readonly notifies: NotifyRecords,
  ) {
    this.lastForget = now();
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  heartbeat(): void {
    this.lastHeartbeat = this.nowSeconds();
  }

  get orderTimeOutMinutes(): number {
    return this.timeOutMinutes;
  }

  /** 'exists' when the payId was used, 'busy' when no reallyPrice is free. */
  createOrder(input: NewVmqOrder): VmqSandboxOrder | 'exists' | 'busy' {
    this.expireDue();
    if (this.now() - this.lastForget >= FORGET_EVERY_MS) this.forgetDone();
    if (this.byPayId.has(input.payId)) return 'exists';
    const nowSeconds = this.nowSeconds();
    const orderId =
      new Date(this.now()).toISOString().replace(/\D/g, '').slice(0, 14) + String(randomInt(1e6)).padStart(6, '0');
    let reallyPrice: Cents | undefined;
    for (let step = 0; step < PRICE_TRIES && reallyPrice === undefined; step++) {
      const candidate = input.price + step;
      if (candidate <= MAX_CENTS && !this.heldPrices.has(`${input.type}:${candidate}`)) reallyPrice = candidate;
    }
    if (reallyPrice === undefined) return 'busy';
    const order: VmqSandboxOrder = { ...input, orderId, reallyPrice, state: 0, createdAt: nowSeconds, paidAt: 0 };
    this.orders.set(orderId, order);
    this.byPayId.set(order.payId, order);
    this.heldPrices.set(`${order.type}:${reallyPrice}`, orderId);
    return order;
  }

  order(orderId: string): VmqSandboxOrder | undefined {
    this.expireDue();
    return this.orders.get(orderId);
  }

  /** The open order the phone's payment of `price` by `type` belongs to, as appPush matches it. */
  openOrderPaying(type: VmqType, price: Cents): VmqSandboxOrder | undefined {
    this.expireDue();
    const orderId = this.heldPrices.get(`${type}:${price}`);
    return orderId === undefined ? undefined : this.orders.get(orderId);
  }

  /** Marks an open order paid (2 until its notify is answered `success`). */
  pay(order: VmqSandboxOrder): void {
    order.state = 2;
    order.paidAt = this.nowSeconds();
    this.lastPayment = order.paidAt;
    this.release(order);
  }

  close(order: VmqSandboxOrder): void {
    order.state = -1;
    this.release(order);
  }

  listOrders(): VmqSandboxOrder[] {
    this.expireDue();
    return [...this.orders.values()];
  }

  clear(): void {
    this.orders.clear();
    this.byPayId.clear();
    this.heldPrices.clear();
  }

  /**
   * Forgets orders closed or paid more than KEEP_DONE_MS ago whose notify is done (a stream of
   * orders holds bounded memory); their payIds become free again, as V免签's cleanup frees them.
   */
  private forgetDone(): void {
    const nowMs = this.now();
    this.lastForget = nowMs;
    const forgotten = new Set<string>();
    for (const [orderId, order] of this.orders) {
      if (order.state === 0) continue;
      const since = Math.max(order.createdAt + this.timeOutMinutes * 60, order.paidAt) * 1000;
      if (nowMs - since < KEEP_DONE_MS || (order.state === 2 && !this.notifies.isDone(order.payId))) continue;
      this.orders.delete(orderId);
      this.byPayId.delete(order.payId);
      forgotten.add(order.payId);
    }
    if (forgotten.size > 0) this.notifies.forget(forgotten);
  }

  private release(order: VmqSandboxOrder): void {
    const key = `${order.type}:${order.reallyPrice}`;
    if (this.heldPrices.get(key) === order.orderId) this.heldPrices.delete(key);
  }

  /** V免签 closes the open orders older than its timeOut setting whenever it is asked something. */
  private expireDue(): void {
    const deadline = this.nowSeconds() - this.timeOutMinutes * 60;
    for (const orderId of this.heldPrices.values()) {
      const order = this.orders.get(orderId);
      if (order && order.state === 0 && order.createdAt <= deadline) this.close(order);
    }
  }
}
