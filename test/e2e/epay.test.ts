/**
 * GATEWAY=epay end to end, in real Chromium: a shop page on its own origin loads the widget from a
 * signer whose epay sandbox is mounted at /sandbox. The QR the widget draws is read back from a
 * screenshot, opened in a second tab as a phone would, and paid at the sandbox's pay page with
 * its button; the shop's page hears `codepay-paid` once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { checkout, heard, payButtonToQr, startShopHarness, type ShopHarness } from '../support/browser.ts';
import { requestJson } from '../support/http.ts';

let shop: ShopHarness;
beforeAll(async () => {
  shop = await startShopHarness();
}, 60_000);
afterAll(() => shop?.close());

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
  await expect
    .poll(async () => (await requestJson<OrderView>(`${stack.url}/api/orders/${order.id}`)).body.status)
    .toBe('paid');
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
  const paid = (await heard(page)).filter((event) => event.type === 'codepay-paid');
  expect(paid).toHaveLength(1);
  expect(paid[0].detail).toMatchObject({ id: order.id, status: 'paid', money: '9.90' });
  await phoneBrowser.close();
  await page.close();
}, 30_000);
