/**
 * The epay sandbox's orders, in memory, as the gateway's `pay_order` table holds them: the stored
 * (escaped) name and param, status 0 unpaid, 1 paid, 2 refunded. No I/O: routes and the notifier do that.
 */
import { randomInt } from 'node:crypto';
import type { Cents } from '../../../shared/money.ts';
import type { Device } from '../../epay/protocol.ts';

export interface EpayPaid {
  /** What the buyer paid: the order's money, unless the different-amount fault changed it. */
  money: Cents;
  /** Epoch ms. */
  at: number;
  /** The payment channel's own number (Alipay's, WeChat's): `api_trade_no`. */
  apiTradeNo: string;
  buyer: string;
}

export interface EpayRefund {
  money: Cents;
  at: number;
}

export interface EpayOrder {
  /** The gateway's order number: yyyyMMddHHmmss and five digits, like the real one. */
  tradeNo: string;
  outTradeNo: string;
  type: string;
  /** As the gateway stores them: htmlspecialchars(addslashes()), the name cut at 127 bytes. */
  name: string;
  param: string;
  money: Cents;
  notifyUrl: string;
  returnUrl: string;
  clientIp: string;
  device: Device;
  /** Epoch ms. */
  addedAt: number;
  /** The create parameters that must not change when the same out_trade_no is sent again. */
  terms: string;
  paid: EpayPaid | undefined;
  refunds: EpayRefund[];
}

export type NewEpayOrder = Omit<EpayOrder, 'tradeNo' | 'addedAt' | 'paid' | 'refunds'>;

/** `count` random decimal digits. */
function digits(count: number): string {
  let text = '';
  while (text.length < count) text += String(randomInt(1e12)).padStart(12, '0');
  return text.slice(0, count);
}

/** yyyyMMddHHmmss in China time (UTC+8), as the gateway's PHP with its Asia/Shanghai zone writes dates. */
export function chinaTime(ms: number, format: 'compact' | 'datetime'): string {
  const iso = new Date(ms + 8 * 3600_000).toISOString();
  return format === 'compact' ? iso.replace(/\D/g, '').slice(0, 14) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** The same out_trade_no within 10 days is the same order (mapi.php's rule). */
const SAME_ORDER_MS = 10 * 24 * 3600_000;
/** Old orders are looked for at most this often (sandbox clock), when an order is created. */
const FORGET_EVERY_MS = 60_000;

/** The notifies, as far as forgetting their orders needs them. */
export interface NotifyRecords {
  isDone(tradeNo: string): boolean;
  forget(tradeNos: ReadonlySet<string>): void;
}

export function statusOf(order: EpayOrder): 0 | 1 | 2 {
  if (!order.paid) return 0;
  return order.refunds.length > 0 ? 2 : 1;
}

export function refundable(order: EpayOrder): Cents {
  if (!order.paid) return 0;
  return order.paid.money - order.refunds.reduce((sum, refund) => sum + refund.money, 0);
}

export class EpayState {
  private readonly orders = new Map<string, EpayOrder>();
  private readonly byOutTradeNo = new Map<string, string>();
  private lastForget: number;

  constructor(
    private readonly now: () => number,
    private readonly notifies: NotifyRecords,
  ) {
    this.lastForget = now();
  }

  /** The order of this out_trade_no made within the last 10 days, if any. */
  recent(outTradeNo: string): EpayOrder | undefined {
    const order = this.ofOutTradeNo(outTradeNo);
    return order && this.now() - order.addedAt < SAME_ORDER_MS ? order : undefined;
  }

  create(input: NewEpayOrder): EpayOrder {
    if (this.now() - this.lastForget >= FORGET_EVERY_MS) this.forgetOld();
    const addedAt = this.now();
    let tradeNo: string;
    do tradeNo = chinaTime(addedAt, 'compact') + digits(5);
    while (this.orders.has(tradeNo));
    const order: EpayOrder = { ...input, tradeNo, addedAt, paid: undefined, refunds: [] };
    this.orders.set(tradeNo, order);
    this.byOutTradeNo.set(order.outTradeNo, tradeNo);
    return order;
  }

  order(tradeNo: string): EpayOrder | undefined {
    return this.orders.get(tradeNo);
  }

  /** The newest order of that out_trade_no. */
  ofOutTradeNo(outTradeNo: string): EpayOrder | undefined {
    const tradeNo = this.byOutTradeNo.get(outTradeNo);
    return tradeNo === undefined ? undefined : this.orders.get(tradeNo);
  }

  /** Paid at most once: paying again returns `created: false`. `extraCents`: the buyer pays more. */
  pay(order: EpayOrder, extraCents = 0): { paid: EpayPaid; created: boolean } {
    if (order.paid) return { paid: order.paid, created: false };
    order.paid = {
      money: order.money + extraCents,
      at: this.now(),
      apiTradeNo: `4200${digits(24)}`,
      buyer: `sandbox-buyer-${digits(6)}`,
    };
    return { paid: order.paid, created: true };
  }

  refund(order: EpayOrder, money: Cents): EpayRefund {
    const refund = { money, at: this.now() };
    order.refunds.push(refund);
    return refund;
  }

  /** Forgets orders past the 10 days, once nothing more will be notified for them. */
  forgetOld(): void {
    const nowMs = this.now();
    this.lastForget = nowMs;
    const forgotten = new Set<string>();
    for (const [tradeNo, order] of this.orders) {
      if (nowMs - order.addedAt < SAME_ORDER_MS || (order.paid && !this.notifies.isDone(tradeNo))) continue;
      this.orders.delete(tradeNo);
      if (this.byOutTradeNo.get(order.outTradeNo) === tradeNo) this.byOutTradeNo.delete(order.outTradeNo);
      forgotten.add(tradeNo);
    }
    if (forgotten.size > 0) this.notifies.forget(forgotten);
  }

  list(): EpayOrder[] {
    return [...this.orders.values()];
  }

  clear(): void {
    this.orders.clear();
    this.byOutTradeNo.clear();
  }
}
