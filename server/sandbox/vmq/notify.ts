/**
 * V免签's notify as a NotifyProtocol of the shared notifier: one GET to the order's notify URL with
 * the payment's fields appended unencoded (as V免签 concatenates them) and prices as its DOUBLE
 * columns print them (`9.9`). Only an answer of exactly `success` acknowledges it, and nothing is
 * ever sent again (V免签's admin has a manual button for that): no retry schedule.
 */
import { notifySign } from '../../vmq/protocol.ts';
import type { FaultTable } from '../faults.ts';
import type { NotifyAttemptOf, NotifyProtocol } from '../notifier.ts';
import type { VmqSandboxOrder } from './state.ts';

export interface VmqLabels {
  payId: string;
  orderId: string;
}

export type VmqNotifyAttempt = NotifyAttemptOf<VmqLabels>;

/** A DOUBLE column as PHP prints it: 9.9, 10, 0.01. */
function double(cents: number): string {
  return String(cents / 100);
}

/** The notify's query (checkOrder's return URL carries the same): `payId=…&param=…`, values as they are. */
export function notifyQuery(order: VmqSandboxOrder, key: string, extraCents = 0): string {
  const fields = {
    payId: order.payId,
    param: order.param,
    type: String(order.type),
    price: double(order.price),
    reallyPrice: double(order.reallyPrice + extraCents),
  };
  return Object.entries({ ...fields, sign: notifySign(fields, key) })
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

export function vmqNotify(key: string, faults: FaultTable): NotifyProtocol<VmqSandboxOrder, VmqLabels> {
  return {
    keyOf: (order) => order.payId,
    labelsOf: ({ payId, orderId }) => ({ payId, orderId }),
    urlOf: (order) => order.notifyUrl,
    faultsOf: (order) => faults.for(order.payId),
    request: (order, badSignature) => {
      const separator = order.notifyUrl.includes('?') ? '&' : '?';
      // differentMoney: the phone saw a cent more than the order's reallyPrice.
      const extra = faults.for(order.payId).differentMoney ? 1 : 0;
      // A wrong but well-formed sign: the md5 of the same fields under another key.
      const query = notifyQuery(order, badSignature ? `${key}!` : key, extra);
      return { url: `${order.notifyUrl}${separator}${query}`, method: 'GET' };
    },
    acknowledged: (body) => body === 'success',
  };
}
