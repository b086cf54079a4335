/**
 * The V免签 sandbox's fault switches, global or for one payId (FaultTable): the CodePay sandbox's
 * set where V免签 can fail the same way, and V免签's own: a lost notify (never re-sent) and the
 * monitor phone offline.
 */
import { booleanField, delayField } from '../faults.ts';

/** createOrder answers code -1, HTTP 500, a non-JSON body, or nothing at all. */
export const VMQ_CREATE_FAULTS = ['fail', 'http-500', 'garbage', 'hang'] as const;
export type VmqCreateFault = (typeof VMQ_CREATE_FAULTS)[number];

export interface VmqFaults {
  createOrder?: VmqCreateFault;
  /** createOrder waits this many ms before answering. */
  slowMs?: number;
  /** The notify is sent twice at once. */
  duplicateNotify?: boolean;
  /** The notify waits this many ms after the payment. */
  notifyDelayMs?: number;
  /** The notify carries a wrong sign. */
  badSignature?: boolean;
  /** The notify's reallyPrice is a cent more than the order's. */
  differentMoney?: boolean;
  /** The notify is never sent (a CDN or firewall ate it): the order stays state 2 at V免签. */
  lostNotify?: boolean;
  /** The monitor phone stopped: no heartbeat, and createOrder refuses (global only, as it is one phone). */
  phoneOffline?: boolean;
  /** No fixed-amount QR code for the amount: the generic one, and the buyer types reallyPrice (isAuto 1). */
  noFixedQr?: boolean;
}

const BOOLEAN_FAULTS = [
  'duplicateNotify',
  'badSignature',
  'differentMoney',
  'lostNotify',
  'phoneOffline',
  'noFixedQr',
] as const;

/** Reads `{"payId"?: "...", "createOrder"?: "hang", "lostNotify"?: true, ...}`; a TypeError names the first bad field. */
export function parseVmqFaultRequest(body: unknown): { payId?: string; faults: VmqFaults } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new TypeError('expected a JSON object');
  const request: { payId?: string; faults: VmqFaults } = { faults: {} };
  const { faults } = request;
  for (const [name, value] of Object.entries(body)) {
    if (name === 'payId') {
      if (typeof value !== 'string' || value === '') throw new TypeError('payId must be a non-empty string');
      request.payId = value;
    } else if (name === 'createOrder') {
      if (!(VMQ_CREATE_FAULTS as readonly unknown[]).includes(value)) {
        throw new TypeError(`createOrder must be one of ${VMQ_CREATE_FAULTS.join(', ')}`);
      }
      faults.createOrder = value as VmqCreateFault;
    } else if (name === 'slowMs' || name === 'notifyDelayMs') {
      faults[name] = delayField(value, name);
    } else if ((BOOLEAN_FAULTS as readonly string[]).includes(name)) {
      faults[name as (typeof BOOLEAN_FAULTS)[number]] = booleanField(value, name);
    } else {
      throw new TypeError(`unknown fault ${JSON.stringify(name)}`);
    }
  }
  if (request.payId !== undefined && faults.phoneOffline !== undefined) {
    throw new TypeError('phoneOffline is global: the server has one monitor phone');
  }
  return request;
}
