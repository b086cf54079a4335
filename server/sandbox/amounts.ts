/**
 * CodePay tells concurrent buyers apart by the amount they pay, so two open orders of one channel
 * never share a `money`: the second gets a cent less or more, the next two cents, and so on.
 */
import { MAX_CENTS, MIN_CENTS, type Cents } from '../../shared/money.ts';
import type { Channel } from '../../shared/api.ts';

interface Hold {
  orderId: string;
  /** Unix seconds; past it the amount is free again. */
  endTime: number;
}

export class AmountPool {
  private readonly holds = new Map<string, Hold>();

  /** @param spanCents how far from the price an amount may go, each way. */
  constructor(private readonly spanCents: number) {}

  /** Reserves the free amount nearest the price (ties: the lower one), or undefined if none is left. */
  take(type: Channel, price: Cents, hold: Hold, nowSeconds: number): Cents | undefined {
    for (let step = 0; step <= 2 * this.spanCents; step++) {
      // 0, -1, +1, -2, +2, ...
      const offset = step % 2 === 0 ? step / 2 : -(step + 1) / 2;
      const money = price + offset;
      if (money < MIN_CENTS || money > MAX_CENTS) continue;
      const key = `${type}:${money}`;
      const held = this.holds.get(key);
      if (held && held.endTime > nowSeconds) continue;
      this.holds.set(key, hold);
      return money;
    }
    return undefined;
  }

  /** Frees the amount once its order is paid, if that order still holds it. */
  release(type: Channel, money: Cents, orderId: string): void {
    const key = `${type}:${money}`;
    if (this.holds.get(key)?.orderId === orderId) this.holds.delete(key);
  }

  clear(): void {
    this.holds.clear();
  }
}
