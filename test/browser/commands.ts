/**
 * Browser commands: they run in Node, for what a page can't do itself: talk to the sandbox's
 * control and payment routes (no CORS there), and cut the network the way a proxy would.
 */
import type {} from '@vitest/browser-playwright'; // types `context.page` as Playwright's Page
import type { CDPSession, Page } from 'playwright-core';
import type { BrowserCommand } from 'vitest/node';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

interface NodeResponse {
  status: number;
  body: string;
}

interface NodeRequest {
  method?: string;
  body?: string;
  accept?: string;
  /** The body's type; default JSON (a page's form posts `application/x-www-form-urlencoded`). */
  type?: string;
}

/** fetch() from Node. */
const nodeFetch: BrowserCommand<[url: string, init?: NodeRequest]> = async (_context, url, init = {}) => {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    body: init.body,
    headers: {
      accept: init.accept ?? 'application/json',
      ...(init.body ? { 'content-type': init.type ?? 'application/json' } : {}),
    },
  });
  return { status: response.status, body: await response.text() } satisfies NodeResponse;
};

/** Makes every request whose URL matches `pattern` (a RegExp source) fail, or lets them through again. */
const blockRequests: BrowserCommand<[pattern: string | null]> = async (context, pattern) => {
  const { page } = context;
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  if (pattern) await page.route(new RegExp(pattern), (route) => route.abort('connectionreset'));
};

/** Emulates the system's `prefers-color-scheme`. */
const colorScheme: BrowserCommand<[scheme: 'light' | 'dark']> = async (context, scheme) => {
  await context.page.emulateMedia({ colorScheme: scheme });
};

/** Each tab's open session of touch emulation: Chromium drops the emulation when its session detaches. */
const touchSessions = new WeakMap<Page, CDPSession>();

/**
 * Emulates a phone's touch screen, as Chromium's device mode does: the page's `(pointer: coarse)`
 * matches, as on a phone. `false` gives the desktop's mouse back.
 */
const touchScreen: BrowserCommand<[on: boolean]> = async ({ page }, on) => {
  await touchSessions.get(page)?.detach();
  touchSessions.delete(page);
  if (!on) return;
  const session = await page.context().newCDPSession(page);
  touchSessions.set(page, session);
  await session.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
};

interface DemoRun {
  csp: string | null;
  /** Console errors and uncaught exceptions (a CSP violation is reported as a console error). */
  errors: string[];
  statuses: string[];
  donationAmount: string;
  /** What the donation's QR code, as drawn by the built bundle, reads as; and the order's payload. */
  qrRead: string | null;
  payload: string;
  events: string[];
}

/**
 * The signer's demo page in a tab of its own, with the built bundle and the signer's strict
 * Content-Security-Policy: loads, takes a donation, pays it through the sandbox.
 */
const runDemo: BrowserCommand<[signerUrl: string, screenshot: string]> = async (context, signerUrl, screenshot) => {
  const tab = await context.context.newPage();
  const errors: string[] = [];
  tab.on('console', (message) => {
    // The browser asks for /favicon.ico by itself; the demo has none.
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) {
      errors.push(`${message.text()} ${message.location().url}`);
    }
  });
  tab.on('pageerror', (error) => errors.push(error.message));
  try {
    const response = await tab.goto(`${signerUrl}/`);
    const checkouts = tab.locator('codepay-checkout');
    await tab.locator('codepay-checkout[status=idle] >> [part=channel]').first().waitFor();
    await tab.fill('#amount', '12.34');
    const donation = tab.locator('#donation');
    const order = tab.evaluate(
      () =>
        new Promise<{ qr: { payload: string } }>((resolve) =>
          document.addEventListener('codepay-order', (event) => resolve((event as CustomEvent).detail), { once: true }),
        ),
    );
    await donation.locator('[part~=pay-button]').click();
    await tab.locator('#donation[status=pending] >> [part=qr]').waitFor();
    const donationAmount = (await donation.locator('[part=amount]').textContent()) ?? '';
    const image = PNG.sync.read(await donation.locator('[part=qr]').screenshot());
    const qrRead = jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
    const { payload } = (await order).qr;
    await fetch(payload, { method: 'POST' });
    await tab.locator('#donation[status=paid]').waitFor();
    await tab.screenshot({ path: screenshot, fullPage: true });
    return {
      csp: response?.headers()['content-security-policy'] ?? null,
      errors,
      statuses: await checkouts.evaluateAll((els) => els.map((el) => el.getAttribute('status') ?? '')),
      donationAmount,
      qrRead,
      payload,
      events: (await tab.locator('#log').textContent())?.trim().split('\n') ?? [],
    } satisfies DemoRun;
  } finally {
    await tab.close();
  }
};

export const commands = { nodeFetch, blockRequests, colorScheme, touchScreen, runDemo };

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeFetch(url: string, init?: NodeRequest): Promise<NodeResponse>;
    blockRequests(pattern: string | null): Promise<void>;
    colorScheme(scheme: 'light' | 'dark'): Promise<void>;
    touchScreen(on: boolean): Promise<void>;
    runDemo(signerUrl: string, screenshot: string): Promise<DemoRun>;
  }
}
