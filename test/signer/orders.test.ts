/** Creating orders over HTTP at a real signer, against the real sandbox gateway. */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { createOrder, postJson, requestJson } from '../support/http.ts';
import { startStack, startStackOnGateway, type Stack } from '../support/stack.ts';

const API_SECRET = 'merchant-backend-secret-0123456789';
const PRODUCTS = JSON.stringify({ ebook: { name: 'E-book', price: '9.90' }, vip: { name: 'VIP month', price: '30' } });

async function sandboxOrderCount(stack: Stack): Promise<number> {
  return (await requestJson(`${stack.sandboxUrl}/_control/orders`)).body.length;
}

describe('with no price configuration (the sandbox default)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { ORDER_TTL: '300' } });
  });
  afterAll(() => stack.stop({ removeData: true }));

  it('tells the widget what it needs in /api/config', async () => {
    const { status, body } = await requestJson(`${stack.url}/api/config`);
    expect(status).toBe(200);
    expect(body).toEqual({
      channels: [1, 2, 3],
      currency: 'CNY',
      openAmount: { min: '0.01', max: '99999.99' },
      products: [
        { id: 'tea', name: 'Green tea · 绿茶', price: '9.90' },
        { id: 'notebook', name: 'Notebook · 笔记本', price: '39.00' },
      ],
      sandbox: true,
    });
  });

  it('creates a pending order with a QR payload that is the sandbox payment page', async () => {
    const { status, body, headers } = await postJson<OrderView>(`${stack.url}/api/orders`, {
      price: '9.90',
      type: 3,
      param: '用户 42',
    });
    expect(status).toBe(201);
    expect(headers.get('location')).toBe(`/api/orders/${body.id}`);
    expect(body.id).toMatch(/^[A-Za-z0-9_-]{22,100}$/);
    expect(body).toMatchObject({
      status: 'pending',
      price: '9.90',
      type: 3,
      param: '用户 42',
      late: false,
      paidAt: null,
    });
    expect(body.money).toMatch(/^9\.\d\d$/);
    expect(body.qr?.payload).toMatch(new RegExp(`^${stack.sandboxUrl}/pay/`));
    expect(body.expiresAt! - body.serverTime).toBeGreaterThan(290_000);
    expect(body.expiresAt! - body.serverTime).toBeLessThanOrEqual(300_000);
    const again = await requestJson<OrderView>(`${stack.url}/api/orders/${body.id}`);
    expect(again.status).toBe(200);
    expect(again.headers.get('cache-control')).toBe('no-store');
    expect({ ...again.body, serverTime: 0 }).toEqual({ ...body, serverTime: 0 });
  });

  it('gives concurrent buyers of the same price distinct amounts to pay', async () => {
    const orders = await Promise.all([1, 2, 3].map(() => createOrder(stack.url, { price: '5.00' })));
    expect(new Set(orders.map((order) => order.money)).size).toBe(3);
  });

  it('accepts any valid amount and refuses malformed ones without creating anything', async () => {
    const before = await sandboxOrderCount(stack);
    for (const price of ['0', '100000', '-1', '1e2', '9.999', 'abc', '']) {
      const { status, body } = await postJson(`${stack.url}/api/orders`, { price });
      expect(status, price).toBeGreaterThanOrEqual(400);
      expect(status, price).toBeLessThan(500);
      expect(body.error.code, price).toMatch(/^(INVALID_PRICE|PRICE_NOT_ALLOWED)$/);
      expect(body.error.message.length).toBeGreaterThan(0);
    }
    expect(await sandboxOrderCount(stack)).toBe(before);
    expect((await stack.signer.store.counts()).orders.failed ?? 0).toBe(0);
  });

  it('answers 404 ORDER_NOT_FOUND for ids that do not exist or cannot exist', async () => {
    for (const id of ['AAAAAAAAAAAAAAAAAAAAAAAA', 'x'.repeat(101), '..%2F..%2Fetc', "1'%20OR%20'1'='1"]) {
      const { status, body } = await requestJson(`${stack.url}/api/orders/${id}`);
      expect(status, id).toBe(404);
      expect(body.error.code, id).toBe('ORDER_NOT_FOUND');
    }
  });
});

describe('with a price policy and an API secret', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: { PRODUCTS, PRICE_MIN: '1', PRICE_MAX: '200', API_SECRET, CHANNELS: 'alipay,wechat' },
    });
  });
  afterAll(() => stack.stop({ removeData: true }));

  it('takes a product price from the catalogue', async () => {
    const order = await createOrder(stack.url, { product: 'vip' });
    expect(order).toMatchObject({ price: '30.00', product: 'vip', type: 1 });
  });

  it('refuses each price the policy does not allow, with 422 PRICE_NOT_ALLOWED and nothing created', async () => {
    const before = await stack.signer.store.counts();
    const sandboxBefore = await sandboxOrderCount(stack);
    const refusals: [unknown, number, string][] = [
      [{ price: '0.99' }, 422, 'PRICE_NOT_ALLOWED'],
      [{ price: '200.01' }, 422, 'PRICE_NOT_ALLOWED'],
      [{ product: 'ebook', price: '0.01' }, 422, 'PRICE_NOT_ALLOWED'],
      [{ product: 'nothing' }, 422, 'UNKNOWN_PRODUCT'],
      [{ price: '10', type: 2 }, 422, 'CHANNEL_NOT_ENABLED'],
      [{ price: '10', type: 9 }, 400, 'INVALID_CHANNEL'],
      [{ price: '10', reference: 'INV-1' }, 401, 'UNAUTHORIZED'],
    ];
    for (const [body, status, code] of refusals) {
      const answer = await postJson(`${stack.url}/api/orders`, body);
      expect([answer.status, answer.body.error?.code], JSON.stringify(body)).toEqual([status, code]);
    }
    expect(await stack.signer.store.counts()).toEqual(before);
    expect(await sandboxOrderCount(stack)).toBe(sandboxBefore);
  });

  it("lets the merchant's backend create any amount with a reference, shown by id", async () => {
    const auth = { authorization: `Bearer ${API_SECRET}` };
    const order = await createOrder(stack.url, { price: '5000', reference: 'INV-2026-0042' }, auth);
    expect(order).toMatchObject({ price: '5000.00', reference: 'INV-2026-0042', status: 'pending' });
    const view = await requestJson<OrderView>(`${stack.url}/api/orders/${order.id}`);
    expect(view.body.reference).toBe('INV-2026-0042');
  });

  it('refuses a wrong API secret instead of treating it as a page', async () => {
    const answer = await postJson(`${stack.url}/api/orders`, { price: '10' }, { authorization: 'Bearer wrong-secret' });
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('UNAUTHORIZED');
    expect(JSON.stringify(answer.body)).not.toContain(API_SECRET);
  });
});

/**
 * The gateway two ways: the sandbox the signer mounts (`npm start`), called in-process, and a
 * gateway over HTTP (a sandbox of its own, as the real CodePay), whose QR image the signer fetches
 * and decodes.
 */
const gateways: [
  string,
  (env: Record<string, string>) => Promise<{ stack: Stack; sandboxUrl: string; stop(): Promise<void> }>,
][] = [
  [
    'the mounted sandbox, in-process',
    async (env) => {
      const stack = await startStack({ env });
      return { stack, sandboxUrl: stack.sandboxUrl, stop: () => stack.stop({ removeData: true }) };
    },
  ],
  [
    'a gateway over HTTP',
    async (env) => {
      const { stack, gateway, stop } = await startStackOnGateway({ ...env, PRICE_MIN: '0.01', PRICE_MAX: '100' });
      return { stack, sandboxUrl: gateway.url, stop };
    },
  ],
];

describe.each(gateways)('the QR code, with %s', (_name, start) => {
  let stack: Stack;
  let sandboxUrl: string;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ stack, sandboxUrl, stop } = await start({}));
  });
  afterAll(() => stop());

  it('gives the payment page as the payload', async () => {
    const order = await createOrder(stack.url, { price: '1.20' });
    expect(order.qr?.payload).toMatch(new RegExp(`^${sandboxUrl}/pay/`));
  });

  it('serves the QR image through the signer, and it decodes to the payment page', async () => {
    const order = await createOrder(stack.url, { price: '1.00' });
    const response = await fetch(`${stack.url}/api/orders/${order.id}/qr.png`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(await response.arrayBuffer()));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(order.qr?.payload);
  });

  it('serves the image itself when the QR cannot be read, so the page still loads nothing third-party', async () => {
    await postJson(`${sandboxUrl}/_control/faults`, { unreadableQr: true });
    try {
      const order = await createOrder(stack.url, { price: '1.10' });
      expect(order.qr).toEqual({ image: `/api/orders/${order.id}/qr.png` });
      const image = await fetch(`${stack.url}${order.qr!.image}`);
      expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/png']);
      expect(PNG.sync.read(Buffer.from(await image.arrayBuffer())).width).toBe(200);
    } finally {
      await postJson(`${sandboxUrl}/_control/reset`, {});
    }
  });
});

describe.each(gateways)('gateway faults, with %s', (_name, start) => {
  let stack: Stack;
  let sandboxUrl: string;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ stack, sandboxUrl, stop } = await start({ GATEWAY_TIMEOUT_MS: '500' }));
  });
  afterAll(() => stop());

  const setFault = (faults: Record<string, unknown>) => postJson(`${sandboxUrl}/_control/faults`, faults);

  it.each([
    ['fail', 502, 'GATEWAY_REJECTED'],
    ['bad-params', 502, 'GATEWAY_BAD_PARAMS'],
    ['http-500', 503, 'GATEWAY_UNAVAILABLE'],
    ['garbage', 502, 'GATEWAY_BAD_RESPONSE'],
    ['hang', 504, 'GATEWAY_TIMEOUT'],
  ])('creat_order answering %s gives %i %s, a failed order, and a retry works', async (fault, status, code) => {
    expect((await setFault({ createOrder: fault })).status).toBe(200);
    const failed = await postJson(`${stack.url}/api/orders`, { price: '3.00' });
    expect([failed.status, failed.body.error.code]).toEqual([status, code]);
    expect((await stack.signer.store.counts()).orders.creating ?? 0).toBe(0);
    await postJson(`${sandboxUrl}/_control/reset`, {});
    expect((await postJson(`${stack.url}/api/orders`, { price: '3.00' })).status).toBe(201);
  });
});
