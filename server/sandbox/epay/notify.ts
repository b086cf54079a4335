/**
 * The epay notify, as the gateway sends it: a GET to notify_url with the signed fields appended,
 * `money` cast to a PHP float (1.00 goes as `1`, 0.10 as `0.1`), param only when not empty; an
 * answer body *containing* success (success, SUCCESS or Success) acknowledges it.
 */
import { signed, type Params } from '../../epay/protocol.ts';
import type { FaultTable } from '../faults.ts';
import type { NotifyAttemptOf, NotifyProtocol } from '../notifier.ts';
import type { EpayOrder } from './state.ts';

/**
 * Seconds between attempts: at once, then +1, +2, +16, +36 min and +1 h (cron.php's schedule),
 * then never again.
 */
export const EPAY_RETRY_SCHEDULE: readonly number[] = [60, 120, 960, 2160, 3600];

/** The gateway's 5 s (curl) timeout for one notify. */
export const EPAY_NOTIFY_TIMEOUT_MS = 5_000;

export interface EpayLabels {
  tradeNo: string;
  outTradeNo: string;
}

export type EpayNotifyAttempt = NotifyAttemptOf<EpayLabels>;

/** Cents as PHP prints `(float) "1.00"`: the shortest decimal that round-trips, as JavaScript's String() does. */
export function phpFloat(cents: number): string {
  return String(cents / 100);
}

/** The notify's fields (the same ones go to return_url), unsigned. */
export function notifyFields(order: EpayOrder, pid: string): Params {
  const fields: Params = {
    pid,
    trade_no: order.tradeNo,
    out_trade_no: order.outTradeNo,
    type: order.type,
    name: order.name,
    money: phpFloat(order.paid?.money ?? order.money),
    trade_status: 'TRADE_SUCCESS',
  };
  if (order.param !== '') fields.param = order.param;
  return fields;
}

/** `url` with the signed fields appended (`&` when it has a query already). */
export function withSignedQuery(url: string, fields: Params, key: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(signed(fields, key)).toString()}`;
}

const ACKNOWLEDGED = /success|SUCCESS|Success/;

export function epayNotify(pid: string, key: string, faults: FaultTable): NotifyProtocol<EpayOrder, EpayLabels> {
  return {
    keyOf: (order) => order.tradeNo,
    labelsOf: ({ tradeNo, outTradeNo }) => ({ tradeNo, outTradeNo }),
    urlOf: (order) => order.notifyUrl,
    faultsOf: (order) => faults.for(order.outTradeNo),
    request: (order, badSignature) => ({
      // A wrong but well-formed sign: the md5 of the same fields under another key.
      url: withSignedQuery(order.notifyUrl, notifyFields(order, pid), badSignature ? `${key}!` : key),
      method: 'GET',
    }),
    acknowledged: (body) => ACKNOWLEDGED.test(body),
  };
}
