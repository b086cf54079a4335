/**
 * Delivers a payment's notify for any sandbox: sent at once (or after the delayed-notify fault),
 * then again on a schedule until the merchant's answer acknowledges it, every attempt recorded.
 * What a notify looks like (method, fields, sign) and what acknowledges it is the protocol's: the
 * sandbox gives them as a NotifyProtocol.
 */
import type { Faults } from './faults.ts';
import type { SandboxLog } from './log.ts';

/** Reads SANDBOX_RETRY_SCHEDULE: seconds, comma-separated ("0.2,0.2,0.5"). */
export function parseRetrySchedule(text: string): number[] {
  const schedule = text.split(',').map((part) => Number(part.trim()));
  if (text.trim() === '' || schedule.some((seconds) => !Number.isFinite(seconds) || seconds < 0)) {
    throw new TypeError('expected non-negative seconds separated by commas, e.g. "0.2,0.2,0.5"');
  }
  return schedule;
}

const BODY_EXCERPT = 200;

/** One attempt: the payment's labels (its ids, for listings and their filters) and what happened. */
export type NotifyAttemptOf<Labels> = Labels & {
  /** 1 for the first attempt; a duplicate (fault) shares its attempt's number. */
  attempt: number;
  duplicate: boolean;
  /** Epoch ms when it was sent. */
  at: number;
  /** The notify_url as the order gave it (a GET's query is not repeated here). */
  url: string;
  /** HTTP status, or null when no answer came. */
  status: number | null;
  body: string;
  error: string | null;
  /** The answer acknowledged the notify. */
  success: boolean;
};

/** `lost`: the lost-notify fault, paid but never sent. */
export type DeliveryState = 'sending' | 'delivered' | 'gave-up' | 'no-url' | 'lost';

/** One notify request: the protocol builds it for each attempt. */
export interface NotifyRequest {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/** What a sandbox's protocol tells the notifier about its payments `P`. */
export interface NotifyProtocol<P, Labels> {
  /** The payment's one delivery: its notifies and their state are kept under this key. */
  keyOf(payment: P): string;
  labelsOf(payment: P): Labels;
  /** The order's notify_url ('' for none). */
  urlOf(payment: P): string;
  /** Its fault switches, read at each attempt. */
  faultsOf(payment: P): Faults;
  /** The request of one attempt; with `badSignature` its sign must be wrong but well-formed. */
  request(payment: P, badSignature: boolean): NotifyRequest;
  /** Whether the merchant's answer body acknowledges the notify. */
  acknowledged(body: string): boolean;
}

export interface NotifierOptions<P, Labels> {
  protocol: NotifyProtocol<P, Labels>;
  /** Seconds between attempts. */
  retrySchedule: readonly number[];
  timeoutMs: number;
  now: () => number;
  log: SandboxLog;
}

/** fetch hides the reason (ECONNREFUSED, timeout) in `cause`. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause =
    error.cause instanceof Error ? `: ${(error.cause as NodeJS.ErrnoException).code ?? error.cause.message}` : '';
  return `${error.name}: ${error.message}${cause}`;
}

export class Notifier<P, Labels extends object> {
  private readonly attempts: { key: string; record: NotifyAttemptOf<Labels> }[] = [];
  private readonly states = new Map<string, DeliveryState>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private aborter = new AbortController();
  /** After close() nothing new is scheduled, so no timer outlives the sandbox. */
  private closed = false;

  constructor(private readonly options: NotifierOptions<P, Labels>) {}

  /** Starts delivering a new payment's notify (after the delayed-notify fault, if set). */
  start(payment: P): void {
    const { protocol, log } = this.options;
    const key = protocol.keyOf(payment);
    const faults = protocol.faultsOf(payment);
    if (protocol.urlOf(payment) === '') {
      this.states.set(key, 'no-url');
      log.warn('sandbox: payment has no notify_url and there is no default; nothing sent', { payment: key });
      return;
    }
    if (faults.lostNotify) {
      this.states.set(key, 'lost');
      log.info('sandbox: notify lost (fault): never sent', { payment: key });
      return;
    }
    this.states.set(key, 'sending');
    this.later(faults.notifyDelayMs ?? 0, () => this.send(payment, key, 1));
  }

  state(key: string): DeliveryState | undefined {
    return this.states.get(key);
  }

  isDone(key: string): boolean {
    return this.states.get(key) !== 'sending';
  }

  /** Drops the attempts and states of payments the sandbox no longer holds. */
  forget(keys: ReadonlySet<string>): void {
    for (const key of keys) this.states.delete(key);
    const kept = this.attempts.filter((attempt) => !keys.has(attempt.key));
    this.attempts.splice(0, this.attempts.length, ...kept);
  }

  list(filter: (attempt: NotifyAttemptOf<Labels>) => boolean): NotifyAttemptOf<Labels>[] {
    return this.attempts.map((attempt) => attempt.record).filter(filter);
  }

  /** Stops every schedule and aborts requests in flight; waits until they have settled. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.aborter.abort();
    await Promise.allSettled([...this.inFlight]);
    this.aborter = new AbortController();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stop();
  }

  async clear(): Promise<void> {
    await this.stop();
    this.attempts.length = 0;
    this.states.clear();
  }

  private later(ms: number, task: () => Promise<void>): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const running = task().finally(() => this.inFlight.delete(running));
      this.inFlight.add(running);
    }, ms);
    this.timers.add(timer);
  }

  private async send(payment: P, key: string, attempt: number): Promise<void> {
    const { protocol, retrySchedule, log } = this.options;
    const faults = protocol.faultsOf(payment);
    const request = protocol.request(payment, faults.badSignature === true);
    const copies = faults.duplicateNotify ? [false, true] : [false];
    const results = await Promise.all(
      copies.map((duplicate) => this.deliver(payment, key, attempt, duplicate, request)),
    );
    if (this.aborter.signal.aborted) return;
    if (results.includes(true)) {
      this.states.set(key, 'delivered');
    } else if (attempt <= retrySchedule.length) {
      this.later(retrySchedule[attempt - 1] * 1000, () => this.send(payment, key, attempt + 1));
    } else {
      this.states.set(key, 'gave-up');
      log.warn('sandbox: notify gave up', { payment: key, attempts: attempt });
    }
  }

  /** One request; true when the answer acknowledges it. */
  private async deliver(
    payment: P,
    key: string,
    attempt: number,
    duplicate: boolean,
    request: NotifyRequest,
  ): Promise<boolean> {
    const { protocol, timeoutMs, now, log } = this.options;
    const record: NotifyAttemptOf<Labels> = {
      ...protocol.labelsOf(payment),
      attempt,
      duplicate,
      at: now(),
      url: protocol.urlOf(payment),
      status: null,
      body: '',
      error: null,
      success: false,
    };
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.any([this.aborter.signal, AbortSignal.timeout(timeoutMs)]),
      });
      record.status = response.status;
      const text = await response.text();
      record.body = text.slice(0, BODY_EXCERPT);
      record.success = protocol.acknowledged(text);
    } catch (error) {
      record.error = describe(error);
    }
    this.attempts.push({ key, record });
    const { url, status, error, success } = record;
    log.info('sandbox: notify sent', {
      payment: key,
      attempt,
      duplicate,
      url,
      status,
      answer: record.body.slice(0, 40),
      error,
      success,
    });
    return record.success;
  }
}
