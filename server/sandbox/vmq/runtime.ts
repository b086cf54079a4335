/** What every route of one V免签 sandbox shares, and how a payment goes: marked paid, then its one notify. */
import type { FaultTable } from '../faults.ts';
import type { SandboxLog } from '../log.ts';
import type { VmqFaults } from './faults.ts';
import type { VmqNotifier } from './notifier.ts';
import type { VmqSandboxOrder, VmqSandboxState } from './state.ts';

export interface VmqRuntime {
  merchantKey: string;
  basePath: string;
  /** The sandbox's public URL, basePath included; when unset, made from the request. */
  publicBaseUrl: string | undefined;
  /** V免签's own notify URL setting, for orders created without notifyUrl. */
  defaultNotifyUrl: string;
  state: VmqSandboxState;
  faults: FaultTable<VmqFaults>;
  notifier: VmqNotifier;
  /** Aborted by close(): ends hanging and slow answers. */
  closing: AbortSignal;
  log: SandboxLog;
}

/** What the sandbox answers: HTTP status, content type and body (and where a redirect goes). */
export interface VmqReply {
  status: number;
  type: string;
  body: string;
  location?: string;
}

/** The phone is one: its switch is global. */
export function phoneOffline(runtime: VmqRuntime): boolean {
  return runtime.faults.for('').phoneOffline === true;
}

/** The simulated phone beats while it is on: any request to the server finds a fresh heartbeat. */
export function phoneBeats(runtime: VmqRuntime): void {
  if (!phoneOffline(runtime)) runtime.state.heartbeat();
}

/**
 * The phone saw the money: the order is paid (state 2), and its one notify decides between 1 and
 * 2. The notify goes out in the background, so the buyer's page answers at once.
 */
export function payOrder(order: VmqSandboxOrder, runtime: VmqRuntime): void {
  runtime.state.pay(order);
  const faults = runtime.faults.for(order.payId);
  runtime.notifier.send(order, faults).then(
    (success) => {
      if (success) order.state = 1;
      else runtime.log.warn('sandbox: V免签 notify failed; V免签 never sends it again', { payId: order.payId });
    },
    (error) => runtime.log.error('sandbox: V免签 notify crashed', { payId: order.payId, error }),
  );
}
