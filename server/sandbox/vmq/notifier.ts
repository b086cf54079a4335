/**
 * V免签's notify: one GET to the order's notify URL with the payment's fields appended unencoded
 * (as V免签 concatenates them) and prices as its DOUBLE columns print them (`0.1`). The answer
 * must be exactly `success`; anything else leaves the order in state 2, and nothing is ever sent
 * again (V免签's admin has a manual button for that). Each attempt is recorded.
 */
import { notifySign } from '../../vmq/protocol.ts';
import type { SandboxLog } from '../log.ts';
import { sleep } from '../runtime.ts';
import type { VmqFaults } from './faults.ts';
import type { VmqSandboxOrder } from './state.ts';

export interface VmqNotifyAttempt {
  payId: string;
  orderId: string;
  /** Epoch ms. */
  at: number;
  url: string;
  duplicate: boolean;
  /** false: the lostNotify fault ate it. */
  sent: boolean;
  status: number | null;
  body: string;
  error: string | null;
  success: boolean;
}

/** A DOUBLE column as PHP prints it: 9.9, 10, 0.01. */
function double(cents: number): string {
  return String(cents / 100);
}

/** The notify's query: V免签 appends `payId=…&param=…` with the values as they are. */
export function notifyQuery(order: VmqSandboxOrder, key: string, faults: VmqFaults): string {
  const reallyPrice = order.reallyPrice + (faults.differentMoney ? 1 : 0);
  const fields = {
    payId: order.payId,
    param: order.param,
    type: String(order.type),
    price: double(order.price),
    reallyPrice: double(reallyPrice),
  };
  // A well-formed sign under another key.
  const sign = notifySign(fields, faults.badSignature ? `${key}!` : key);
  return Object.entries({ ...fields, sign })
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

const BODY_EXCERPT = 200;

export class VmqNotifier {
  private readonly attempts: VmqNotifyAttempt[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private aborter = new AbortController();

  constructor(
    private readonly options: { merchantKey: string; timeoutMs: number; now: () => number; log: SandboxLog },
  ) {}

  /** Sends the paid order's notify once (twice at once under duplicateNotify); true when answered `success`. */
  async send(order: VmqSandboxOrder, faults: VmqFaults): Promise<boolean> {
    const work = this.deliver(order, faults);
    this.inFlight.add(work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  list(filter: (attempt: VmqNotifyAttempt) => boolean): VmqNotifyAttempt[] {
    return this.attempts.filter(filter);
  }

  async stop(): Promise<void> {
    this.aborter.abort();
    await Promise.allSettled([...this.inFlight]);
    this.aborter = new AbortController();
  }

  async clear(): Promise<void> {
    await this.stop();
    this.attempts.length = 0;
  }

  private async deliver(order: VmqSandboxOrder, faults: VmqFaults): Promise<boolean> {
    const separator = order.notifyUrl.includes('?') ? '&' : '?';
    const url = `${order.notifyUrl}${separator}${notifyQuery(order, this.options.merchantKey, faults)}`;
    if (faults.notifyDelayMs) await sleep(faults.notifyDelayMs, this.aborter.signal);
    if (faults.lostNotify) {
      this.record(order, { url, duplicate: false, sent: false, status: null, body: '', error: 'lost (fault)' });
      return false;
    }
    const copies = faults.duplicateNotify ? [false, true] : [false];
    const answers = await Promise.all(copies.map((duplicate) => this.get(order, url, duplicate)));
    return answers.includes(true);
  }

  private async get(order: VmqSandboxOrder, url: string, duplicate: boolean): Promise<boolean> {
    const attempt = {
      url,
      duplicate,
      sent: true,
      status: null as number | null,
      body: '',
      error: null as string | null,
    };
    try {
      const response = await fetch(url, {
        redirect: 'manual',
        signal: AbortSignal.any([this.aborter.signal, AbortSignal.timeout(this.options.timeoutMs)]),
      });
      attempt.status = response.status;
      attempt.body = (await response.text()).slice(0, BODY_EXCERPT);
    } catch (error) {
      attempt.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    return this.record(order, attempt).success;
  }

  private record(order: VmqSandboxOrder, attempt: Omit<VmqNotifyAttempt, 'payId' | 'orderId' | 'at' | 'success'>) {
    const recorded = {
      payId: order.payId,
      orderId: order.orderId,
      at: this.options.now(),
      ...attempt,
      success: attempt.body === 'success',
    };
    this.attempts.push(recorded);
    this.options.log.info('sandbox: V免签 notify', {
      payId: order.payId,
      sent: recorded.sent,
      status: recorded.status,
      error: recorded.error,
      success: recorded.success,
    });
    return recorded;
  }
}
