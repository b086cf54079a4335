/**
 * Time left on an order by the signer's clock: `expiresAt` and `serverTime` are both the signer's,
 * so the client's own clock only measures the time elapsed since the answer arrived.
 */
import type { OrderView } from '../shared/api.ts';

/** Seconds left at which the remaining time is announced to screen readers. */
const ANNOUNCE_AT = [60, 30, 10];

export class Countdown {
  readonly #deadline: number;

  /** Made as the view arrives: the client's clock now is the signer's `serverTime`. */
  constructor(view: Pick<OrderView, 'expiresAt' | 'serverTime'>) {
    const offset = view.serverTime - Date.now(); // signer clock minus client clock
    this.#deadline = view.expiresAt === null ? Infinity : view.expiresAt - offset;
  }

  /** Seconds left, by the client's clock corrected to the signer's. */
  secondsLeft(): number {
    return Math.max(0, (this.#deadline - Date.now()) / 1000);
  }

  /** The threshold crossed between two ticks, if any, to announce once. */
  static crossed(before: number, after: number): number | undefined {
    return ANNOUNCE_AT.find((mark) => before > mark && after <= mark);
  }
}

/** Seconds -> "5:59". */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
