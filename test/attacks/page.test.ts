/**
 * What a hostile page or client can try at the signer beyond what the signer tests cover: guessing
 * order ids, cross-site simple requests, price tampering checked at the gateway, and a flood from
 * one address that claims to be many.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { createOrder, postJson, requestJson } from '../support/http.ts';
import { startStack, type Stack } from '../support/stack.ts';

const SHOP = 'https://shop.example.com';
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: {
      ALLOWED_ORIGINS: SHOP,
      PRICE_MIN: '1',
      PRICE_MAX: '100',
      PRODUCTS: JSON.stringify({ tea: { name: 'Green tea', price: '9.90' } }),
    },
  });
});
afterAll(() => stack.stop({ removeData: true }));

const sandboxOrders = async () =>
  (await requestJson<{ pay_id: string; price: string }[]>(`${stack.sandboxUrl}/_control/orders`)).body;

describe('guessing order ids', () => {
  it('ids carry at least 128 random bits, and near misses of real ids find nothing and tell nothing', async () => {
    // Prices apart: the gateway has only a few amounts to give open orders of one price.
    const orders = await Promise.all(
      Array.from({ length: 64 }, (_, i) => createOrder(stack.url, { price: `${2 + i}.00` })),
    );
    const ids = orders.map((order) => order.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32,}$/);
    // Every bit position varies across ids: no counter, no timestamp, no shared prefix.
    const bits = ids.map((id) =>
      [...id].flatMap((digit) => parseInt(digit, 16).toString(2).padStart(4, '0').split('')),
    );
    for (let position = 0; position < bits[0].length; position++) {
      const ones = bits.filter((row) => row[position] === '1').length;
      expect(ones, `bit ${position}`).toBeGreaterThan(4);
      expect(ones, `bit ${position}`).toBeLessThan(60);
    }

    const nearMisses = ids
      .slice(0, 20)
      .flatMap((id) => [
        ...[0, 5, id.length - 1].map(
          (at) => `${id.slice(0, at)}${((parseInt(id[at], 16) + 1) % 16).toString(16)}${id.slice(at + 1)}`,
        ),
        id.slice(0, -1),
        `${id}0`,
      ]);
    const unknown = await requestJson(`${stack.url}/api/orders/not-an-order`);
    expect(unknown.status).toBe(404);
    for (const guess of nearMisses) {
      for (const suffix of ['', '/events', '/qr.png']) {
        const answer = await requestJson(`${stack.url}/api/orders/${guess}${suffix}`);
        expect([answer.status, answer.body], guess + suffix).toEqual([404, unknown.body]);
      }
    }
  });
});

describe('cross-site requests', () => {
  it.each([
    ['text/plain', '{"price":"5.00"}'],
    ['application/x-www-form-urlencoded', 'price=5.00'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="price"\r\n\r\n5.00\r\n--x--'],
  ])(
    'a form or simple POST from an unknown site (%s, no preflight) is refused and creates nothing',
    async (type, body) => {
      const before = await stack.signer.store.counts();
      const answer = await requestJson(`${stack.url}/api/orders`, {
        method: 'POST',
        headers: { origin: 'https://evil.example', 'content-type': type },
        body,
      });
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('FORBIDDEN_ORIGIN');
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      expect(await stack.signer.store.counts()).toEqual(before);
    },
  );

  it("an unknown site's preflight is not granted", async () => {
    const answer = await fetch(`${stack.url}/api/orders`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(answer.headers.get('access-control-allow-methods')).toBeNull();
  });
});

describe('price tampering from the page', () => {
  it('the gateway is asked the catalogue price, whatever the page sends', async () => {
    const tampered: unknown[] = [
      { product: 'tea', price: '0.01' },
      { product: 'tea', price: 0.01 },
      { product: 'tea', price: '9.90', money: '0.01' },
      { product: 'tea', price: ['0.01'] },
      { product: 'tea', price: '9.90.01' },
      { price: '0.01' },
      { price: '100.01' },
    ];
    const before = (await sandboxOrders()).length;
    for (const body of tampered) {
      const { status } = await postJson(`${stack.url}/api/orders`, body);
      expect(status >= 400 && status < 500, `${JSON.stringify(body)}: ${status}`).toBe(true);
    }
    expect((await sandboxOrders()).length, 'nothing reached the gateway').toBe(before);

    for (const body of [
      { product: 'tea' },
      { product: 'tea', price: '9.9' },
      { product: 'tea', price: '9.90', type: 3 },
    ]) {
      const order: OrderView = await createOrder(stack.url, body);
      const atGateway = (await sandboxOrders()).find((entry) => entry.pay_id === order.id);
      expect(atGateway?.price, JSON.stringify(body)).toBe('9.90');
    }
  });
});

describe('order-creation flooding', () => {
  it('an address claiming to be many (X-Forwarded-For) without a trusted proxy gets one budget', async () => {
    const limited = await startStack({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
    try {
      const statuses = [];
      for (let i = 0; i < 12; i++) {
        const answer = await postJson(
          `${limited.url}/api/orders`,
          { price: '1.00' },
          { 'x-forwarded-for': `203.0.113.${i}`, 'x-real-ip': `198.51.100.${i}` },
        );
        statuses.push(answer.status);
      }
      expect(statuses.filter((status) => status === 201)).toHaveLength(5);
      expect(statuses.slice(5).every((status) => status === 429)).toBe(true);
      expect(Object.values((await limited.signer.store.counts()).orders).reduce((sum, count) => sum + count, 0)).toBe(
        5,
      );
    } finally {
      await limited.stop({ removeData: true });
    }
  });
});
