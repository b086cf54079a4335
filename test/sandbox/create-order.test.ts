/** creat_order as a CodePay client sees it: a PHP merchant signing as the document does, token, validation, page=3. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedQuery } from '../../server/codepay/protocol.ts';
import {
  getJson,
  MERCHANT_ID,
  MERCHANT_KEY,
  MERCHANT_TOKEN,
  phpCreateOrderUrl,
  startSandbox,
  type RunningSandbox,
} from '../support/sandbox.ts';

let gateway: RunningSandbox;
beforeAll(async () => {
  gateway = await startSandbox();
});
afterAll(() => gateway.close());

/** A creat_order URL signed by our protocol module. */
function signedUrl(params: Record<string, string>, path = '/creat_order/'): string {
  return `${gateway.url}${path}?${signedQuery({ id: MERCHANT_ID, ...params }, MERCHANT_KEY)}`;
}

describe('creat_order with the document PHP example', () => {
  it('creates an order (status 0) with every documented answer field', async () => {
    const url = phpCreateOrderUrl(`${gateway.url}/creat_order/`, { page: '4', pay_id: 'php-admin' });
    const answer = await getJson(url);
    expect(answer).toMatchObject({
      status: 0,
      msg: 'ok',
      pay_id: 'php-admin',
      type: 1,
      price: 100,
      money: '100.00',
      tag: 0,
      chart: 'utf-8',
    });
    for (const field of ['order_id', 'qrcode', 'serverTime', 'endTime', 'notiry_key'])
      expect(answer).toHaveProperty(field);
    // The official SDK's page connects to notiry_host (or else to the dead cloud): the sandbox's own origin.
    expect(answer.notiry_host).toBe(new URL(gateway.url).origin);
    expect(answer.qrcode).toMatch(/^\/\/127\.0\.0\.1:\d+\/qr\/\d+\.png$/);
    expect(answer.endTime).toBe((answer.serverTime as number) + 360);
    expect(JSON.stringify(answer)).not.toContain(MERCHANT_KEY);
  });

  it('answers sign fail when one character of the sign is changed', async () => {
    const url = phpCreateOrderUrl(`${gateway.url}/creat_order/`, { page: '4', pay_id: 'php-tampered' });
    const last = url.at(-1) === '0' ? '1' : '0';
    expect(await getJson(url.slice(0, -1) + last)).toEqual({ status: -2, msg: 'sign fail' });
  });

  it('answers sign fail when the key is wrong', async () => {
    const url = phpCreateOrderUrl(`${gateway.url}/creat_order/`, { page: '4' }, 'another-key');
    expect(await getJson(url)).toEqual({ status: -2, msg: 'sign fail' });
  });

  it('without page=3/4 shows the cashier page with the QR code, as the redirect flow expects', async () => {
    const response = await fetch(phpCreateOrderUrl(`${gateway.url}/creat_order/`, { pay_id: 'redirected' }));
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toMatch(/<img src="\/\/127\.0\.0\.1:\d+\/qr\/\d+\.png"/);
    expect(html).toContain('¥100.00');
  });
});

describe('creat_order authentication and answers', () => {
  it('accepts the plain token instead of a sign, at the path without a trailing slash', async () => {
    const query = new URLSearchParams({
      id: MERCHANT_ID,
      token: MERCHANT_TOKEN,
      price: '9.9',
      pay_id: 'tok',
      type: '3',
      page: '4',
    });
    const answer = await getJson(`${gateway.url}/creat_order?${query}`);
    expect(answer).toMatchObject({ status: 0, type: 3, price: 9.9, money: '9.90' });
  });

  it('refuses a wrong token and a request with neither sign nor token', async () => {
    const base = { id: MERCHANT_ID, price: '1', pay_id: 'tok', page: '4' };
    expect(await getJson(`${gateway.url}/creat_order/?${new URLSearchParams({ ...base, token: 'nope' })}`)).toEqual({
      status: -2,
      msg: 'token error',
    });
    expect(await getJson(`${gateway.url}/creat_order/?${new URLSearchParams(base)}`)).toEqual({
      status: -2,
      msg: 'token error',
    });
  });

  it('refuses another merchant id', async () => {
    const url = `${gateway.url}/creat_order/?${signedQuery({ id: '999', price: '1', pay_id: 'x', page: '4' }, MERCHANT_KEY)}`;
    expect(await getJson(url)).toEqual({ status: -2, msg: 'undefined' });
  });

  it('page=3 answers a JavaScript call of the function named by call', async () => {
    const response = await fetch(signedUrl({ price: '2.50', pay_id: 'js', page: '3', call: 'onOrder' }));
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    const script = await response.text();
    const match = /^onOrder\((.*)\);$/s.exec(script);
    expect(match).not.toBeNull();
    expect(JSON.parse(match![1])).toMatchObject({ status: 0, money: '2.50', pay_id: 'js' });
  });

  it('page=3 refuses a call that is not a function name', async () => {
    expect(await getJson(signedUrl({ price: '1', pay_id: 'js', page: '3', call: 'alert(1)//' }))).toEqual({
      status: -2,
      msg: 'call error',
    });
  });

  it('honours outTime and keeps param, notify_url and chart', async () => {
    // UTF-8 bytes, so chart is UTF-8 (as given); GBK values with chart=gbk are in gbk.test.ts.
    const answer = await getJson(
      signedUrl({ price: '1', pay_id: 'o', page: '4', outTime: '90', param: 'a b|中', chart: 'UTF-8' }),
    );
    expect(answer).toMatchObject({ status: 0, chart: 'UTF-8' });
    expect(answer.endTime).toBe((answer.serverTime as number) + 90);
    const [order] = (await getJson(`${gateway.url}/_control/orders?order_id=${answer.order_id}`)) as unknown as {
      param: string;
    }[];
    expect(order.param).toBe('a b|中');
  });
});

describe('creat_order validation (status -2 with the reason)', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['type 4', { type: '4' }, 'type error'],
    ['a price of 0', { price: '0' }, 'price error'],
    ['a price of 100000.00', { price: '100000.00' }, 'price error'],
    ['a price with three decimals', { price: '1.001' }, 'price error'],
    ['a price that is not a number', { price: 'abc' }, 'price error'],
    ['no pay_id', { pay_id: '' }, 'pay_id error'],
    ['a pay_id of 101 characters', { pay_id: 'x'.repeat(101) }, 'too long'],
    ['an outTime that is not a whole number', { outTime: '1.5' }, 'outTime error'],
    ['an outTime of 0', { outTime: '0' }, 'outTime error'],
    ['a relative notify_url', { notify_url: '/api/notify' }, 'notify_url error'],
    // Signed values are joined raw with & and =: with one inside, one sign would cover several readings.
    ['a param holding "&"', { param: 'a&pay_id=b' }, 'param error'],
    ['a param holding "="', { param: 'vip=1' }, 'param error'],
    ['a return_url holding "&" and "="', { return_url: 'https://shop.example.com/back?a=1&b=2' }, 'return_url error'],
  ];
  it.each(cases)('refuses %s', async (_name, change, msg) => {
    expect(await getJson(signedUrl({ price: '1', pay_id: 'v', page: '4', ...change }))).toEqual({ status: -2, msg });
  });

  it('accepts the limits: 0.01, 99999.99 and a pay_id of 100 characters', async () => {
    for (const [price, payId] of [
      ['0.01', 'a'],
      ['99999.99', 'y'.repeat(100)],
    ]) {
      expect(await getJson(signedUrl({ price, pay_id: payId, page: '4' }))).toMatchObject({ status: 0, pay_id: payId });
    }
  });

  it('refuses a repeated parameter, which would make the signed set ambiguous', async () => {
    expect(await getJson(`${signedUrl({ price: '1', pay_id: 'r', page: '4' })}&price=2`)).toEqual({
      status: -2,
      msg: 'param error',
    });
  });
});

describe('secrets', () => {
  it('never returns the merchant key or token, in answers, pages or listings', async () => {
    const order = await getJson(signedUrl({ price: '3', pay_id: 'secret', page: '4' }));
    const texts = [];
    for (const [path, init] of [
      [`/pay/${order.order_id}`, {}],
      [`/pay/${order.order_id}`, { method: 'POST' }],
      [`/qr/${order.order_id}.png`, {}],
      [`/ispay?id=${MERCHANT_ID}&token=${MERCHANT_TOKEN}&order_id=${order.order_id}`, {}],
      ['/_control/orders', {}],
      ['/_control/payments', {}],
      ['/_control/attempts', {}],
      ['/_control/faults', {}],
    ] as const) {
      texts.push(await (await fetch(`${gateway.url}${path}`, init)).text());
    }
    texts.push(await (await fetch(signedUrl({ price: '3', pay_id: 'secret-page' }))).text());
    for (const text of texts) {
      expect(text).not.toContain(MERCHANT_KEY);
      expect(text).not.toContain(MERCHANT_TOKEN);
    }
  });
});
