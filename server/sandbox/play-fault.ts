/**
 * Plays a gateway fault, the same way for every sandbox and call: `hang` (no answer at all, once the
 * caller gave up or the sandbox closed), `http-500` and `garbage` (a broken PHP site), or the
 * sandbox's own refusals (CodePay's status -1, epay's code -1, …) given as `refusals`. A create
 * call waits `slowMs` first.
 */
import type { Faults } from './faults.ts';
import { GARBAGE, HTTP_500, type GatewayReply } from './reply.ts';
import { sleep, untilGone } from './runtime.ts';

/** The create fault's reply, `null` for 'hang', or undefined when creation goes on as usual. */
export async function playCreateFault(
  faults: Faults,
  refusals: Record<string, GatewayReply>,
  caller: AbortSignal,
  closing: AbortSignal,
): Promise<GatewayReply | null | undefined> {
  if (faults.slowMs) await sleep(faults.slowMs, closing);
  return playFault(faults.createOrder, refusals, caller, closing);
}

/** The fault's reply, `null` for 'hang', or undefined without a fault. */
export async function playFault(
  fault: string | undefined,
  refusals: Record<string, GatewayReply>,
  caller: AbortSignal,
  closing: AbortSignal,
): Promise<GatewayReply | null | undefined> {
  switch (fault) {
    case undefined:
      return undefined;
    case 'http-500':
      return HTTP_500;
    case 'garbage':
      return GARBAGE;
    case 'hang':
      await untilGone(caller, closing);
      return null;
    default:
      return refusals[fault];
  }
}
