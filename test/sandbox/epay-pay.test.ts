/** The epay sandbox's pay page: what its QR, payurl and urlscheme lead to; GET shows it, POST pays. */
import { describe, expect, it } from 'vitest';
import { readNotify } from '../../server/epay/protocol.ts';
import { decodeQrPng } from '../../server/providers/qr.ts';
import {
  closedAfterEach,
  createOrder,
  getJson,
  KEY,
  pay,
  payUrlOf,
  PID,
  postJson,
  queryOrder,
} from '../support/epay-sandbox.ts';

const { epay } = closedAfterEach();

describe('the pay page', () => {
  it('GET shows a small mobile page: the type, the name as the merchant wrote it, the amount, a pay button', async () => {
    const gateway = await epay();
    const order = await createOrder(gateway, { type: 'wxpay', name: 'Tom\'s <b>"VIP"</b>', money: '12.30' });
    const response = await fetch(order.qrcode as string);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain('name="viewport"');
    expect(page).toContain('微信支付');
    expect(page).toContain('¥12.30');
    // Shown escaped once for HTML, not as the gateway stores it (\&quot;) and not as markup.
    expect(page).toContain('Tom&#39;s &#60;b&#62;&#34;VIP&#34;&#60;/b&#62;');
    expect(page).not.toContain('<b>');
    expect(page).toMatch(/<form method="post">/);
    expect(page).not.toContain('<script');
    // Showing it pays nothing.
    expect(await queryOrder(gateway, { out_trade_no: order.out_trade_no })).toMatchObject({ status: 0 });
  });

  it('its QR image holds the pay page URL, so a phone that scans it can pay', async () => {
    const gateway = await epay();
    const order = await createOrder(gateway);
    const page = await (await fetch(payUrlOf(gateway, order.trade_no))).text();
    const image = /<img src="([^"]+)"/.exec(page)![1];
    const png = await fetch(image);
    expect(png.headers.get('content-type')).toBe('image/png');
    const decoded = decodeQrPng(Buffer.from(await png.arrayBuffer()));
    expect(decoded).toBe(order.qrcode);
    expect(await pay(gateway, order.trade_no)).toMatchObject({ paid: true, duplicate: false });
  });

  it('POST pays once: again it answers the first payment, and the order is paid (status 1)', async () => {
    const gateway = await epay();
    const order = await createOrder(gateway, { money: '0.10' });
    expect(await pay(gateway, order.trade_no)).toEqual({
      paid: true,
      duplicate: false,
      trade_no: order.trade_no,
      out_trade_no: order.out_trade_no,
      money: '0.10',
      return_link: '',
    });
    expect(await pay(gateway, order.trade_no)).toMatchObject({ duplicate: true });
    expect(await getJson(`${gateway.url}/_control/payments`)).toHaveLength(1);
    expect(await queryOrder(gateway, { trade_no: String(order.trade_no) })).toMatchObject({ status: 1, money: '0.10' });
    const after = await (await fetch(payUrlOf(gateway, order.trade_no))).text();
    expect(after).toContain('已支付 Paid ¥0.10');
    expect(after).not.toContain('<form');
  });

  it('the page form pays too, and only that answer links back to return_url with the signed fields', async () => {
    const gateway = await epay();
    const order = await createOrder(gateway, { return_url: 'http://shop.example/back?from=epay', param: 'vip' });
    const paid = await fetch(payUrlOf(gateway, order.trade_no), { method: 'POST' });
    const page = await paid.text();
    const link = /<a href="([^"]+)">/.exec(page)![1].replaceAll('&#38;', '&');
    const back = new URL(link);
    expect(back.origin + back.pathname).toBe('http://shop.example/back');
    const { from, ...fields } = Object.fromEntries(back.searchParams);
    // The gateway appends its fields with `&` and signs only those: the URL's own query is not signed
    // (the quirk that makes a query in notify_url or return_url fail a check over all of $_GET).
    expect(from).toBe('epay');
    expect(readNotify({ ...fields, from }, KEY, PID)).toMatchObject({ ok: false, reason: 'bad-sign' });
    expect(readNotify(fields, KEY, PID)).toMatchObject({
      ok: true,
      payment: { outTradeNo: order.out_trade_no, money: 100, param: 'vip' },
    });
    // Anyone opening the QR's URL later sees no signed fields.
    expect(await (await fetch(payUrlOf(gateway, order.trade_no))).text()).not.toContain('sign=');
  });

  it('answers 404 for an order it does not hold, GET or POST', async () => {
    const gateway = await epay();
    expect((await fetch(payUrlOf(gateway, '2026010100000012345'))).status).toBe(404);
    expect((await fetch(payUrlOf(gateway, '2026010100000012345'), { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${gateway.url}/qr/2026010100000012345.png`)).status).toBe(404);
  });

  it('with the unreadableQr fault, draws a PNG no decoder can read', async () => {
    const gateway = await epay();
    const order = await createOrder(gateway);
    expect((await postJson(`${gateway.url}/_control/faults`, { unreadableQr: true })).status).toBe(200);
    const png = await fetch(`${gateway.url}/qr/${order.trade_no}.png`);
    expect(decodeQrPng(Buffer.from(await png.arrayBuffer()))).toBeUndefined();
  });
});
