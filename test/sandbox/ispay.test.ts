/** ispay, the status query third-party CodePay clients poll. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedQuery } from '../../server/codepay/protocol.ts';
import {
  getJson,
  MERCHANT_ID,
  MERCHANT_KEY,
  MERCHANT_TOKEN,
  startSandbox,
  type RunningSandbox,
} from '../support/sandbox.ts';

let gateway: RunningSandbox;
beforeAll(async () => {
  gateway = await startSandbox();
});
afterAll(() => gateway.close());

async function create(payId: string, price = '6.00'): Promise<Record<string, unknown>> {
  return getJson(
    `${gateway.url}/creat_order/?${signedQuery({ id: MERCHANT_ID, price, pay_id: payId, page: '4', param: 'p' }, MERCHANT_KEY)}`,
  );
}

function isPay(params: Record<string, string>): Promise<Record<string, unknown>> {
  return getJson(`${gateway.url}/ispay?${new URLSearchParams({ id: MERCHANT_ID, token: MERCHANT_TOKEN, ...params })}`);
}

describe('ispay', () => {
  it('answers status 0 with pay_time 0 before the payment, status 1 with its details after', async () => {
    const order = await create('poll');
    expect(await isPay({ order_id: String(order.order_id) })).toMatchObject({
      status: 0,
      msg: 'no',
      order_id: order.order_id,
      pay_time: 0,
      money: '6.00',
    });

    const paid = await (
      await fetch(`${gateway.url}/pay/${order.order_id}`, { method: 'POST', headers: { accept: 'application/json' } })
    ).json();
    expect(await isPay({ order_id: String(order.order_id) })).toEqual({
      status: 1,
      msg: 'ok',
      order_id: order.order_id,
      pay_id: 'poll',
      type: 1,
      price: '6.00',
      money: '6.00',
      pay_no: paid.pay_no,
      pay_time: paid.pay_time,
      param: 'p',
      tag: 0,
      endTime: order.endTime,
    });
  });

  it('finds the newest order of a pay_id', async () => {
    await create('again', '1.00');
    const newer = await create('again', '2.00');
    expect(await isPay({ pay_id: 'again' })).toMatchObject({ status: 0, order_id: newer.order_id, price: '2.00' });
  });

  it('accepts a sign instead of the token', async () => {
    const order = await create('signed');
    const query = signedQuery({ id: MERCHANT_ID, order_id: String(order.order_id) }, MERCHANT_KEY);
    expect(await getJson(`${gateway.url}/ispay?${query}`)).toMatchObject({ status: 0, order_id: order.order_id });
  });

  it('answers through the call function when asked', async () => {
    const order = await create('jsonp');
    const text = await (
      await fetch(
        `${gateway.url}/ispay?${new URLSearchParams({ id: MERCHANT_ID, token: MERCHANT_TOKEN, order_id: String(order.order_id), call: 'callback' })}`,
      )
    ).text();
    expect(text).toMatch(/^callback\(\{"status":0,/);
  });

  it('refuses a wrong token or another merchant, and says when the order is unknown', async () => {
    const order = await create('guarded');
    expect(await isPay({ order_id: String(order.order_id), token: 'wrong' })).toEqual({
      status: -6,
      msg: 'token error',
    });
    expect(await isPay({ order_id: String(order.order_id), id: '1' })).toEqual({ status: -6, msg: 'token error' });
    expect(await isPay({ order_id: '404' })).toEqual({ status: -1, msg: 'no order' });
  });
});
