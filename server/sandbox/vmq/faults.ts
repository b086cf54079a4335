/**
 * The V免签 sandbox's switches: the shared fault switches (keyed by payId, with V免签's createOrder
 * faults), and two of its own, global as the server has one phone and one set of QR codes.
 */
import type { FaultDialect } from '../faults.ts';

/** createOrder answers code -1, HTTP 500, a non-JSON body, or nothing at all. */
export const VMQ_CREATE_FAULTS = ['fail', 'http-500', 'garbage', 'hang'] as const;

export const VMQ_FAULTS: FaultDialect = { scopeField: 'payId', createFaults: VMQ_CREATE_FAULTS };

export interface VmqSwitches {
  /** The monitor phone stopped: no heartbeat, and createOrder refuses (监控端状态异常). */
  phoneOffline: boolean;
  /** No fixed-amount QR code for any amount: the generic one, and the buyer types reallyPrice (isAuto 1). */
  noFixedQr: boolean;
}

export const DEFAULT_SWITCHES: VmqSwitches = { phoneOffline: false, noFixedQr: false };

/** Reads `{"phoneOffline"?: true, "noFixedQr"?: false}` over the current switches; a TypeError names a bad field. */
export function parseSwitches(body: unknown, current: VmqSwitches): VmqSwitches {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new TypeError('expected a JSON object');
  const next = { ...current };
  for (const [name, value] of Object.entries(body)) {
    if (name !== 'phoneOffline' && name !== 'noFixedQr') throw new TypeError(`unknown switch ${JSON.stringify(name)}`);
    if (typeof value !== 'boolean') throw new TypeError(`${name} must be true or false`);
    next[name] = value;
  }
  return next;
}
