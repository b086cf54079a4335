/** The epay sandbox called in-process (as the signer that mounts it calls it): the same answers as over HTTP. */
import { describe, expect, it } from 'vitest';
import {
  orderQuery,
  readCreateAnswer,
  readOrderAnswer,
  readRefundAnswer,
  refundRequest,
  signed,
} from '../../server/epay/protocol.ts';
import { closedAfterEach, KEY, orderFields, pay, PID, queryOrder, startMerchant } from '../support/epay-sandbox.ts';

const { epay, later } = closedAfterEach();

describe('the in-process caller', () => {
  it('creates at mapi.php, queries and refunds at api.php: the orders are the ones HTTP sees', async () => {
    const gateway = await epay();
    const caller = gateway.sandbox.inProcess(gateway.url);
    const fields = orderFields({ money: '5.00' });
    const created = await caller.post(
      `${gateway.url}/mapi.php`,
      new URLSearchParams(signed(fields, KEY)).toString(),
      1000,
    );
    expect(created.status).toBe(200);
    const answer = readCreateAnswer(JSON.parse(created.text));
    if (!answer.ok) throw new Error(answer.message);
    expect(answer.pay).toEqual({ kind: 'qrcode', value: `${gateway.url}/pay/${answer.tradeNo}` });
    expect(await queryOrder(gateway, { out_trade_no: fields.out_trade_no })).toMatchObject({
      trade_no: answer.tradeNo,
    });

    const query = orderQuery(gateway.url, PID, KEY, { outTradeNo: fields.out_trade_no });
    const unpaid = await caller.get(query.reveal(), 1000);
    expect(readOrderAnswer(JSON.parse(unpaid.text))).toMatchObject({ found: true, state: 'unpaid', money: 500 });
    await pay(gateway, answer.tradeNo);
    const paid = await caller.get(query.reveal(), 1000);
    expect(readOrderAnswer(JSON.parse(paid.text))).toMatchObject({ state: 'paid' });

    const request = refundRequest(gateway.url, PID, KEY, { tradeNo: answer.tradeNo }, 200);
    const refunded = await caller.post(request.url, request.body.reveal(), 1000);
    expect(readRefundAnswer(JSON.parse(refunded.text))).toEqual({ ok: true, money: 200 });
    expect(await queryOrder(gateway, { trade_no: answer.tradeNo })).toMatchObject({ status: 2 });
  });

  it('sends other URLs over HTTP, GET and POST alike', async () => {
    const merchant = await startMerchant(['hello']);
    later(merchant.close);
    const gateway = await epay();
    const caller = gateway.sandbox.inProcess(gateway.url);
    expect(await caller.get(`${merchant.url}?a=1`, 1000)).toEqual({ status: 200, text: 'hello' });
    expect(await caller.post(merchant.url, 'b=2', 1000)).toEqual({ status: 200, text: 'hello' });
    expect(merchant.received.map((each) => each.method)).toEqual(['GET', 'POST']);
  });
});
