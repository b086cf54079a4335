/**
 * Click → QR visible in Chromium against a local signer: the widget (built as `npm run build`
 * builds it, lazy chunk and all) against a bare page that makes one fetch and one `qrcode` SVG
 * render, built the same way. Each round is a fresh browser context (a first-time buyer, cold
 * cache); the time runs from the click event to the first animation frame with the QR in the DOM.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startServer } from '../lib/child.ts';
import { BENCH_SIGNER_LIMITS } from '../lib/signer-client.ts';
import { ratioOf, type BenchContext, type Figure } from '../lib/figure.ts';
import { serveStatic } from '../lib/static-server.ts';
import { median, percentile } from '../lib/stats.ts';
import { buildLikeWidget } from '../lib/vite-build.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PRICE = '9.90';

const page = (body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head><body>${body}</body></html>`;

/** Records the click's time, before any listener of the page runs. */
const CLICK_CLOCK = `document.addEventListener('click', () => { window.__clicked = performance.now(); }, { capture: true });`;

/**
 * Finds a QR (an <svg part="qr">, or the bare page's svg) anywhere, shadow roots included, and
 * answers the ms since the click. A string, so that no transpiler helper leaks into the page.
 */
const QR_SHOWN_AFTER_CLICK = `(() => {
  const find = (root) => {
    const found = root.querySelector('svg[part~="qr"], #qr svg');
    if (found) return found;
    for (const element of root.querySelectorAll('*')) {
      const inner = element.shadowRoot && find(element.shadowRoot);
      if (inner) return inner;
    }
    return null;
  };
  return window.__clicked !== undefined && find(document) !== null ? performance.now() - window.__clicked : false;
})()`;

async function oneClick(browser: Browser, url: string, button: (tab: Page) => Locator): Promise<number> {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    await tab.addInitScript(CLICK_CLOCK);
    await tab.goto(url, { waitUntil: 'networkidle' });
    await button(tab).click();
    const shown = await tab.waitForFunction(QR_SHOWN_AFTER_CLICK, undefined, { polling: 'raf', timeout: 15_000 });
    return (await shown.jsonValue()) as number;
  } finally {
    await context.close();
  }
}

export async function clickToQr(ctx: BenchContext): Promise<Figure> {
  const widget = await buildLikeWidget(join(ROOT, 'widget/index.ts'), join(ctx.workDir, 'click-widget'));
  const bare = await buildLikeWidget(join(ROOT, 'bench/floor/bare-page.ts'), join(ctx.workDir, 'click-bare'));
  const signer = await startServer('signer', {
    logFile: join(ctx.workDir, 'signer-click.log'),
    env: {
      PORT: '0',
      DATA_DIR: join(ctx.workDir, 'signer-click'),
      ...BENCH_SIGNER_LIMITS,
      ALLOWED_ORIGINS: '*',
      // 24 open orders of one price: more amounts than the sandbox's default 0.10 each way gives.
      SANDBOX_MONEY_SPAN: '1.00',
      MONEY_TOLERANCE_BELOW: '1.00',
      MONEY_TOLERANCE_ABOVE: '1.00',
    },
  });
  const site = await serveStatic(
    {
      '/ours.html': page(
        `<script type="module" src="/w/codepay-checkout.js"></script><codepay-checkout price="${PRICE}" endpoint="${signer.url}"></codepay-checkout>`,
      ),
      '/bare.html': page(
        `<button id="pay" data-endpoint="${signer.url}" data-price="${PRICE}">Pay</button><div id="qr"></div><script type="module" src="/b/codepay-checkout.js"></script>`,
      ),
    },
    { w: widget.outDir, b: bare.outDir },
  );
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const rounds = ctx.quick ? 3 : 11;
    const ours: number[] = [];
    const baseline: number[] = [];
    // One of each to warm the signer and the browser, then alternate.
    await oneClick(browser, `${site.url}/bare.html`, (tab) => tab.locator('#pay'));
    await oneClick(browser, `${site.url}/ours.html`, (tab) => tab.locator('codepay-checkout [part~="pay-button"]'));
    for (let round = 0; round < rounds; round++) {
      baseline.push(await oneClick(browser, `${site.url}/bare.html`, (tab) => tab.locator('#pay')));
      ours.push(
        await oneClick(browser, `${site.url}/ours.html`, (tab) => tab.locator('codepay-checkout [part~="pay-button"]')),
      );
    }
    const oursMs = median(ours);
    const baselineMs = median(baseline);
    const ratio = ratioOf(oursMs, baselineMs);
    return {
      key: 'click-to-qr',
      figure: 'click → QR visible in Chromium, local signer',
      ours: oursMs,
      unit: 'ms (median)',
      baseline: baselineMs,
      baselineName: 'a bare page: one fetch, one `qrcode` SVG render',
      ratio,
      target: '≤ 1.5 × baseline',
      met: ratio <= 1.5,
      details: { rounds, ours, baseline, oursP90: percentile(ours, 90), baselineP90: percentile(baseline, 90) },
    };
  } finally {
    await browser.close();
    await site.close();
    await signer.stop();
  }
}
