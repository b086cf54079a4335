/**
 * Plays a create fault, the same way for every sandbox: `slowMs` first, then `hang` (no answer at
 * all, once the caller gave up or the sandbox closed), `http-500` and `garbage` (a broken PHP site),
 * or the sandbox's own refusals (CodePay's status -1, epay's code -1, …) given as `refusals`.
 */
import type { Faults } from './faults.ts';
import { GARBAGE, HTTP_500, type GatewayReply } from './reply.ts';
import { sleep, untilGone } from './runtime.ts';

/** The fault's reply, `null` for 'hang', or undefined when creation goes on as usual. */
export async function playCreateFault(
  faults: Faults,
  refusals: Record<string, GatewayReply>,
  caller: AbortSignal,
  closing: AbortSignal,
): Promise<GatewayReply | null | undefined> {
  if (faults.slowMs) await sleep(faults.slowMs, closing);
  switch (faults.createOrder) {
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
      return refusals[faults.createOrder];
  }
}
