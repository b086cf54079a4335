/**
 * Delivers the outbox at least once: due events are sent to their destination; a failure is tried
 * again with exponential backoff and jitter until `giveUpAfterMs` has passed since the event.
 * Everything it needs to resume is in the store, so a restart carries on where it stopped.
 */
import type { Logger } from '../log.ts';
import type { Destination, OutboxRecord } from '../model/index.ts';
import type { Store } from '../store/types.ts';

/** Delivers one event's JSON body; throws when it was not accepted. May answer what the receiver said ("HTTP 200 ok"). */
export type Deliver = (event: OutboxRecord) => Promise<string | void>;

/** Longer than one delivery may take (the webhook's timeout), so a claim outlives its attempt. */
const CLAIM_LEASE_MS = 60_000;

export interface RetryPolicy {
  /** The first wait; each failure doubles it, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  giveUpAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  baseDelayMs: 10_000,
  maxDelayMs: 6 * 3600_000,
  giveUpAfterMs: 3 * 24 * 3600_000,
};

/** The wait after the nth failure: base * 2^(n-1), capped, times a random factor in [0.5, 1.5). */
export function retryDelay(failures: number, policy: RetryPolicy, random = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(failures - 1, 30));
  return Math.round(exponential * (0.5 + random()));
}

export interface DispatcherOptions {
  store: Store;
  deliver: Partial<Record<Destination, Deliver>>;
  retry: RetryPolicy;
  log: Logger;
  now?: () => number;
  batchSize?: number;
}

export class OutboxDispatcher {
  private readonly options: DispatcherOptions;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(options: DispatcherOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  /** Looks for due events every `intervalMs`, and at once whenever kicked. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
    this.kick();
  }

  /** Runs a pass now (after the current one, if one is running). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch((error) => this.options.log.error('outbox pass failed', { error }))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private async pass(): Promise<void> {
    const due = await this.options.store.claimDueEvents(this.now(), this.options.batchSize ?? 50, CLAIM_LEASE_MS);
    await Promise.all(due.map((event) => this.attempt(event)));
  }

  private async attempt(event: OutboxRecord): Promise<void> {
    const { store, log, retry } = this.options;
    const deliver = this.options.deliver[event.destination];
    try {
      if (!deliver) throw new Error(`no ${event.destination} is configured any more`);
      const answer = await deliver(event);
      await store.markEventDelivered(event.id, event.destination, this.now(), answer ?? null);
      log.info('event delivered', { eventId: event.id, destination: event.destination, type: event.type });
    } catch (error) {
      const now = this.now();
      const failures = event.attempts + 1;
      const next = now + retryDelay(failures, retry);
      const giveUp = next - event.createdAt > retry.giveUpAfterMs;
      const message = error instanceof Error ? error.message : String(error);
      await store.markEventFailed(event.id, event.destination, message, giveUp ? null : next, now);
      log.warn(giveUp ? 'event given up' : 'event delivery failed', {
        eventId: event.id,
        destination: event.destination,
        attempts: failures,
        error: message,
      });
    }
  }
}
