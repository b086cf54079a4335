/**
 * Sign-in lockout: too many wrong passwords from one client address lock that address, and too
 * many in all lock sign-in for everyone (a guess spread over many addresses). Failures are counted
 * in a window; a lock lasts a fixed time. Hand-written (a dozen lines): the rate limiters on npm
 * count requests, not failures, and none forgets a key on success.
 */

export interface LockoutRules {
  /** Failures from one address within the window that lock it. */
  perClient: number;
  /** Failures from all addresses within the window that lock sign-in for everyone. */
  total: number;
  windowMs: number;
  lockMs: number;
}

export const DEFAULT_LOCKOUT: LockoutRules = { perClient: 5, total: 50, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

interface Tally {
  /** Times of the failures within the window, oldest first. */
  failures: number[];
  lockedUntil: number;
}

export class Lockout {
  private readonly clients = new Map<string, Tally>();
  private readonly everyone: Tally = { failures: [], lockedUntil: 0 };

  constructor(
    private readonly rules: LockoutRules = DEFAULT_LOCKOUT,
    /** A monotonic clock: a step of the wall clock must not lift or stretch a lock. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Whole seconds until `client` may try again; 0: now. */
  waitFor(client: string): number {
    const now = this.now();
    const until = Math.max(this.clients.get(client)?.lockedUntil ?? 0, this.everyone.lockedUntil);
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  failed(client: string): void {
    const now = this.now();
    this.prune(now);
    let tally = this.clients.get(client);
    if (!tally) this.clients.set(client, (tally = { failures: [], lockedUntil: 0 }));
    this.count(tally, now, this.rules.perClient);
    this.count(this.everyone, now, this.rules.total);
  }

  /** A right password forgets the address's failures (not everyone's). */
  succeeded(client: string): void {
    this.clients.delete(client);
  }

  private count(tally: Tally, now: number, limit: number): void {
    tally.failures.push(now);
    while (tally.failures[0] <= now - this.rules.windowMs) tally.failures.shift();
    if (tally.failures.length >= limit) {
      tally.lockedUntil = now + this.rules.lockMs;
      tally.failures = [];
    }
  }

  /** Memory follows the addresses that failed lately. */
  private prune(now: number): void {
    for (const [client, tally] of this.clients) {
      const last = tally.failures.at(-1) ?? 0;
      if (tally.lockedUntil <= now && last <= now - this.rules.windowMs) this.clients.delete(client);
    }
  }
}
