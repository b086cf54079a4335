/** HTTP hygiene at a real signer: CORS, bodies, errors, headers, rate limit, and the key kept secret. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_MERCHANT_KEY } from '../../server/sandbox/credentials.ts';
import { createOrder, payAtSandbox, postJson } from '../support/http.ts';
import { startStack, type Stack } from '../support/stack.ts';

const SHOP = 'https://shop.example.com';
let stack: Stack;
const bodies: string[] = [];

beforeAll(async () => {
  stack = await startStack({ env: { ALLOWED_ORIGINS: SHOP, RATE_LIMIT_PER_MINUTE: '5' } });
});
afterAll(() => stack.stop({ removeData: true }));

async function raw(path: string, init: RequestInit = {}) {
  const response = await fetch(`${stack.url}${path}`, init);
  const text = await response.text();
  bodies.push(text);
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

describe('CORS', () => {
  it('lets an allowed shop call the API, and answers its preflight', async () => {
    const config = await raw('/api/config', { headers: { origin: SHOP } });
    expect(config.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(config.headers.get('vary')).toContain('Origin');
    const preflight = await raw('/api/orders', {
      method: 'OPTIONS',
      headers: {
        origin: SHOP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it("refuses an unknown site's order and gives its reads no CORS header", async () => {
    const before = await stack.signer.store.counts();
    const refused = await raw('/api/orders', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ price: '1.00' }),
    });
    expect(refused.status).toBe(403);
    expect(refused.json().error.code).toBe('FORBIDDEN_ORIGIN');
    expect(await stack.signer.store.counts()).toEqual(before);
    const read = await raw('/api/config', { headers: { origin: 'https://evil.example' } });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("always allows the signer's own origin (its demo page)", async () => {
    const own = await raw('/api/config', { headers: { origin: stack.url } });
    expect(own.headers.get('access-control-allow-origin')).toBe(stack.url);
  });

  it("lets an allowed shop read the sandbox's answer to paying (the widget's sandbox action), and nothing else there", async () => {
    const pay = async (origin: string) => {
      const order = await createOrder(stack.url, { price: '1.00' });
      const path = new URL(order.qr!.payload!).pathname;
      const paid = await raw(path, { method: 'POST', headers: { origin, accept: 'application/json' } });
      return { paid, page: await raw(path, { headers: { origin } }) };
    };
    const shop = await pay(SHOP);
    expect(shop.paid.status).toBe(200);
    expect(shop.paid.json().paid).toBe(true);
    expect(shop.paid.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(shop.paid.headers.get('vary')).toContain('Origin');
    expect(shop.page.headers.get('access-control-allow-origin')).toBeNull();
    // Another site is refused nothing it could do before (a form posts across sites), but reads nothing.
    const other = await pay('https://evil.example');
    expect(other.paid.status).toBe(200);
    expect(other.paid.headers.get('access-control-allow-origin')).toBeNull();
    const control = await raw('/sandbox/_control/orders', { headers: { origin: SHOP } });
    expect(control.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('bad requests get a JSON error with a code and change nothing', () => {
  const post = (body: string, contentType = 'application/json') =>
    raw('/api/orders', { method: 'POST', headers: { 'content-type': contentType }, body });

  it.each([
    ['malformed JSON', () => post('{"price": '), 400, 'BAD_REQUEST'],
    ['a JSON string', () => post('"9.90"'), 400, 'BAD_REQUEST'],
    [
      'a form instead of JSON',
      () => post('price=9.90', 'application/x-www-form-urlencoded'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    ['text/plain', () => post('{"price":"9.90"}', 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [
      'a huge body',
      () => post(JSON.stringify({ price: '1.00', param: 'x'.repeat(100_000) })),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    ['a wrong method', () => raw('/api/orders', { method: 'DELETE' }), 405, 'METHOD_NOT_ALLOWED'],
    ['an unknown path', () => raw('/api/nothing-here'), 404, 'NOT_FOUND'],
  ])('%s', async (_name, send, status, code) => {
    const before = await stack.signer.store.counts();
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toContain('application/json');
    expect(answer.json().error).toMatchObject({ code });
    expect(answer.json().error.message).toEqual(expect.any(String));
    expect(await stack.signer.store.counts()).toEqual(before);
  });
});

describe("refusals in the buyer's language", () => {
  it.each([
    ['zh-CN,zh;q=0.9,en;q=0.8', '订单不存在。'],
    ['zh-TW,zh;q=0.9', '訂單不存在。'],
    ['zh-HK', '訂單不存在。'],
    ['en-US,en;q=0.9,zh-CN;q=0.8', 'There is no such order.'],
    ['fr-FR, zh;q=0.5', '订单不存在。'],
    ['', 'There is no such order.'],
  ])('Accept-Language %j', async (language, message) => {
    const answer = await raw('/api/orders/0000000000000000000000000000000000ff', {
      headers: { 'accept-language': language },
    });
    expect(answer.json().error).toEqual({ code: 'ORDER_NOT_FOUND', message });
    expect(answer.headers.get('vary')).toContain('Accept-Language');
  });
});

describe('headers and health', () => {
  it('sets security headers and a request id, and echoes a safe one', async () => {
    const answer = await raw('/api/config', { headers: { 'x-request-id': 'trace-12345678' } });
    expect(answer.headers.get('x-request-id')).toBe('trace-12345678');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
    const generated = await raw('/api/config', { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(stack.logs.some((line) => line.includes('"requestId":"trace-12345678"'))).toBe(true);
  });

  it('answers /healthz', async () => {
    const answer = await raw('/healthz');
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ ok: true, sandbox: true });
  });
});

describe('rate limit on order creation', () => {
  it('refuses a flood from one address with 429 and Retry-After', async () => {
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await postJson(`${stack.url}/api/orders`, { price: '1.00' }));
    const limited = answers.filter((answer) => answer.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThan(0);
    bodies.push(...answers.map((answer) => JSON.stringify(answer.body)));
  });
});

describe('the merchant key', () => {
  it('appears in no response and no log line', async () => {
    const own = await startStack();
    try {
      const order = await createOrder(own.url, { price: '9.90' });
      await payAtSandbox(order.qr!.payload!);
      for (const path of [
        '/api/config',
        `/api/orders/${order.id}`,
        '/healthz',
        '/sandbox/_control/orders',
        '/sandbox/_control/attempts',
      ]) {
        bodies.push(await (await fetch(`${own.url}${path}`)).text());
      }
      bodies.push(JSON.stringify(order));
    } finally {
      await own.stop({ removeData: true });
    }
    const everything = [...bodies, ...stack.logs, ...own.logs].join('\n');
    expect(stack.logs.length + own.logs.length).toBeGreaterThan(10);
    expect(everything).not.toContain(SANDBOX_MERCHANT_KEY);
  });
});
