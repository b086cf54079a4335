/**
 * Sends the signed payment notify, as the CodePay cloud does: a form POST to the order's notify_url,
 * sent again on a schedule until the answer body is exactly `success`. Every attempt is recorded.
 */
import { formatCents } from '../../shared/money.ts';
import type { Params } from '../codepay/protocol.ts';
import { charsetOf, formBody, signIn, type FormBody } from './charset.ts';
import type { Faults } from './faults.ts';
import type { SandboxLog } from './log.ts';
import type { Payment } from './state.ts';

/** Seconds between attempts, spread over about a day like the real gateway's. */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [
  15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
];

/** Reads SANDBOX_RETRY_SCHEDULE: seconds, comma-separated ("0.2,0.2,0.5"). */
export function parseRetrySchedule(text: string): number[] {
  const schedule = text.split(',').map((part) => Number(part.trim()));
  if (text.trim() === '' || schedule.some((seconds) => !Number.isFinite(seconds) || seconds < 0)) {
    throw new TypeError('expected non-negative seconds separated by commas, e.g. "0.2,0.2,0.5"');
  }
  return schedule;
}

const BODY_EXCERPT = 200;

export interface NotifyAttempt {
  payNo: string;
  orderId: string;
  payId: string;
  /** 1 for the first attempt; a duplicate (fault) shares its attempt's number. */
  attempt: number;
  duplicate: boolean;
  /** Epoch ms when it was sent. */
  at: number;
  url: string;
  /** HTTP status, or null when no answer came. */
  status: number | null;
  body: string;
  error: string | null;
  /** The answer body was exactly `success`. */
  success: boolean;
}

export type DeliveryState = 'sending' | 'delivered' | 'gave-up' | 'no-url';

export interface NotifierOptions {
  merchantKey: string;
  retrySchedule: readonly number[];
  timeoutMs: number;
  faultsFor: (payId: string) => Faults;
  now: () => number;
  log: SandboxLog;
}

/** The notify's fields, as the document lists them and its example shows (status=2: paid). */
export function notifyFields(payment: Payment): Params {
  return {
    pay_id: payment.payId,
    money: formatCents(payment.money),
    price: formatCents(payment.price),
    type: String(payment.type),
    pay_no: payment.payNo,
    param: payment.param,
    pay_time: String(payment.payTime),
    pay_tag: '0',
    tag: '0',
    chart: payment.chart,
    status: '2',
  };
}

/** fetch hides the reason (ECONNREFUSED, timeout) in `cause`. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause =
    error.cause instanceof Error ? `: ${(error.cause as NodeJS.ErrnoException).code ?? error.cause.message}` : '';
  return `${error.name}: ${error.message}${cause}`;
}

export class Notifier {
  private readonly attempts: NotifyAttempt[] = [];
  private readonly states = new Map<string, DeliveryState>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private aborter = new AbortController();
  /** After close() nothing new is scheduled, so no timer outlives the sandbox. */
  private closed = false;

  constructor(private readonly options: NotifierOptions) {}

  /** Starts delivering a new payment's notify (after the delayed-notify fault, if set). */
  start(payment: Payment): void {
    if (payment.notifyUrl === '') {
      this.states.set(payment.payNo, 'no-url');
      this.options.log.warn('sandbox: payment has no notify_url and there is no default; nothing sent', {
        payNo: payment.payNo,
      });
      return;
    }
    this.states.set(payment.payNo, 'sending');
    this.later(this.options.faultsFor(payment.payId).notifyDelayMs ?? 0, () => this.send(payment, 1));
  }

  state(payNo: string): DeliveryState | undefined {
    return this.states.get(payNo);
  }

  isDone(payNo: string): boolean {
    return this.states.get(payNo) !== 'sending';
  }

  /** Drops the attempts and states of payments the sandbox no longer holds. */
  forget(payNos: ReadonlySet<string>): void {
    for (const payNo of payNos) this.states.delete(payNo);
    const kept = this.attempts.filter((attempt) => !payNos.has(attempt.payNo));
    this.attempts.splice(0, this.attempts.length, ...kept);
  }

  list(filter: (attempt: NotifyAttempt) => boolean): NotifyAttempt[] {
    return this.attempts.filter(filter);
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

  private async send(payment: Payment, attempt: number): Promise<void> {
    const faults = this.options.faultsFor(payment.payId);
    const fields = notifyFields(payment);
    // In the order's charset: GBK bytes, signed as bytes, for a merchant that created it with chart=gbk.
    const charset = charsetOf(payment.chart);
    // A wrong but well-formed sign: the md5 of the same fields under another key.
    const key = faults.badSignature ? `${this.options.merchantKey}!` : this.options.merchantKey;
    const signature = signIn(charset, fields, key);
    const form = formBody(charset, { ...fields, sign: signature });
    const copies = faults.duplicateNotify ? [false, true] : [false];
    const results = await Promise.all(copies.map((duplicate) => this.post(payment, attempt, duplicate, form)));
    if (this.aborter.signal.aborted) return;
    if (results.includes(true)) {
      this.states.set(payment.payNo, 'delivered');
    } else if (attempt <= this.options.retrySchedule.length) {
      this.later(this.options.retrySchedule[attempt - 1] * 1000, () => this.send(payment, attempt + 1));
    } else {
      this.states.set(payment.payNo, 'gave-up');
      this.options.log.warn('sandbox: notify gave up', { payNo: payment.payNo, attempts: attempt });
    }
  }

  /** One POST; true when the answer body is exactly `success`. */
  private async post(payment: Payment, attempt: number, duplicate: boolean, form: FormBody): Promise<boolean> {
    const record: NotifyAttempt = {
      payNo: payment.payNo,
      orderId: payment.orderId,
      payId: payment.payId,
      attempt,
      duplicate,
      at: this.options.now(),
      url: payment.notifyUrl,
      status: null,
      body: '',
      error: null,
      success: false,
    };
    try {
      const response = await fetch(payment.notifyUrl, {
        method: 'POST',
        headers: { 'content-type': form.contentType },
        body: form.body,
        redirect: 'manual',
        signal: AbortSignal.any([this.aborter.signal, AbortSignal.timeout(this.options.timeoutMs)]),
      });
      record.status = response.status;
      const text = await response.text();
      record.body = text.slice(0, BODY_EXCERPT);
      record.success = text === 'success';
    } catch (error) {
      record.error = describe(error);
    }
    this.attempts.push(record);
    const { url, status, error, success } = record;
    this.options.log.info('sandbox: notify sent', {
      payNo: payment.payNo,
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
