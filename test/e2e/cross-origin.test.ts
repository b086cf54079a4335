/**
 * End to end across origins, as a merchant installs it: a shop page on its own origin loads the
 * widget with a script tag from the signer, in real Chromium. The QR the widget draws is read back
 * from a screenshot by jsQR, its URL paid at the sandbox, and the page hears `codepay-paid` once,
 * over the event stream. Also: an order that expires, and the signer down when the buyer pays; and
 * GATEWAY=epay through its sandbox, paid at the sandbox's pay page in a second browser (the phone).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { OrderView } from '../../shared/api.ts';
import { checkout, heard, payButtonToQr, startShopHarness, type ShopHarness } from '../support/browser.ts';
import { payAtSandbox, requestJson } from '../support/http.ts';
import type { Stack } from '../support/stack.ts';

let shop: ShopHarness;
beforeAll(async () => {
  shop = await startShopHarness();
}, 60_000);
afterAll(() => shop?.close());

/** The order is paid at the signer, and the page heard `codepay-paid` once: the stream has ended, a reload changes nothing. */
async function paidOnce(page: Page, stack: Stack, order: OrderView): Promise<void> {
  await expect
    .poll(async () => (await requestJson<OrderView>(`${stack.url}/api/orders/${order.id}`)).body.status)
    .toBe('paid');
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
  const paid = (await heard(page)).filter((event) => event.type === 'codepay-paid');
  expect(paid).toHaveLength(1);
  expect(paid[0].detail).toMatchObject({ id: order.id, status: 'paid', money: order.money });
}

it('a shop on another origin: script tag from the signer, QR read from a screenshot, paid once over the stream', async () => {
  const stack = await shop.signer();
  const page = await shop.open(stack, 'price="9.90"');
  const orderReads: string[] = [];
  page.on('request', (request) => {
    if (/\/api\/orders\/[^/]+$/.test(new URL(request.url()).pathname)) orderReads.push(request.url());
  });
  const { qrText: payUrl, order } = await payButtonToQr(page);
  expect(payUrl).toBe(order.qr?.payload);
  expect(payUrl).toMatch(new RegExp(`^${stack.sandboxUrl}/pay/`));

  const readsBeforePaying = orderReads.length;
  const paidAt = Date.now();
  await payAtSandbox(payUrl!);
  await checkout(page, 'paid').waitFor();
  console.log(`e2e: the widget showed paid ${Date.now() - paidAt} ms after the sandbox payment`);
  // Paid arrived over the event stream, not by polling the order.
  expect(orderReads.slice(readsBeforePaying)).toEqual([]);
  await paidOnce(page, stack, order);
  await page.close();
}, 30_000);

it('an order nobody pays expires: codepay-expired once, never paid', async () => {
  const stack = await shop.signer({ ORDER_TTL: '2' });
  const page = await shop.open(stack, 'price="3.00"');
  await checkout(page, 'idle').locator('[part~=pay-button]').click();
  await checkout(page, 'pending').locator('[part=qr]').waitFor();
  await checkout(page, 'expired').waitFor({ timeout: 15_000 });
  const events = (await heard(page)).map((event) => event.type);
  expect(events.filter((type) => type === 'codepay-expired')).toHaveLength(1);
  expect(events).not.toContain('codepay-paid');
  await page.close();
}, 30_000);

it('the signer down when the buyer clicks pay: NETWORK, retryable; once it is back the order is made and paid', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'codepay-e2e-'));
  const first = await shop.signer({}, dataDir);
  const page = await shop.open(first, 'price="4.20"');
  const pay = checkout(page, 'idle').locator('[part~=pay-button]');
  await pay.waitFor();
  await first.stop();

  await pay.click();
  await expect
    .poll(async () => (await heard(page)).find((event) => event.type === 'codepay-error')?.detail, { timeout: 10_000 })
    .toMatchObject({
      code: 'NETWORK',
      retryable: true,
    });
  await checkout(page, 'error').waitFor();

  await shop.signer({ PORT: String(new URL(first.url).port) }, dataDir);
  await page.locator('codepay-checkout [part~=retry-button], codepay-checkout [part~=pay-button]').first().click();
  await checkout(page, 'pending').locator('[part=qr]').waitFor();
  const order = (await heard(page)).find((event) => event.type === 'codepay-order')!.detail as OrderView;
  await payAtSandbox(order.qr!.payload!);
  await checkout(page, 'paid').waitFor();
  await page.close();
}, 30_000);

it('a shop on another origin pays through the epay sandbox: QR from a screenshot, paid at its page', async () => {
  const stack = await shop.signer({ GATEWAY: 'epay' });
  const page = await shop.open(stack, 'price="9.90"');
  const { qrText: payUrl, order } = await payButtonToQr(page);
  expect(payUrl).toBe(order.qr?.payload);
  expect(payUrl).toMatch(new RegExp(`^${stack.sandboxUrl}/pay/`));

  // The buyer's phone, a browser of its own: the page the QR leads to, its pay button pressed.
  const phoneBrowser = await page
    .context()
    .browser()!
    .newContext({ viewport: { width: 390, height: 844 } });
  const phone = await phoneBrowser.newPage();
  await phone.goto(payUrl!);
  await phone.getByRole('button', { name: /Pay ¥9\.90/ }).click();
  await phone.getByText('已支付 Paid ¥9.90').waitFor();

  await checkout(page, 'paid').waitFor();
  await paidOnce(page, stack, order);
  await phoneBrowser.close();
  await page.close();
}, 30_000);
