/** What every route of one V免签 sandbox shares, and how a payment goes: marked paid, then its one notify. */
import type { FaultTable } from '../faults.ts';
import type { SandboxLog } from '../log.ts';
import type { GatewayReply } from '../reply.ts';
import type { Notifier } from '../notifier.ts';
import type { VmqSwitches } from './faults.ts';
import type { VmqLabels } from './notify.ts';
import type { VmqSandboxOrder, VmqSandboxState, VmqState } from './state.ts';

export interface VmqRuntime {
  merchantKey: string;
  basePath: string;
  /** The sandbox's public URL, basePath included; when unset, made from the request. */
  publicBaseUrl: string | undefined;
  /** V免签's own notify URL setting, for orders created without notifyUrl. */
  defaultNotifyUrl: string;
  state: VmqSandboxState;
  faults: FaultTable;
  switches: VmqSwitches;
  notifier: Notifier<VmqSandboxOrder, VmqLabels>;
  /** Aborted by close(): ends hanging and slow answers. */
  closing: AbortSignal;
  log: SandboxLog;
}

/** What the sandbox answers (and where a redirect goes). */
export interface VmqReply extends GatewayReply {
  location?: string;
}

/** The simulated phone beats while it is on: any request to the server finds a fresh heartbeat. */
export function phoneBeats(runtime: VmqRuntime): void {
  if (!runtime.switches.phoneOffline) runtime.state.heartbeat();
}

/** V免签's state of an order: a paid one is 1 once its notify was answered `success`, else 2. */
export function stateOf(order: VmqSandboxOrder, runtime: VmqRuntime): VmqState {
  if (order.state !== 2) return order.state;
  return runtime.notifier.state(order.payId) === 'delivered' ? 1 : 2;
}

/** The phone saw the money: the order is paid, and its one notify goes out (in the background). */
export function payOrder(order: VmqSandboxOrder, runtime: VmqRuntime): void {
  runtime.state.pay(order);
  runtime.notifier.start(order);
}
