/**
 * Issue 13, finding 2: "9.90 paid with 0.01". CodePay tells open orders of one price apart by
 * shifting the amount asked; after enough open orders the gateway asked 0.01 for a 9.90 order and
 * the signer took that as the order's amount. Now the signer refuses an amount further from the
 * price than MONEY_TOLERANCE_BELOW/ABOVE, the sandbox shifts by cents and then runs out, and open
 * orders are capped per client address and in all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { eventually, postJson, requestJson, type JsonAnswer } from '../support/http.ts';
import { startStack, type Stack } from '../support/stack.ts';

const API_SECRET = 'backend-secret-0123456789';
const backend = { authorization: `Bearer ${API_SECRET}` };
const cents = (amount: string) => Math.round(Number(amount) * 100);

describe("the gateway's amount", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { API_SECRET, MONEY_TOLERANCE_BELOW: '0.02', MONEY_TOLERANCE_ABOVE: '0.02' } });
  });
  afterAll(() => stack?.stop({ removeData: true }));

  it('too far from the price fails the order with a clear error, and paying that amount does not make it paid', async () => {
    const answers = [];
    for (let i = 0; i < 6; i++)
      answers.push(await postJson(`${stack.url}/api/orders`, { price: '9.90', type: 2 }, backend));
    // The sandbox shifts 9.90, 9.89, 9.91, 9.88, 9.92: within 0.02. The sixth, 9.87, is not.
    expect(answers.slice(0, 5).map((answer) => [answer.status, answer.body.money])).toEqual([
      [201, '9.90'],
      [201, '9.89'],
      [201, '9.91'],
      [201, '9.88'],
      [201, '9.92'],
    ]);
    const refused = answers[5];
    expect(refused.status).toBe(502);
    expect(refused.body.error.code).toBe('GATEWAY_AMOUNT_MISMATCH');
    expect(refused.body.error.message).toMatch(/9\.87.*9\.90/);

    // The order is failed, with no amount of the gateway's kept.
    const [failed] = await stack.signer.store.listOrders({ status: 'failed' });
    expect(failed).toMatchObject({ price: 990, money: null, errorCode: 'GATEWAY_AMOUNT_MISMATCH' });
    // A buyer who pays what the gateway asked anyway gets an order in review, not a paid one.
    const [held] = (await requestJson(`${stack.sandboxUrl}/_control/orders?pay_id=${failed.id}`)).body;
    expect(held.money).toBe('9.87');
    await fetch(`${stack.sandboxUrl}/pay/${held.order_id}`, { method: 'POST' });
    const settled = await eventually(async () => {
      const current = (await requestJson<OrderView>(`${stack.url}/api/orders/${failed.id}`)).body;
      return current.status === 'failed' ? undefined : current;
    });
    expect(settled.status).toBe('review');
  });

  it("tells the buyer in the buyer's language", async () => {
    const chinese = { ...backend, 'accept-language': 'zh-CN,zh;q=0.9' };
    let answer;
    for (let tries = 0; tries < 6; tries++)
      answer = await postJson(`${stack.url}/api/orders`, { price: '5.50', type: 3 }, chinese);
    expect(answer!.body.error).toMatchObject({
      code: 'GATEWAY_AMOUNT_MISMATCH',
      message: expect.stringMatching(/金额/),
    });
  });
});

describe('many open orders of one price, with the default settings', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { API_SECRET } });
  });
  afterAll(() => stack?.stop({ removeData: true }));

  it('are asked amounts a few cents from the price, then refused as the gateway runs out: never 0.01 for 9.90', async () => {
    const answers = [];
    for (let i = 0; i < 40; i++)
      answers.push(await postJson(`${stack.url}/api/orders`, { price: '9.90', type: 1 }, backend));
    const created = answers.filter((answer) => answer.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(10);
    for (const answer of created) expect(Math.abs(cents(answer.body.money) - 990)).toBeLessThanOrEqual(10);
    const refused = answers.filter((answer) => answer.status !== 201);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused)
      expect(answer.body.error).toMatchObject({
        code: 'GATEWAY_REJECTED',
        message: expect.stringContaining('qrcode too little'),
      });
  });
});

describe('open orders', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: { TRUST_PROXY: '1', OPEN_ORDERS_PER_CLIENT: '3', OPEN_ORDERS_TOTAL: '5', ORDER_TTL: '3', API_SECRET },
    });
  });
  afterAll(() => stack?.stop({ removeData: true }));

  const from = (client: string, price: string) =>
    postJson(`${stack.url}/api/orders`, { price }, { 'x-forwarded-for': client });

  it('are capped per client address (429) and in all (503), with Retry-After, until orders are paid or expire', async () => {
    const first: JsonAnswer[] = [];
    for (let i = 0; i < 3; i++) first.push(await from('192.0.2.1', `1.0${i}`));
    expect(first.map((answer) => answer.status)).toEqual([201, 201, 201]);
    const capped = await from('192.0.2.1', '1.10');
    expect([capped.status, capped.body.error.code]).toEqual([429, 'TOO_MANY_OPEN_ORDERS']);
    expect(Number(capped.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(capped.headers.get('retry-after'))).toBeLessThanOrEqual(3);

    // Paying one frees its place.
    await fetch(first[0].body.qr.payload, { method: 'POST' });
    await eventually(async () =>
      (await requestJson(`${stack.url}/api/orders/${first[0].body.id}`)).body.status === 'paid' ? true : undefined,
    );
    expect((await from('192.0.2.1', '1.11')).status).toBe(201);

    // Another client may open orders until the shop holds five.
    expect((await from('192.0.2.2', '2.00')).status).toBe(201);
    expect((await from('192.0.2.2', '2.01')).status).toBe(201);
    const full = await from('192.0.2.3', '3.00');
    expect([full.status, full.body.error.code]).toEqual([503, 'SHOP_BUSY']);
    expect(Number(full.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The merchant's backend is not counted.
    expect((await postJson(`${stack.url}/api/orders`, { price: '4.00' }, backend)).status).toBe(201);

    // Expired orders are open no longer.
    await new Promise((resolve) => setTimeout(resolve, 3_200));
    expect((await from('192.0.2.3', '3.00')).status).toBe(201);
    expect((await from('192.0.2.1', '1.12')).status).toBe(201);
  });
});
