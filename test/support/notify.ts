/** Notifies as the CodePay gateway signs them, for tests that play the gateway's side. */
import type { OrderView } from '../../shared/api.ts';
import { sign, type Params } from '../../server/codepay/protocol.ts';
import { SANDBOX_MERCHANT_KEY } from '../../server/sandbox/credentials.ts';

let counter = 0;

/** The document's notify fields for paying `order` in full, with a fresh pay_no (digits, as the gateway's). */
export function notifyFor(
  order: Pick<OrderView, 'id' | 'money' | 'price' | 'type' | 'param'>,
  overrides: Params = {},
): Params {
  return {
    pay_id: order.id,
    money: order.money ?? order.price,
    price: order.price,
    type: String(order.type),
    pay_no: `${Date.now()}${process.pid}${counter++}`,
    param: order.param ?? '',
    pay_time: String(Math.floor(Date.now() / 1000)),
    tag: '0',
    chart: 'utf-8',
    status: '2',
    ...overrides,
  };
}

/** The form body the gateway POSTs: the fields and their sign. */
export function signedForm(fields: Params, key = SANDBOX_MERCHANT_KEY): string {
  return new URLSearchParams({ ...fields, sign: sign(fields, key) }).toString();
}
