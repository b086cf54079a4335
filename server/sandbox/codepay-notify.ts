/**
 * The CodePay notify, as the cloud sends it: a form POST of the signed payment fields (in the
 * order's charset), acknowledged only by an answer body of exactly `success`.
 */
import { formatCents } from '../../shared/money.ts';
import type { Params } from '../codepay/protocol.ts';
import { charsetOf, formBody, signIn } from './charset.ts';
import type { FaultTable } from './faults.ts';
import type { NotifyAttemptOf, NotifyProtocol } from './notifier.ts';
import type { Payment } from './state.ts';

/** Seconds between attempts, spread over about a day like the real gateway's. */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [
  15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
];

export interface CodePayLabels {
  payNo: string;
  orderId: string;
  payId: string;
}

export type NotifyAttempt = NotifyAttemptOf<CodePayLabels>;

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

export function codepayNotify(merchantKey: string, faults: FaultTable): NotifyProtocol<Payment, CodePayLabels> {
  return {
    keyOf: (payment) => payment.payNo,
    labelsOf: ({ payNo, orderId, payId }) => ({ payNo, orderId, payId }),
    urlOf: (payment) => payment.notifyUrl,
    faultsOf: (payment) => faults.for(payment.payId),
    request(payment, badSignature) {
      const fields = notifyFields(payment);
      // In the order's charset: GBK bytes, signed as bytes, for a merchant that created it with chart=gbk.
      const charset = charsetOf(payment.chart);
      // A wrong but well-formed sign: the md5 of the same fields under another key.
      const signature = signIn(charset, fields, badSignature ? `${merchantKey}!` : merchantKey);
      const form = formBody(charset, { ...fields, sign: signature });
      return { url: payment.notifyUrl, method: 'POST', headers: { 'content-type': form.contentType }, body: form.body };
    },
    acknowledged: (body) => body === 'success',
  };
}
