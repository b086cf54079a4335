/**
 * End to end in real Chromium from a node test: Debian's /usr/bin/chromium driven by
 * playwright-core (no browser download), a shop page served from an origin of its own, the
 * widget bundle built when the sources are newer, and QR codes read back from screenshots.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jsQR from 'jsqr';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import type { OrderView } from '../../shared/api.ts';
import { ensureWidgetBuilt } from '../../scripts/widget-build.ts';
import { startStack, type Stack } from './stack.ts';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface Site {
  url: string;
  close(): Promise<void>;
}

/** A shop: one HTML page on 127.0.0.1, on a port (so an origin) of its own. */
export async function startSite(page: () => string): Promise<Site> {
  const server: Server = createServer((request, response) => {
    if (request.url !== '/') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The text a screenshot (PNG) of a QR code holds, read by jsQR; undefined when none is readable. */
export function readQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

/** A merchant's page: the widget by script tag from the signer; every widget event kept in `window.heard`. */
export function shopHtml(signerUrl: string, attributes: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A shop</title>
<script type="module" src="${signerUrl}/codepay-checkout.js"></script></head>
<body><h1>Green tea</h1><codepay-checkout ${attributes} locale="en"></codepay-checkout>
<script>
  window.heard = [];
  for (const type of ['codepay-order', 'codepay-paid', 'codepay-expired', 'codepay-error'])
    document.addEventListener(type, (event) => window.heard.push({ type, detail: event.detail }));
</script></body></html>`;
}

export interface Heard {
  type: string;
  detail: { id?: string; code?: string; message?: string; retryable?: boolean; status?: string };
}

/** The widget events the shop page heard, in order. */
export function heard(page: Page): Promise<Heard[]> {
  return page.evaluate(() => (window as unknown as { heard: Heard[] }).heard);
}

/** The checkout on the page once its `status` attribute says so. */
export function checkout(page: Page, status: string) {
  return page.locator(`codepay-checkout[status=${status}]`);
}

/**
 * The buyer presses pay on the shop's page: the QR the widget then draws, read from a screenshot,
 * and the order the page heard (`codepay-order`).
 */
export async function payButtonToQr(page: Page): Promise<{ qrText: string | undefined; order: OrderView }> {
  await checkout(page, 'idle').locator('[part~=pay-button]').click();
  const qr = checkout(page, 'pending').locator('[part=qr]');
  await qr.waitFor();
  const qrText = readQr(await qr.screenshot());
  const order = (await heard(page)).find((event) => event.type === 'codepay-order')!.detail as OrderView;
  return { qrText, order };
}

export interface ShopHarness {
  /** A signer (with the sandbox) that allows the shop's origin. */
  signer(env?: Record<string, string>, dataDir?: string): Promise<Stack>;
  /** A new tab on the shop's page, whose checkout loads from `stack` with these attributes. */
  open(stack: Stack, attributes: string): Promise<Page>;
  close(): Promise<void>;
}

/** Chromium, a shop on its own origin, and the signers its page uses; all closed by close(). */
export async function startShopHarness(): Promise<ShopHarness> {
  ensureWidgetBuilt();
  let signerUrl = '';
  let attributes = '';
  const shop = await startSite(() => shopHtml(signerUrl, attributes));
  const browser = await launchChromium();
  const stacks: Stack[] = [];
  return {
    async signer(env = {}, dataDir) {
      const stack = await startStack({ env: { ALLOWED_ORIGINS: shop.url, ...env }, dataDir });
      stacks.push(stack);
      return stack;
    },
    async open(stack, elementAttributes) {
      signerUrl = stack.url;
      attributes = elementAttributes;
      const page = await browser.newPage();
      await page.goto(shop.url);
      if (new URL(page.url()).origin === new URL(stack.url).origin) throw new Error('the shop must be another origin');
      return page;
    },
    async close() {
      await browser.close();
      await shop.close();
      await Promise.all(stacks.map((stack) => stack.stop({ removeData: true }).catch(() => undefined)));
    },
  };
}
