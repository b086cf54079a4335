/**
 * End to end across origins, as a merchant installs it: a shop page on its own origin loads the
 * widget with a script tag from the signer, in real Chromium. The QR the widget draws is read back
 * from a screenshot by jsQR, its URL paid at the sandbox, and the page hears `codepay-paid` once,
 * over the event stream. Also: an order that expires, and the signer down when the buyer pays.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { ensureWidgetBuilt, launchChromium, readQr, startSite, type Site } from '../support/browser.ts';
import { payAtSandbox, requestJson } from '../support/http.ts';
import { startStack, type Stack } from '../support/stack.ts';

let browser: Browser;
let shop: Site;
/** Which signer the shop page loads the widget from, and the element's attributes. */
let signerUrl = '';
let attributes = '';

const shopPage = () => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A shop</title>
<script type="module" src="${signerUrl}/codepay-checkout.js"></script></head>
<body><h1>Green tea</h1><codepay-checkout ${attributes} locale="en"></codepay-checkout>
<script>
  window.heard = [];
  for (const type of ['codepay-order', 'codepay-paid', 'codepay-expired', 'codepay-error'])
    document.addEventListener(type, (event) => window.heard.push({ type, detail: event.detail }));
</script></body></html>`;

const stacks: Stack[] = [];
async function signer(env: Record<string, string> = {}, dataDir?: string): Promise<Stack> {
  const stack = await startStack({ env: { ALLOWED_ORIGINS: shop.url, ...env }, dataDir });
  stacks.push(stack);
  return stack;
}

beforeAll(async () => {
  await ensureWidgetBuilt();
  shop = await startSite(shopPage);
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await shop?.close();
  await Promise.all(stacks.map((stack) => stack.stop({ removeData: true }).catch(() => undefined)));
});

interface Heard {
  type: string;
  detail: { id?: string; code?: string; retryable?: boolean; status?: string };
}
const heard = (page: Page) => page.evaluate(() => (window as unknown as { heard: Heard[] }).heard);
const checkout = (page: Page, status: string) => page.locator(`codepay-checkout[status=${status}]`);

async function openShop(stack: Stack, elementAttributes: string): Promise<Page> {
  signerUrl = stack.url;
  attributes = elementAttributes;
  const page = await browser.newPage();
  await page.goto(shop.url);
  expect(new URL(page.url()).origin).not.toBe(new URL(stack.url).origin);
  return page;
}

it('a shop on another origin: script tag from the signer, QR read from a screenshot, paid once over the stream', async () => {
  const stack = await signer();
  const page = await openShop(stack, 'price="9.90"');
  const orderReads: string[] = [];
  page.on('request', (request) => {
    if (/\/api\/orders\/[^/]+$/.test(new URL(request.url()).pathname)) orderReads.push(request.url());
  });
  await checkout(page, 'idle').locator('[part~=pay-button]').click();
  const qr = checkout(page, 'pending').locator('[part=qr]');
  await qr.waitFor();

  const payUrl = readQr(await qr.screenshot());
  const [order] = (await heard(page)).filter((event) => event.type === 'codepay-order').map((event) => event.detail as OrderView);
  expect(payUrl).toBe(order.qr?.payload);
  expect(payUrl).toMatch(new RegExp(`^${stack.sandboxUrl}/pay/`));

  const readsBeforePaying = orderReads.length;
  const paidAt = Date.now();
  await payAtSandbox(payUrl!);
  await checkout(page, 'paid').waitFor();
  console.log(`e2e: the widget showed paid ${Date.now() - paidAt} ms after the sandbox payment`);
  // Paid arrived over the event stream, not by polling the order.
  expect(orderReads.slice(readsBeforePaying)).toEqual([]);
  await expect.poll(async () => (await requestJson<OrderView>(`${stack.url}/api/orders/${order.id}`)).body.status).toBe('paid');
  // Once: the stream has ended and a reload of the order changes nothing.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
  const paid = (await heard(page)).filter((event) => event.type === 'codepay-paid');
  expect(paid).toHaveLength(1);
  expect(paid[0].detail).toMatchObject({ id: order.id, status: 'paid' });
  await page.close();
}, 30_000);

it('an order nobody pays expires: codepay-expired once, never paid', async () => {
  const stack = await signer({ ORDER_TTL: '2' });
  const page = await openShop(stack, 'price="3.00"');
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
  const first = await signer({}, dataDir);
  const page = await openShop(first, 'price="4.20"');
  const pay = checkout(page, 'idle').locator('[part~=pay-button]');
  await pay.waitFor();
  await first.stop();

  await pay.click();
  await expect.poll(async () => (await heard(page)).find((event) => event.type === 'codepay-error')?.detail, { timeout: 10_000 }).toMatchObject({
    code: 'NETWORK',
    retryable: true,
  });
  await checkout(page, 'error').waitFor();

  await signer({ PORT: String(new URL(first.url).port) }, dataDir);
  await page.locator('codepay-checkout [part~=retry-button], codepay-checkout [part~=pay-button]').first().click();
  await checkout(page, 'pending').locator('[part=qr]').waitFor();
  const order = (await heard(page)).find((event) => event.type === 'codepay-order')!.detail as OrderView;
  await payAtSandbox(order.qr!.payload!);
  await checkout(page, 'paid').waitFor();
  await page.close();
}, 30_000);
