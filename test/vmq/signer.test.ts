/**
 * The signer with GATEWAY=vmq and no VMQ_URL: the V免签 sandbox at /sandbox, all over HTTP. From the
 * buyer's order to paid by the notify, by reconciliation alone when the notify is lost, the phone
 * offline refused at creation, expiry closing the order at V免签, and the monitor in /healthz.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { SANDBOX_VMQ_KEY } from '../../server/sandbox/credentials.ts';
import { notifySign } from '../../server/vmq/protocol.ts';
import { createOrder, eventually, postJson, requestJson } from '../support/http.ts';
import { startStack, type Stack } from '../support/stack.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { GATEWAY: 'vmq', RECONCILE_INTERVAL: '1' } });
});
afterAll(() => stack?.stop({ removeData: true }));
afterEach(async () => {
  await postJson(`${stack.sandboxUrl}/_control/reset`, {});
});

const sandboxOrder = async (payId: string) =>
  (await requestJson(`${stack.sandboxUrl}/_control/orders?payId=${payId}`)).body[0];
const attemptsOf = async (payId: string) =>
  (await requestJson(`${stack.sandboxUrl}/_control/attempts?payId=${payId}`)).body;
const statusOf = async (id: string) => (await requestJson<OrderView>(`${stack.url}/api/orders/${id}`)).body.status;
const paidEventually = (id: string, timeoutMs = 5_000) =>
  eventually(async () => ((await statusOf(id)) === 'paid' ? true : undefined), timeoutMs, `order ${id} paid`);
const pay = (order: OrderView, init: RequestInit = {}) =>
  requestJson(order.qr!.payload!, { method: 'POST', headers: { accept: 'application/json' }, ...init });

describe('GATEWAY=vmq in sandbox mode', () => {
  it('creates at V免签, shows reallyPrice and payUrl, and turns paid by the one notify GET', async () => {
    const order = await createOrder(stack.url, { price: '9.90', type: 1 });
    expect(order).toMatchObject({ status: 'pending', price: '9.90', money: '9.90', type: 1 });
    expect(order.qr!.payload).toMatch(new RegExp(`^${stack.sandboxUrl}/pay/\\d{20}$`));
    expect(order.qr!.link).toBe(order.qr!.payload);
    expect(order.qr!.enterAmount).toBeFalsy();
    // V免签's timeOut: 5 minutes by default.
    expect(order.expiresAt! - order.serverTime).toBeGreaterThan(5 * 60_000 - 2_000);
    expect(order.expiresAt! - order.serverTime).toBeLessThanOrEqual(5 * 60_000);
    expect(await sandboxOrder(order.id)).toMatchObject({ type: 2, price: '9.90', reallyPrice: '9.90', state: 0 });

    expect((await pay(order)).body).toMatchObject({ paid: true, duplicate: false, reallyPrice: '9.90' });
    await paidEventually(order.id);
    const attempts = await attemptsOf(order.id);
    expect(attempts).toHaveLength(1);
    // A GET to /api/notify (its query is read by the PHP peer's handler in php-peer.test.ts).
    expect(attempts[0]).toMatchObject({ url: `${stack.url}/api/notify`, status: 200, body: 'success', success: true });
    await eventually(async () => ((await sandboxOrder(order.id)).state === 1 ? true : undefined));
    const payments = await stack.signer.store.listPayments({ orderId: order.id });
    expect(payments).toMatchObject([{ payNo: order.id, money: 990, outcome: 'paid' }]);
  });

  it('tells open orders of one price apart by reallyPrice, a cent up each, per V免签 type', async () => {
    const orders = [];
    for (let i = 0; i < 3; i++) orders.push(await createOrder(stack.url, { price: '5.00', type: 3 }));
    expect(orders.map((order) => order.money)).toEqual(['5.00', '5.01', '5.02']);
    // Alipay is another type: its amounts are its own.
    expect((await createOrder(stack.url, { price: '5.00', type: 1 })).money).toBe('5.00');
    await pay(orders[1]);
    await paidEventually(orders[1].id);
    expect(await statusOf(orders[0].id)).toBe('pending');
    expect(await statusOf(orders[2].id)).toBe('pending');
  });

  it('a lost notify (never re-sent): the order turns paid by reconciliation alone (checkOrder)', async () => {
    expect((await postJson(`${stack.sandboxUrl}/_control/faults`, { lostNotify: true })).status).toBe(200);
    const order = await createOrder(stack.url, { price: '3.30', type: 1 });
    await pay(order);
    // V免签 knows it paid with its notify failed (state 2), and sends nothing more.
    expect(await sandboxOrder(order.id)).toMatchObject({ state: 2, notify: 'lost' });
    expect(await attemptsOf(order.id)).toEqual([]);
    await paidEventually(order.id, 8_000);
    expect(stack.logs.some((line) => line.includes('"via":"query"') && line.includes(order.id))).toBe(true);
    expect(await stack.signer.store.listPayments({ orderId: order.id })).toMatchObject([{ outcome: 'paid' }]);
  });

  it('duplicate and delayed notifies count once', async () => {
    await postJson(`${stack.sandboxUrl}/_control/faults`, { duplicateNotify: true, notifyDelayMs: 300 });
    const order = await createOrder(stack.url, { price: '4.40', type: 3 });
    await pay(order);
    await paidEventually(order.id);
    await eventually(async () => ((await attemptsOf(order.id)).length === 2 ? true : undefined));
    expect(await stack.signer.store.listPayments({ orderId: order.id })).toHaveLength(1);
  });

  it('a notify with another amount puts the order in review; a bad signature is refused', async () => {
    await postJson(`${stack.sandboxUrl}/_control/faults`, { differentMoney: true });
    const order = await createOrder(stack.url, { price: '6.60', type: 1 });
    await pay(order);
    await eventually(async () => ((await statusOf(order.id)) === 'review' ? true : undefined));

    await postJson(`${stack.sandboxUrl}/_control/faults`, { badSignature: true });
    const forged = await createOrder(stack.url, { price: '6.70', type: 1 });
    await pay(forged);
    await eventually(async () => ((await attemptsOf(forged.id)).length === 1 ? true : undefined));
    expect(await attemptsOf(forged.id)).toMatchObject([{ status: 400, body: 'fail', success: false }]);
    expect(await statusOf(forged.id)).toBe('pending');
  });

  it('a validly signed notify whose fields are not those of its order is refused and changes nothing', async () => {
    const order = await createOrder(stack.url, { price: '2.00', type: 3 });
    const notify = (fields: Parameters<typeof notifySign>[0]) =>
      fetch(`${stack.url}/api/notify?${new URLSearchParams({ ...fields, sign: notifySign(fields, SANDBOX_VMQ_KEY) })}`);
    // Signed with the key, but for another V免签 type (Alipay) than the order's (WeChat): not this order's payment.
    const resplit = { payId: order.id, param: '', type: '1', price: '2.00', reallyPrice: '2.00' };
    const answer = await notify({ ...resplit, type: '2' });
    expect([answer.status, await answer.text()]).toEqual([400, 'fail']);
    expect(await statusOf(order.id)).toBe('pending');
    expect(await stack.signer.store.listPayments({ orderId: order.id })).toEqual([]);
    const right = await notify(resplit);
    expect([right.status, await right.text()]).toEqual([200, 'success']);
    expect(await statusOf(order.id)).toBe('paid');
  });

  it('no fixed-amount QR: the buyer types the amount (enterAmount); another amount pays nothing', async () => {
    await postJson(`${stack.sandboxUrl}/_control/switches`, { noFixedQr: true });
    const order = await createOrder(stack.url, { price: '8.80', type: 3 });
    expect(order.qr!.enterAmount).toBe(true);
    const form = (amount: string) => ({
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: `amount=${amount}`,
    });
    const wrong = await pay(order, form('8.79'));
    expect(wrong.status).toBe(409);
    expect(await statusOf(order.id)).toBe('pending');
    expect((await pay(order, form('8.80'))).status).toBe(200);
    await paidEventually(order.id);
  });

  it('the phone offline: a clear 503 GATEWAY_MONITOR_OFFLINE at creation, nothing left pending', async () => {
    const before = (await stack.signer.store.counts()).orders;
    await postJson(`${stack.sandboxUrl}/_control/switches`, { phoneOffline: true });
    const answer = await postJson(`${stack.url}/api/orders`, { price: '1.00', type: 1 });
    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('GATEWAY_MONITOR_OFFLINE');
    expect(answer.body.error.message).toMatch(/monitor phone is offline/);
    const chinese = await postJson(
      `${stack.url}/api/orders`,
      { price: '1.00', type: 1 },
      { 'accept-language': 'zh-CN' },
    );
    expect(chinese.body.error.message).toBe('商家的收款监控暂时离线，现在付款无法到账确认，请稍后再试或联系商家。');
    const after = (await stack.signer.store.counts()).orders;
    // Reconciliation may settle earlier tests' orders meanwhile: none is added, none left creating.
    expect(after.pending ?? 0).toBeLessThanOrEqual(before.pending ?? 0);
    expect(after.creating ?? 0).toBe(0);
    const failed = await stack.signer.store.listOrders({ status: 'failed' });
    expect(failed.filter((order) => order.errorCode === 'GATEWAY_MONITOR_OFFLINE')).toHaveLength(2);
  });
});

describe('the monitor in /healthz', () => {
  it('shows V免签 reachable with its phone online and its last heartbeat, never the key', async () => {
    const answer = await requestJson(`${stack.url}/healthz`);
    expect(answer.status).toBe(200);
    expect(answer.body.gateway).toMatchObject({ reachable: true, monitor: 'online' });
    expect(Date.parse(answer.body.gateway.lastHeartbeatAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(answer.body)).not.toContain(SANDBOX_VMQ_KEY);
  });

  it('shows the phone offline (answered a few seconds old at most), the signer itself still healthy', async () => {
    await postJson(`${stack.sandboxUrl}/_control/switches`, { phoneOffline: true });
    const offline = await eventually(
      async () => {
        const answer = await requestJson(`${stack.url}/healthz`);
        return answer.body.gateway.monitor === 'offline' ? answer : undefined;
      },
      5_000,
      '/healthz monitor offline',
    );
    expect(offline.status).toBe(200);
    expect(offline.body).toMatchObject({ ok: true, gateway: { reachable: true, monitor: 'offline' } });
  });
});

describe('a V免签 server that never answers', () => {
  const silent = createServer(() => {
    // Takes the request and says nothing.
  });
  let hung: Stack;
  beforeAll(async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    hung = await startStack({
      env: {
        GATEWAY: 'vmq',
        VMQ_URL: url,
        VMQ_KEY: 'vmq-key-123456',
        PUBLIC_URL: 'http://127.0.0.1:1',
        PRICE_MIN: '1',
      },
    });
  });
  afterAll(async () => {
    await hung?.stop({ removeData: true });
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('/healthz still answers: the gateway unreachable after the 3 s of getState, not the 10 s gateway timeout', async () => {
    const answer = await requestJson(`${hung.url}/healthz`);
    expect(answer.status).toBe(200);
    expect(answer.body.gateway).toEqual({
      reachable: false,
      error: 'The payment gateway did not answer within 3000 ms. Please try again.',
    });
  });
});

describe('the admin CLI', () => {
  const health = () =>
    new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        ['bin/codepay-checkout.js', 'health', '--json'],
        { cwd: ROOT, env: { ...process.env, GATEWAY: 'vmq', DATA_DIR: stack.dataDir, PUBLIC_URL: stack.url } },
        (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }),
      );
    });

  it('health prints the monitor (exit 0 online, 1 offline), never the key', async () => {
    const online = await health();
    expect(online.code).toBe(0);
    expect(JSON.parse(online.stdout)).toMatchObject({ reachable: true, monitor: 'online' });
    expect(online.stdout).not.toContain(SANDBOX_VMQ_KEY);
    await postJson(`${stack.sandboxUrl}/_control/switches`, { phoneOffline: true });
    const offline = await health();
    expect(offline.code).toBe(1);
    expect(JSON.parse(offline.stdout)).toMatchObject({ reachable: true, monitor: 'offline' });
  });
});

describe('expiry', () => {
  let clock = Date.now();
  let timed: Stack;
  beforeAll(async () => {
    timed = await startStack({ env: { GATEWAY: 'vmq' }, now: () => clock });
  });
  afterAll(() => timed?.stop({ removeData: true }));

  it('an order the shop expires is closed at V免签 (closeOrder), which frees its amount', async () => {
    const order = await createOrder(timed.url, { price: '7.00', type: 1 });
    const atVmq = async () => (await requestJson(`${timed.sandboxUrl}/_control/orders?payId=${order.id}`)).body[0];
    expect(await atVmq()).toMatchObject({ state: 0 });
    clock += 5 * 60_000 + 1_000;
    await eventually(async () => ((await atVmq()).state === -1 ? true : undefined));
    expect((await requestJson<OrderView>(`${timed.url}/api/orders/${order.id}`)).body.status).toBe('expired');
    expect(timed.logs.some((line) => line.includes('order closed at the gateway'))).toBe(true);
    // Its 7.00 is free again for the next buyer.
    expect((await createOrder(timed.url, { price: '7.00', type: 1 })).money).toBe('7.00');
  });
});
