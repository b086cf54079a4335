/** The epay sandbox's fault switches (the CodePay sandbox's, keyed by out_trade_no), set over HTTP. */
import { describe, expect, it } from 'vitest';
import { readCreateAnswer, readNotify, signed } from '../../server/epay/protocol.ts';
import {
  attempts,
  closedAfterEach,
  createOrder,
  getJson,
  KEY,
  mapi,
  orderFields,
  pay,
  PID,
  postJson,
  queryOrder,
  setFaults,
  settled,
  startMerchant,
  startPhpEpayNotify,
  waitFor,
} from '../support/epay-sandbox.ts';
import { startSandbox } from '../support/sandbox.ts';

const { epay, later } = closedAfterEach();

describe('mapi.php faults', () => {
  it('answers code -1, code -2, HTTP 500 or a PHP warning for the out_trade_no it is set for, normally for others', async () => {
    const gateway = await epay();
    const failing = orderFields();
    const post = (fields: Record<string, string>) =>
      fetch(`${gateway.url}/mapi.php`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(signed(fields, KEY)).toString(),
      });
    await setFaults(gateway, { out_trade_no: failing.out_trade_no, createOrder: 'fail' });
    expect(await mapi(gateway, failing)).toEqual({ code: -1, msg: expect.any(String) });
    expect(await mapi(gateway, orderFields())).toMatchObject({ code: 1 });

    await setFaults(gateway, { out_trade_no: failing.out_trade_no, createOrder: 'error' });
    expect(readCreateAnswer(await mapi(gateway, failing))).toMatchObject({ ok: false, code: 'GATEWAY_REJECTED' });

    await setFaults(gateway, { out_trade_no: failing.out_trade_no, createOrder: 'http-500' });
    expect((await post(failing)).status).toBe(500);

    await setFaults(gateway, { out_trade_no: failing.out_trade_no, createOrder: 'garbage' });
    const garbage = await post(failing);
    expect(garbage.status).toBe(200);
    const text = await garbage.text();
    expect(() => JSON.parse(text)).toThrow();
    expect(await getJson(`${gateway.url}/_control/orders?out_trade_no=${failing.out_trade_no}`)).toEqual([]);
  });

  it('hang: no answer at all, until the caller gives up', async () => {
    const gateway = await epay();
    await setFaults(gateway, { createOrder: 'hang' });
    const request = fetch(`${gateway.url}/mapi.php`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(signed(orderFields(), KEY)).toString(),
      signal: AbortSignal.timeout(300),
    });
    await expect(request).rejects.toThrow(/aborted|timeout/i);
    expect(await getJson(`${gateway.url}/_control/orders`)).toEqual([]);
  });

  it('hang in-process: the call rejects at its timeout', async () => {
    const gateway = await epay();
    await setFaults(gateway, { createOrder: 'hang' });
    const caller = gateway.sandbox.inProcess(gateway.url);
    const form = new URLSearchParams(signed(orderFields(), KEY)).toString();
    await expect(caller.post(`${gateway.url}/mapi.php`, form, 200)).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('slowMs: answers normally, after a hasty client has given up', async () => {
    const gateway = await epay();
    await setFaults(gateway, { slowMs: 500 });
    const hasty = fetch(`${gateway.url}/mapi.php`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(signed(orderFields(), KEY)).toString(),
      signal: AbortSignal.timeout(100),
    });
    await expect(hasty).rejects.toThrow(/aborted|timeout/i);
    expect(await mapi(gateway, orderFields())).toMatchObject({ code: 1 });
  });
});

describe('api.php faults', () => {
  it('api http-500 or garbage: act=order for that out_trade_no (by trade_no too) gets no JSON; others do', async () => {
    const gateway = await epay();
    const order = await createOrder(gateway);
    const other = await createOrder(gateway);
    await setFaults(gateway, { out_trade_no: order.out_trade_no, api: 'http-500' });
    const query = (ref: Record<string, string>) =>
      fetch(`${gateway.url}/api.php?${new URLSearchParams({ act: 'order', pid: PID, key: KEY, ...ref })}`);
    expect((await query({ out_trade_no: order.out_trade_no })).status).toBe(500);
    expect((await query({ trade_no: String(order.trade_no) })).status).toBe(500);
    expect(await queryOrder(gateway, { out_trade_no: other.out_trade_no })).toMatchObject({ code: 1 });
    await setFaults(gateway, { out_trade_no: order.out_trade_no, api: 'garbage' });
    const garbage = await query({ out_trade_no: order.out_trade_no });
    expect(garbage.status).toBe(200);
    expect(await garbage.text()).not.toMatch(/^\{/);
  });

  it('api hang: a refund gets no answer, over HTTP or in-process, and is not made; switched off, it is', async () => {
    const gateway = await epay();
    const order = await createOrder(gateway);
    await pay(gateway, order.trade_no);
    await setFaults(gateway, { api: 'hang' });
    const body = new URLSearchParams({ pid: PID, key: KEY, out_trade_no: order.out_trade_no, money: '1.00' });
    const request = fetch(`${gateway.url}/api.php?act=refund`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
      signal: AbortSignal.timeout(300),
    });
    await expect(request).rejects.toThrow(/aborted|timeout/i);
    const caller = gateway.sandbox.inProcess(gateway.url);
    await expect(caller.post(`${gateway.url}/api.php?act=refund`, body.toString(), 200)).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(await getJson(`${gateway.url}/_control/refunds`)).toEqual([]);
    await setFaults(gateway, {});
    expect(await queryOrder(gateway, { out_trade_no: order.out_trade_no })).toMatchObject({ status: 1 });
    expect(
      JSON.parse((await caller.post(`${gateway.url}/api.php?act=refund`, body.toString(), 1000)).text),
    ).toMatchObject({ code: 0 });
  });

  it('is a switch of the epay sandbox only: the CodePay sandbox refuses it', async () => {
    const codepay = await startSandbox();
    later(codepay.close);
    const response = await postJson(`${codepay.url}/_control/faults`, { api: 'hang' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'this sandbox has no api faults' });
  });
});

describe('notify faults', () => {
  it('badSignature: a PHP merchant refuses it; once the switch is off, the re-send is accepted', async () => {
    const php = await startPhpEpayNotify();
    later(php.close);
    const gateway = await epay({ retrySchedule: [0.3, 0.3, 0.3] });
    const order = await createOrder(gateway, { notify_url: php.url });
    await setFaults(gateway, { out_trade_no: order.out_trade_no, badSignature: true });
    await pay(gateway, order.trade_no);
    await waitFor(
      async () => ((await attempts(gateway, `trade_no=${order.trade_no}`)).length > 0 ? true : undefined),
      'a try',
    );
    expect((await attempts(gateway, `trade_no=${order.trade_no}`))[0]).toMatchObject({ body: 'fail', success: false });
    await setFaults(gateway, { out_trade_no: order.out_trade_no });
    expect(await settled(gateway, order.trade_no)).toBe('delivered');
    expect(php.verified()).toHaveLength(1);
  });

  it('differentMoney: the buyer pays a cent more, and the notify and the order query say so', async () => {
    const merchant = await startMerchant(['success']);
    later(merchant.close);
    const gateway = await epay();
    const order = await createOrder(gateway, { notify_url: merchant.url, money: '1.00' });
    await setFaults(gateway, { differentMoney: true });
    await pay(gateway, order.trade_no);
    await settled(gateway, order.trade_no);
    expect(merchant.received[0].query.money).toBe('1.01');
    expect(readNotify(merchant.received[0].query, KEY, PID)).toMatchObject({ ok: true, payment: { money: 101 } });
    expect(await queryOrder(gateway, { out_trade_no: order.out_trade_no })).toMatchObject({ money: '1.01', status: 1 });
  });

  it('duplicateNotify: each attempt is sent twice at once', async () => {
    const merchant = await startMerchant(['success']);
    later(merchant.close);
    const gateway = await epay();
    const order = await createOrder(gateway, { notify_url: merchant.url });
    await setFaults(gateway, { duplicateNotify: true });
    await pay(gateway, order.trade_no);
    await settled(gateway, order.trade_no);
    expect(merchant.received).toHaveLength(2);
    expect(merchant.received[0].url).toBe(merchant.received[1].url);
    expect((await attempts(gateway, `trade_no=${order.trade_no}`)).map((each) => each.duplicate).sort()).toEqual([
      false,
      true,
    ]);
  });

  it('notifyDelayMs: nothing is sent at once, then it arrives', async () => {
    const merchant = await startMerchant(['success']);
    later(merchant.close);
    const gateway = await epay();
    const order = await createOrder(gateway, { notify_url: merchant.url });
    await setFaults(gateway, { notifyDelayMs: 400 });
    await pay(gateway, order.trade_no);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(merchant.received).toEqual([]);
    expect(await settled(gateway, order.trade_no)).toBe('delivered');
    expect(merchant.received).toHaveLength(1);
  });

  it('lostNotify: paid, never notified; only the order query finds the payment', async () => {
    const merchant = await startMerchant(['success']);
    later(merchant.close);
    const gateway = await epay();
    const order = await createOrder(gateway, { notify_url: merchant.url });
    await setFaults(gateway, { out_trade_no: order.out_trade_no, lostNotify: true });
    await pay(gateway, order.trade_no);
    expect(await settled(gateway, order.trade_no)).toBe('lost');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(merchant.received).toEqual([]);
    expect(await attempts(gateway, `trade_no=${order.trade_no}`)).toEqual([]);
    expect(await queryOrder(gateway, { out_trade_no: order.out_trade_no })).toMatchObject({ status: 1 });
  });
});

describe('the switches themselves', () => {
  it('are listed by scope, refused with the reason when mistyped, and cleared by reset', async () => {
    const gateway = await epay();
    await setFaults(gateway, { badSignature: true });
    await setFaults(gateway, { out_trade_no: 'o-1', createOrder: 'hang', slowMs: 10 });
    expect(await getJson(`${gateway.url}/_control/faults`)).toEqual({
      global: { badSignature: true },
      byOutTradeNo: { 'o-1': { createOrder: 'hang', slowMs: 10 } },
    });
    for (const body of [
      { createOrder: 'bad-params' },
      { pay_id: 'x' },
      { lostNotify: 'yes' },
      { slowMs: -1 },
      { api: 'fail' },
    ]) {
      const response = await postJson(`${gateway.url}/_control/faults`, body);
      expect(response.status).toBe(400);
    }
    await createOrder(gateway);
    await postJson(`${gateway.url}/_control/reset`, {});
    expect(await getJson(`${gateway.url}/_control/faults`)).toEqual({ global: {}, byOutTradeNo: {} });
    expect(await getJson(`${gateway.url}/_control/orders`)).toHaveLength(1);
    await postJson(`${gateway.url}/_control/reset`, { state: true });
    expect(await getJson(`${gateway.url}/_control/orders`)).toEqual([]);
  });

  it('answer only this machine, not through a proxy', async () => {
    const gateway = await epay();
    const forwarded = await fetch(`${gateway.url}/_control/orders`, { headers: { 'x-forwarded-for': '203.0.113.1' } });
    expect(forwarded.status).toBe(403);
    const notJson = await fetch(`${gateway.url}/_control/faults`, { method: 'POST', body: '{"slowMs":1}' });
    expect(notJson.status).toBe(415);
  });
});
