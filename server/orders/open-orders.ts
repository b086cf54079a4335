/**
 * Public orders open at once (created and neither paid, failed nor expired), per client and in all.
 * Unpaid orders cost a database row each and hold one of the few amounts the gateway can ask for a
 * price, so a client that opens them by the thousand would block every buyer of that price. Kept in
 * this process's memory: with several signers, each counts the orders it created.
 */
import { ApiError } from '../errors.ts';

export interface OpenOrderLimits {
  perClient: number;
  total: number;
}

interface Hold {
  client: string;
  /** Epoch ms: past it the order is expired (or its creation given up), so no longer open. */
  until: number;
}

export class OpenOrders {
  private readonly holds = new Map<string, Hold>();
  private readonly byClient = new Map<string, Set<string>>();

  constructor(private readonly limits: OpenOrderLimits) {}

  /**
   * Counts `orderId` open for `client` until `until`, or refuses: TOO_MANY_OPEN_ORDERS (429) when
   * the client holds its share, SHOP_BUSY (503) when the shop holds all it may; both say when a
   * place frees up (Retry-After).
   */
  hold(client: string, orderId: string, until: number, now: number): void {
    const mine = this.byClient.get(client) ?? new Set<string>();
    this.forgetExpired(mine, now);
    if (mine.size >= this.limits.perClient) {
      const message = 'This address has too many unpaid orders open. Pay one or wait until one expires.';
      throw new ApiError('TOO_MANY_OPEN_ORDERS', message, { retryAfterSeconds: this.secondsUntilOneEnds(mine, now) });
    }
    if (this.holds.size >= this.limits.total) this.forgetExpired(this.holds.keys(), now);
    if (this.holds.size >= this.limits.total) {
      const message = 'The shop has too many unpaid orders open right now. Please try again in a moment.';
      throw new ApiError('SHOP_BUSY', message, { retryAfterSeconds: this.secondsUntilOneEnds(this.holds.keys(), now) });
    }
    mine.add(orderId);
    this.byClient.set(client, mine);
    this.holds.set(orderId, { client, until });
  }

  /** The order's expiry, once the gateway gave it. */
  extend(orderId: string, until: number): void {
    const hold = this.holds.get(orderId);
    if (hold) hold.until = until;
  }

  /** The order was paid, went to review or failed: it is open no longer. */
  release(orderId: string): void {
    const hold = this.holds.get(orderId);
    if (!hold) return;
    this.holds.delete(orderId);
    const mine = this.byClient.get(hold.client);
    mine?.delete(orderId);
    if (mine?.size === 0) this.byClient.delete(hold.client);
  }

  /**
   * Orders are held in the order they were created, and all live about as long, so the oldest end
   * first: forgetting stops at the first one still open (a creation is O(1), not O(open orders)).
   * One that ends a little out of turn is only forgotten a little late: counted, never dropped early.
   */
  private forgetExpired(orderIds: Iterable<string>, now: number): void {
    for (const orderId of orderIds) {
      if (this.holds.get(orderId)!.until > now) return;
      this.release(orderId);
    }
  }

  /** When the oldest of `orderIds` ends (see forgetExpired), in seconds from now. */
  private secondsUntilOneEnds(orderIds: Iterable<string>, now: number): number {
    for (const orderId of orderIds) return Math.max(1, Math.ceil((this.holds.get(orderId)!.until - now) / 1000));
    return 1;
  }
}
