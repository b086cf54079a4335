/** Same-amount orders open at the same time get distinct money, so a buyer's payment can be matched. */
import { afterEach, describe, expect, it } from 'vitest';
import { signedQuery } from '../../server/codepay/protocol.ts';
import { getJson, MERCHANT_ID, MERCHANT_KEY, startSandbox, type RunningSandbox } from '../support/sandbox.ts';

let gateway: RunningSandbox | undefined;
afterEach(() => gateway?.close());

async function create(price: string, payId: string, type = '1'): Promise<Record<string, unknown>> {
  const query = signedQuery({ id: MERCHANT_ID, price, pay_id: payId, type, page: '4' }, MERCHANT_KEY);
  return getJson(`${gateway!.url}/creat_order/?${query}`);
}

describe('distinct money', () => {
  it('gives the same price the price, then a cent less, a cent more, two cents less', async () => {
    gateway = await startSandbox();
    const moneys = [];
    for (let i = 0; i < 4; i++) moneys.push((await create('10.00', `same-${i}`)).money);
    expect(moneys).toEqual(['10.00', '9.99', '10.01', '9.98']);
  });

  it('keeps money distinct across ~1000 concurrent open orders of a handful of prices', async () => {
    gateway = await startSandbox({ moneySpanCents: 200 });
    const prices = ['0.50', '9.90', '10.00', '19.90', '99.00'];
    const answers = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => create(prices[i % prices.length], `many-${i}`)),
    );
    expect(answers.every((answer) => answer.status === 0)).toBe(true);
    expect(new Set(answers.map((answer) => answer.money)).size).toBe(1000);
  });

  it('counts each channel apart: the same price on another type gets the price itself', async () => {
    gateway = await startSandbox();
    expect((await create('5.00', 'a', '1')).money).toBe('5.00');
    expect((await create('5.00', 'b', '3')).money).toBe('5.00');
  });

  it('frees an amount once its order is paid', async () => {
    gateway = await startSandbox();
    const first = await create('3.00', 'first');
    await fetch(`${gateway.url}/pay/${first.order_id}`, { method: 'POST' });
    expect((await create('3.00', 'second')).money).toBe('3.00');
  });

  it('frees an amount once its order has expired', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    gateway = await startSandbox({ now: () => now });
    expect((await create('4.00', 'old')).money).toBe('4.00');
    now += 361_000;
    expect((await create('4.00', 'new')).money).toBe('4.00');
  });

  it('answers -1 "qrcode too little" when no distinct amount is left, never a duplicate', async () => {
    gateway = await startSandbox({ moneySpanCents: 1 });
    const moneys = [];
    for (let i = 0; i < 3; i++) moneys.push((await create('1.00', `span-${i}`)).money);
    expect(moneys).toEqual(['1.00', '0.99', '1.01']);
    expect(await create('1.00', 'span-3')).toEqual({ status: -1, msg: 'qrcode too little' });
  });

  it('by default moves at most 0.10 each way, as a gateway set to small shifts does, then runs out', async () => {
    gateway = await startSandbox();
    const moneys = [];
    for (let i = 0; i < 21; i++) moneys.push(Number((await create('9.90', `default-${i}`)).money));
    expect(Math.min(...moneys)).toBe(9.8);
    expect(Math.max(...moneys)).toBe(10);
    expect(new Set(moneys).size).toBe(21);
    expect(await create('9.90', 'default-21')).toEqual({ status: -1, msg: 'qrcode too little' });
  });

  it('never goes below 0.01', async () => {
    gateway = await startSandbox();
    const moneys = [];
    for (let i = 0; i < 3; i++) moneys.push((await create('0.01', `low-${i}`)).money);
    expect(moneys).toEqual(['0.01', '0.02', '0.03']);
  });
});
