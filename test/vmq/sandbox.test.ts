/**
 * `GATEWAY=vmq npm run sandbox`: the V免签 sandbox alone, spoken to over HTTP as a merchant's code
 * speaks to V免签 (signed createOrder, unsigned getOrder/checkOrder, signed closeOrder/getState, the
 * phone's appPush), and a signer pointed at it with VMQ_URL as at a real V免签 server.
 */
import { hash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  checkOrderUrl,
  closeOrderUrl,
  createOrderUrl,
  getOrderUrl,
  getStateUrl,
  readCheckOrderAnswer,
} from '../../server/vmq/protocol.ts';
import { createVmqSandbox } from '../../server/sandbox/vmq/index.ts';
import { createOrder, eventually, postJson, requestJson } from '../support/http.ts';
import { startSandboxProcess, type Child } from '../support/processes.ts';
import { startStack, type Stack } from '../support/stack.ts';

const KEY = 'vmq-test-key-0123456789';
let sandbox: { child: Child; url: string };
beforeAll(async () => {
  sandbox = await startSandboxProcess({ GATEWAY: 'vmq', VMQ_KEY: KEY });
}, 30_000);
afterAll(() => sandbox?.child.kill('SIGTERM'));
afterEach(async () => {
  await postJson(`${sandbox.url}/_control/reset`, {});
});

let next = 0;
const payId = () => `T${process.pid}x${Date.now()}x${next++}`;
const get = async (url: string) => (await requestJson(url)).body;
const create = (id: string, price = 990, extra: { type?: 1 | 2; notifyUrl?: string } = {}) =>
  get(createOrderUrl(sandbox.url, { payId: id, type: extra.type ?? 2, price, notifyUrl: extra.notifyUrl }, KEY));
const push = (type: string, price: string) => {
  const t = String(Date.now());
  const sign = hash('md5', type + price + t + KEY, 'hex');
  return get(`${sandbox.url}/appPush?${new URLSearchParams({ t, type, price, sign })}`);
};

describe('the V免签 API, as vmqphp answers it', () => {
  it('createOrder checks its sign and answers JSON with isHtml=0, a redirect to the pay page with isHtml=1', async () => {
    const id = payId();
    const good = await create(id, 1000);
    expect(good).toMatchObject({
      code: 1,
      data: { payId: id, payType: 2, price: 10, reallyPrice: 10, isAuto: 0, state: 0, timeOut: 5 },
    });
    expect(good.data.payUrl).toBe(`${sandbox.url}/pay/${good.data.orderId}`);
    expect(await create(id)).toEqual({ code: -1, msg: '商户订单号已存在', data: null });
    const forged = createOrderUrl(sandbox.url, { payId: payId(), type: 2, price: 990 }, 'another-key');
    expect(await get(forged)).toEqual({ code: -1, msg: '签名错误', data: null });
    const html = createOrderUrl(sandbox.url, { payId: payId(), type: 1, price: 990 }, KEY).replace(
      'isHtml=0',
      'isHtml=1',
    );
    // isHtml is not signed: V免签 reads it after the sign.
    const redirect = await fetch(html, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toMatch(new RegExp(`^${sandbox.url}/pay/\\d{20}$`));
  });

  it('ten open orders of one price and type take ten amounts; the eleventh is 订单超出负荷', async () => {
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push(await create(payId(), 500));
    expect(answers.slice(0, 10).map((answer) => answer.data.reallyPrice)).toEqual([
      5, 5.01, 5.02, 5.03, 5.04, 5.05, 5.06, 5.07, 5.08, 5.09,
    ]);
    expect(answers[10]).toEqual({ code: -1, msg: '订单超出负荷，请稍后重试', data: null });
    expect((await create(payId(), 500, { type: 1 })).data.reallyPrice).toBe(5);
  });

  it('getOrder and checkOrder are unsigned; a paid checkOrder carries the signed return URL', async () => {
    const created = (await create(payId(), 1230)).data;
    expect(await get(getOrderUrl(sandbox.url, created.orderId))).toMatchObject({ code: 1, data: { state: 0 } });
    expect(await get(checkOrderUrl(sandbox.url, created.orderId))).toEqual({ code: -1, msg: '订单未支付', data: null });
    expect(await get(getOrderUrl(sandbox.url, '42'))).toEqual({ code: -1, msg: '云端订单编号不存在', data: null });
    // The phone reports 12.30 by Alipay: that order is paid; its notify has nowhere to go (state 2).
    expect(await push('2', '12.30')).toMatchObject({ code: 1 });
    expect(await push('2', '12.30')).toEqual({ code: -1, msg: '服务器没有找到此订单', data: null });
    await eventually(async () =>
      (await get(getOrderUrl(sandbox.url, created.orderId))).data.state === 2 ? 1 : undefined,
    );
    const paid = readCheckOrderAnswer(await get(checkOrderUrl(sandbox.url, created.orderId)), KEY);
    expect(paid).toEqual({
      paid: true,
      payment: { payId: created.payId, param: '', type: 2, price: 1230, reallyPrice: 1230 },
    });
    expect(readCheckOrderAnswer(await get(checkOrderUrl(sandbox.url, created.orderId)), 'wrong-key')).toMatchObject({
      ok: false,
    });
  });

  it('closeOrder takes md5(orderId + key), closes an open order once, and frees its amount', async () => {
    const created = (await create(payId(), 2000)).data;
    expect(await get(closeOrderUrl(sandbox.url, created.orderId, 'wrong-key'))).toMatchObject({
      code: -1,
      msg: '签名校验不通过',
    });
    expect(await get(closeOrderUrl(sandbox.url, created.orderId, KEY))).toMatchObject({ code: 1 });
    expect(await get(closeOrderUrl(sandbox.url, created.orderId, KEY))).toMatchObject({
      code: -1,
      msg: '订单状态不允许关闭',
    });
    expect(await get(checkOrderUrl(sandbox.url, created.orderId))).toMatchObject({ code: -1, msg: '订单已过期' });
    expect((await create(payId(), 2000)).data.reallyPrice).toBe(20);
  });

  it('getState tells the phone online or offline, with its last heartbeat and payment; offline refuses orders', async () => {
    const now = Date.now() / 1000;
    const online = await get(getStateUrl(sandbox.url, KEY, now));
    expect(online).toMatchObject({ code: 1, data: { jkstate: 1 } });
    expect(online.data.lastheart).toBeGreaterThan(now - 5);
    expect(await get(getStateUrl(sandbox.url, 'wrong-key', now))).toMatchObject({ code: -1 });
    await postJson(`${sandbox.url}/_control/switches`, { phoneOffline: true });
    expect(await get(getStateUrl(sandbox.url, KEY, now))).toMatchObject({ code: 1, data: { jkstate: 0 } });
    expect(await create(payId())).toEqual({ code: -1, msg: '监控端状态异常，请检查', data: null });
  });

  it('refuses an unknown or malformed fault switch, naming it', async () => {
    const unknown = await postJson(`${sandbox.url}/_control/faults`, { lostNotfy: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/lostNotfy/);
    // The phone is one for the whole server: a switch, not a per-order fault.
    expect((await postJson(`${sandbox.url}/_control/faults`, { payId: 'x', phoneOffline: true })).status).toBe(400);
    const badSwitch = await postJson(`${sandbox.url}/_control/switches`, { phoneOffline: 'yes' });
    expect([badSwitch.status, badSwitch.body.error]).toEqual([400, 'phoneOffline must be true or false']);
  });
});

describe('memory', () => {
  it('forgets an order ten minutes after it was closed or expired (bounded memory); until then it answers', async () => {
    let clock = Date.now();
    const vmq = createVmqSandbox({ merchantKey: KEY, now: () => clock });
    const api = vmq.inProcess('http://vmq.test');
    const call = async (url: string) => JSON.parse((await api.get(url, 1_000)).text);
    const open = (await call(createOrderUrl('http://vmq.test', { payId: 'open', type: 1, price: 100 }, KEY))).data;
    const done = (await call(createOrderUrl('http://vmq.test', { payId: 'done', type: 1, price: 200 }, KEY))).data;
    expect(await call(closeOrderUrl('http://vmq.test', done.orderId, KEY))).toMatchObject({ code: 1 });
    clock += 4 * 60_000;
    const later = (await call(createOrderUrl('http://vmq.test', { payId: 'later', type: 2, price: 100 }, KEY))).data;
    expect(await call(getOrderUrl('http://vmq.test', done.orderId))).toMatchObject({ code: 1, data: { state: -1 } });
    // Past its timeOut (5 min) and ten minutes more, the next createOrder forgets it.
    clock += 12 * 60_000;
    await call(createOrderUrl('http://vmq.test', { payId: 'next', type: 2, price: 300 }, KEY));
    expect(await call(getOrderUrl('http://vmq.test', done.orderId))).toMatchObject({
      code: -1,
      msg: '云端订单编号不存在',
    });
    // The open one expired at its timeOut (V免签 closes it itself) and went the same way.
    expect(await call(getOrderUrl('http://vmq.test', open.orderId))).toMatchObject({ code: -1 });
    // One done less than ten minutes ago still answers.
    expect(await call(getOrderUrl('http://vmq.test', later.orderId))).toMatchObject({ code: 1, data: { state: -1 } });
    await vmq.close();
  });
});

describe('a signer with VMQ_URL at this sandbox, as at a real V免签 server', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: {
        GATEWAY: 'vmq',
        VMQ_URL: sandbox.url,
        VMQ_KEY: KEY,
        PUBLIC_URL: 'http://127.0.0.1:1',
        PRICE_MIN: '0.01',
        PRICE_MAX: '100',
        GATEWAY_TIMEOUT_MS: '500',
      },
    });
  });
  afterAll(() => stack?.stop({ removeData: true }));

  it('creates over HTTP; a hanging createOrder is a GATEWAY_TIMEOUT, not a hang, and leaves nothing creating', async () => {
    const order = await createOrder(stack.url, { price: '1.50', type: 3 });
    expect(order).toMatchObject({ status: 'pending', money: '1.50' });
    expect(order.qr!.payload).toMatch(new RegExp(`^${sandbox.url}/pay/`));
    await postJson(`${sandbox.url}/_control/faults`, { createOrder: 'hang' });
    const hung = await postJson(`${stack.url}/api/orders`, { price: '1.50', type: 3 });
    expect([hung.status, hung.body.error.code]).toEqual([504, 'GATEWAY_TIMEOUT']);
    await postJson(`${sandbox.url}/_control/faults`, { createOrder: 'garbage' });
    const garbage = await postJson(`${stack.url}/api/orders`, { price: '1.50', type: 3 });
    expect([garbage.status, garbage.body.error.code]).toEqual([502, 'GATEWAY_BAD_RESPONSE']);
    expect((await stack.signer.store.counts()).orders.creating ?? 0).toBe(0);
  });
});
