/**
 * V免签 end to end in real Chromium: a shop page on its own origin, the widget from a signer with
 * GATEWAY=vmq (its sandbox at /sandbox). The QR is read back from a screenshot, opened in a tab as a
 * phone would, and paid with the pay page's own button; the shop page hears `codepay-paid` once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { checkout, heard, readQr, startShopHarness, type ShopHarness } from '../support/browser.ts';
import { createOrder, postJson } from '../support/http.ts';
import type { Stack } from '../support/stack.ts';

let shop: ShopHarness;
let stack: Stack;
beforeAll(async () => {
  shop = await startShopHarness();
  stack = await shop.signer({ GATEWAY: 'vmq' });
}, 60_000);
afterAll(() => shop?.close());

it('a shop on another origin pays through the V免签 sandbox: reallyPrice shown, QR from a screenshot paid at its page', async () => {
  // Another buyer holds 9.90 by WeChat: this one is asked V免签's next free amount.
  await createOrder(stack.url, { price: '9.90', type: 3 });
  const page = await shop.open(stack, 'price="9.90" type="3" locale="en"');
  await checkout(page, 'idle').locator('[part~=pay-button]').click();
  const qr = checkout(page, 'pending').locator('[part=qr]');
  await qr.waitFor();
  const [order] = (await heard(page))
    .filter((event) => event.type === 'codepay-order')
    .map((event) => event.detail as OrderView);
  expect(order).toMatchObject({ price: '9.90', money: '9.91' });
  // The widget's notice of a different amount tells the buyer the exact amount to pay.
  expect(await checkout(page, 'pending').locator('[part=notice]').innerText()).toContain('9.91');

  const payUrl = readQr(await qr.screenshot());
  expect(payUrl).toBe(order.qr?.payload);
  expect(payUrl).toMatch(new RegExp(`^${stack.sandboxUrl}/pay/\\d{20}$`));
  const phone = await page.context().browser()!.newPage();
  await phone.goto(payUrl!);
  expect(await phone.locator('.amount').textContent()).toBe('¥9.91');
  await phone.locator('button[type=submit]').click();
  await phone.locator('.ok').waitFor();
  expect(await phone.locator('.ok').textContent()).toBe('已支付 Paid ¥9.91');

  await checkout(page, 'paid').waitFor();
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
  const paid = (await heard(page)).filter((event) => event.type === 'codepay-paid');
  expect(paid).toHaveLength(1);
  expect(paid[0].detail).toMatchObject({ id: order.id, status: 'paid', money: '9.91' });
  await phone.close();
  await page.close();
}, 30_000);

it('the phone offline: the buyer is told at once (GATEWAY_MONITOR_OFFLINE, retryable), and paying works once it is back', async () => {
  await postJson(`${stack.sandboxUrl}/_control/switches`, { phoneOffline: true });
  const page = await shop.open(stack, 'price="2.50" type="1" locale="zh-CN"');
  await checkout(page, 'idle').locator('[part~=pay-button]').click();
  await checkout(page, 'error').waitFor();
  const error = (await heard(page)).find((event) => event.type === 'codepay-error')!.detail;
  expect(error).toMatchObject({ code: 'GATEWAY_MONITOR_OFFLINE', retryable: true });
  expect(await page.locator('codepay-checkout [part=message]').textContent()).toBe(error.message);

  await postJson(`${stack.sandboxUrl}/_control/reset`, {});
  await page.locator('codepay-checkout [part~=retry-button]').click();
  await checkout(page, 'pending').locator('[part=qr]').waitFor();
  await page.close();
}, 30_000);
