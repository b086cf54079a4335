/** The buyer's side: the QR decodes (with a decoder that is not ours) to the payment page, which pays. */
import { request } from 'node:http';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { signedQuery } from '../../server/codepay/protocol.ts';
import {
  closedAfterEach,
  getJson,
  MERCHANT_ID,
  MERCHANT_KEY,
  type RunningSandbox,
  startMerchant,
  waitFor,
} from '../support/sandbox.ts';

const { later, sandbox } = closedAfterEach();

function createUrl(gateway: RunningSandbox, params: Record<string, string>): string {
  return `${gateway.url}/creat_order/?${signedQuery({ id: MERCHANT_ID, page: '4', ...params }, MERCHANT_KEY)}`;
}

async function decodeQr(imageUrl: string): Promise<string> {
  const response = await fetch(imageUrl);
  expect(response.headers.get('content-type')).toBe('image/png');
  const png = PNG.sync.read(Buffer.from(await response.arrayBuffer()));
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(code).not.toBeNull();
  return code!.data;
}

async function payments(gateway: RunningSandbox, orderId: unknown): Promise<Record<string, unknown>[]> {
  return (await getJson(`${gateway.url}/_control/payments?order_id=${orderId}`)) as unknown as Record<
    string,
    unknown
  >[];
}

describe('QR code and payment page', () => {
  it('the QR decodes to the payment page; POSTing there pays and triggers the notify', async () => {
    const merchant = await startMerchant(['success']);
    later(merchant.close);
    const gateway = await sandbox({ basePath: '/sandbox' });
    const order = await getJson(createUrl(gateway, { price: '19.90', pay_id: 'scan', notify_url: merchant.url }));
    expect(order.qrcode).toMatch(/^\/\/127\.0\.0\.1:\d+\/sandbox\/qr\/\d+\.png$/);

    const payUrl = await decodeQr(`http:${order.qrcode}`);
    expect(payUrl).toBe(`${gateway.url}/pay/${order.order_id}`);

    const page = await fetch(payUrl);
    const html = await page.text();
    expect(html).toContain('¥19.90');
    expect(html).toMatch(/<form method="post">/);
    expect(html).not.toContain('<script');

    const paid = await fetch(payUrl, { method: 'POST' });
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain('已支付 Paid ¥19.90');
    await waitFor(async () => (merchant.received.length > 0 ? true : undefined), 'the notify');
    expect(merchant.received[0].fields).toMatchObject({ pay_id: 'scan', money: '19.90' });
  });

  it('builds the URLs from the Host header, so a phone on the LAN can reach them', async () => {
    const gateway = await sandbox();
    const target = new URL(createUrl(gateway, { price: '1', pay_id: 'lan' }));
    const { port } = target;
    const path = target.pathname + target.search;
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers: { host: '192.168.1.23:8788' } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    const order = JSON.parse(body) as { qrcode: string; order_id: string };
    expect(order.qrcode).toBe(`//192.168.1.23:8788/qr/${order.order_id}.png`);
    expect(await decodeQr(`${gateway.url}/qr/${order.order_id}.png`)).toBe(`${gateway.url}/pay/${order.order_id}`);
  });

  it('uses the configured public base URL instead', async () => {
    const gateway = await sandbox({ basePath: '/sandbox', publicBaseUrl: 'https://pay.example.com/sandbox' });
    const order = await getJson(createUrl(gateway, { price: '1', pay_id: 'public' }));
    expect(order.qrcode).toBe(`//pay.example.com/sandbox/qr/${order.order_id}.png`);
    expect(await decodeQr(`${gateway.url}/qr/${order.order_id}.png`)).toBe(
      `https://pay.example.com/sandbox/pay/${order.order_id}`,
    );
  });

  it('answers 404 for an unknown order', async () => {
    const gateway = await sandbox();
    expect((await fetch(`${gateway.url}/pay/123`)).status).toBe(404);
    expect((await fetch(`${gateway.url}/pay/123`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${gateway.url}/qr/123.png`)).status).toBe(404);
  });
});

describe('paying', () => {
  it('twice does not create a second payment nor a second notify', async () => {
    const merchant = await startMerchant(['success']);
    later(merchant.close);
    const gateway = await sandbox();
    const order = await getJson(createUrl(gateway, { price: '5', pay_id: 'twice', notify_url: merchant.url }));
    const pay = () =>
      fetch(`${gateway.url}/pay/${order.order_id}`, { method: 'POST', headers: { accept: 'application/json' } }).then(
        (r) => r.json(),
      );
    const [first, second] = await Promise.all([pay(), pay()]);
    expect(first.pay_no).toBe(second.pay_no);
    expect([first.duplicate, second.duplicate].sort()).toEqual([false, true]);
    expect(await payments(gateway, order.order_id)).toHaveLength(1);
    await waitFor(
      async () => ((await payments(gateway, order.order_id))[0].notify === 'delivered' ? true : undefined),
      'delivery',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(merchant.received).toHaveLength(1);
  });

  it('an expired order still pays, flagged late, and is still notified', async () => {
    let now = Date.parse('2026-03-01T08:00:00Z');
    const merchant = await startMerchant(['success']);
    later(merchant.close);
    const gateway = await sandbox({ now: () => now });
    const order = await getJson(
      createUrl(gateway, { price: '8.88', pay_id: 'late', outTime: '60', notify_url: merchant.url }),
    );
    const onTime = await getJson(createUrl(gateway, { price: '1', pay_id: 'on-time' }));
    await fetch(`${gateway.url}/pay/${onTime.order_id}`, { method: 'POST' });
    now += 61_000;

    expect(await (await fetch(`${gateway.url}/pay/${order.order_id}`)).text()).toContain('late payment');
    const paid = await (
      await fetch(`${gateway.url}/pay/${order.order_id}`, { method: 'POST', headers: { accept: 'application/json' } })
    ).json();
    expect(paid).toMatchObject({ paid: true, late: true, money: '8.88' });
    expect((await payments(gateway, order.order_id))[0]).toMatchObject({ late: true });
    expect((await payments(gateway, onTime.order_id))[0]).toMatchObject({ late: false });
    await waitFor(async () => (merchant.received.length > 0 ? true : undefined), 'the late notify');
    expect(merchant.received[0].fields.pay_time).toBe(String(now / 1000));
  });

  it('lists the order as pending, expired or paid', async () => {
    let now = Date.parse('2026-03-01T08:00:00Z');
    const gateway = await sandbox({ now: () => now });
    const a = await getJson(createUrl(gateway, { price: '1', pay_id: 'a', outTime: '60' }));
    const b = await getJson(createUrl(gateway, { price: '1', pay_id: 'b', outTime: '600' }));
    await fetch(`${gateway.url}/pay/${b.order_id}`, { method: 'POST' });
    const c = await getJson(createUrl(gateway, { price: '1', pay_id: 'c', outTime: '600' }));
    now += 120_000;
    const statuses = (
      (await getJson(`${gateway.url}/_control/orders`)) as unknown as { order_id: string; status: string }[]
    ).map((order) => [order.order_id, order.status]);
    expect(statuses).toEqual([
      [a.order_id, 'expired'],
      [b.order_id, 'paid'],
      [c.order_id, 'pending'],
    ]);
  });
});
