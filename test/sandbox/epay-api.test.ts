/** The epay sandbox's api.php: act=order (pid and key in the query) and act=refund (POST, code 0 on success). */
import { describe, expect, it } from 'vitest';
import { readOrderAnswer, readRefundAnswer } from '../../server/epay/protocol.ts';
import {
  closedAfterEach,
  createOrder,
  getJson,
  KEY,
  pay,
  PID,
  postForm,
  queryOrder,
  refund,
} from '../support/epay-sandbox.ts';

const { epay } = closedAfterEach();

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe('api.php?act=order', () => {
  it('answers an unpaid order by out_trade_no with status 0 and the fields of the protocol', async () => {
    const gateway = await epay();
    const order = await createOrder(gateway, { money: '9.90', param: 'p&1', type: 'qqpay' });
    const answer = await queryOrder(gateway, { out_trade_no: order.out_trade_no });
    expect(answer).toEqual({
      code: 1,
      msg: expect.any(String),
      trade_no: order.trade_no,
      out_trade_no: order.out_trade_no,
      api_trade_no: '',
      type: 'qqpay',
      pid: PID,
      addtime: expect.stringMatching(DATETIME),
      endtime: null,
      name: 'VIP会员',
      money: '9.90',
      param: 'p&amp;1',
      buyer: '',
      status: 0,
      payurl: `${gateway.url}/pay/${order.trade_no}`,
    });
    expect(readOrderAnswer(answer)).toMatchObject({ found: true, state: 'unpaid', money: 990, param: 'p&1' });
  });

  it('answers a paid order, by trade_no too, with status 1, its end time, channel number and buyer', async () => {
    const gateway = await epay();
    const order = await createOrder(gateway);
    await pay(gateway, order.trade_no);
    const byTradeNo = await queryOrder(gateway, { trade_no: String(order.trade_no) });
    expect(byTradeNo).toMatchObject({
      code: 1,
      status: 1,
      out_trade_no: order.out_trade_no,
      endtime: expect.stringMatching(DATETIME),
      api_trade_no: expect.stringMatching(/^\d{28}$/),
      buyer: expect.any(String),
    });
    expect(await queryOrder(gateway, { out_trade_no: order.out_trade_no })).toEqual(byTradeNo);
    expect(readOrderAnswer(byTradeNo)).toMatchObject({ found: true, state: 'paid', money: 100 });
  });

  it('refuses a wrong key or pid (-3), a missing one, and answers -1 for an order it does not hold', async () => {
    const gateway = await epay();
    const order = await createOrder(gateway);
    const wrongKey = await queryOrder(gateway, { out_trade_no: order.out_trade_no }, 'guessed-key');
    expect(wrongKey).toMatchObject({ code: -3 });
    expect(JSON.stringify(wrongKey)).not.toContain(KEY);
    const query = (fields: Record<string, string>) => getJson(`${gateway.url}/api.php?${new URLSearchParams(fields)}`);
    expect(await query({ act: 'order', pid: '9', key: KEY, out_trade_no: order.out_trade_no })).toMatchObject({
      code: -3,
    });
    expect(await query({ act: 'order', pid: PID, out_trade_no: order.out_trade_no })).toMatchObject({ code: -2 });
    expect(await query({ act: 'order', pid: PID, key: KEY })).toMatchObject({ code: -4 });
    const missing = await queryOrder(gateway, { out_trade_no: 'never-made' });
    expect(missing).toEqual({ code: -1, msg: '订单号不存在' });
    expect(readOrderAnswer(missing)).toMatchObject({ found: false });
    expect(await query({ act: 'nothing', pid: PID, key: KEY })).toMatchObject({ code: -5 });
  });
});

describe('api.php?act=refund', () => {
  it('refunds a paid order with code 0, in parts, and never more than was paid; the order shows status 2', async () => {
    const gateway = await epay();
    const order = await createOrder(gateway, { money: '10.00' });
    await pay(gateway, order.trade_no);
    const first = await refund(gateway, { out_trade_no: order.out_trade_no }, '4.00');
    expect(first).toMatchObject({ code: 0, money: '4.00' });
    expect(readRefundAnswer(first)).toEqual({ ok: true, money: 400 });
    expect(await queryOrder(gateway, { out_trade_no: order.out_trade_no })).toMatchObject({ status: 2 });

    const over = await refund(gateway, { trade_no: String(order.trade_no) }, '6.01');
    expect(over).toMatchObject({ code: -1, msg: expect.stringContaining('6.00') });
    expect(readRefundAnswer(over)).toMatchObject({ ok: false });
    expect(await refund(gateway, { trade_no: String(order.trade_no) }, '6.00')).toMatchObject({ code: 0 });
    expect(await refund(gateway, { trade_no: String(order.trade_no) }, '0.01')).toMatchObject({ code: -1 });

    const [listed] = (await getJson(`${gateway.url}/_control/refunds`)) as unknown as Record<string, unknown>[];
    expect(listed).toMatchObject({
      trade_no: order.trade_no,
      status: 2,
      refunded: '10.00',
      refunds: [{ money: '4.00' }, { money: '6.00' }],
    });
  });

  it('refuses an unpaid order, a bad amount, a wrong key, and a GET; refunds nothing then', async () => {
    const gateway = await epay();
    const order = await createOrder(gateway);
    expect(await refund(gateway, { out_trade_no: order.out_trade_no }, '1.00')).toMatchObject({ code: -1 });
    await pay(gateway, order.trade_no);
    for (const money of ['0', '-1', '1.001', 'all', '']) {
      expect(await refund(gateway, { out_trade_no: order.out_trade_no }, money)).toMatchObject({ code: -1 });
    }
    expect(await refund(gateway, { out_trade_no: order.out_trade_no }, '1.00', 'guessed')).toMatchObject({
      code: -3,
    });
    expect(await refund(gateway, { out_trade_no: 'never-made' }, '1.00')).toMatchObject({ code: -1 });
    const byGet = await getJson(
      `${gateway.url}/api.php?${new URLSearchParams({ act: 'refund', pid: PID, key: KEY, out_trade_no: order.out_trade_no, money: '1.00' })}`,
    );
    expect(byGet).not.toMatchObject({ code: 0 });
    expect(await getJson(`${gateway.url}/_control/refunds`)).toEqual([]);
    expect(await queryOrder(gateway, { out_trade_no: order.out_trade_no })).toMatchObject({ status: 1 });
  });

  it('reads its fields from the POST body, the act from the query', async () => {
    const gateway = await epay();
    const order = await createOrder(gateway);
    await pay(gateway, order.trade_no);
    const body = new URLSearchParams({
      act: 'refund',
      pid: PID,
      key: KEY,
      trade_no: String(order.trade_no),
      money: '1',
    });
    const answer = await postForm(`${gateway.url}/api.php`, body.toString());
    expect(JSON.parse(answer.text)).toMatchObject({ code: 0, money: '1.00' });
  });
});
