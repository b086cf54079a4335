/**
 * Node side of the console's browser tests: a signer of their own with the console on and a real
 * webhook receiver, orders made and paid through the real sandbox, and tabs of their own (each in
 * a browser context of its own: its own cookies, language and colour scheme) driven by Playwright,
 * since the console runs on the signer's origin, not on the test page's.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type {} from '@vitest/browser-playwright';
import type { BrowserCommand } from 'vitest/node';
import type { OrderView } from '../../shared/api.ts';
import { formatCents } from '../../shared/money.ts';
import { createOrder, eventually, payAtSandbox, postJson } from '../support/http.ts';
import type { Receiver } from '../support/receiver.ts';
import type { Stack } from '../support/stack.ts';
import { axeScript } from './link-commands.ts';

const CONSOLE_PASSWORD = 'console-test-password';
/** Where the screenshots go (outside the repository: they are looked at, not kept). */
const SHOTS_DIR = join(tmpdir(), 'codepay-console-shots');

interface ConsoleStack {
  stack: Stack;
  receiver: Receiver;
}
const stacks = new Map<string, ConsoleStack>();

interface Tab {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions (a CSP violation is reported as a console error). */
  errors: string[];
}
const tabs = new Map<number, Tab>();
let lastTab = 0;

const stackOf = (url: string): ConsoleStack => stacks.get(url) ?? fail(`no console signer at ${url}`);
const tabOf = (id: number): Tab => tabs.get(id) ?? fail(`no tab ${id}`);
function fail(message: string): never {
  throw new Error(message);
}

/** A signer with the console on (password CONSOLE_PASSWORD), two products and a webhook receiver. */
const consoleStart: BrowserCommand<[]> = async () => {
  // Loaded here, not with vitest's configuration (which imports these commands): only the
  // console's tests start a signer of their own.
  const { hashPassword } = await import('../../server/admin/password.ts');
  const { startReceiver } = await import('../support/receiver.ts');
  const { startStack } = await import('../support/stack.ts');
  const receiver = await startReceiver();
  const stack = await startStack({
    env: {
      ADMIN_PASSWORD_HASH: await hashPassword(CONSOLE_PASSWORD),
      ALLOWED_ORIGINS: '*',
      PRICE_MIN: '0.01',
      PRICE_MAX: '500',
      ORDER_TTL: '600',
      PRODUCTS: JSON.stringify({
        tea: { name: 'Green tea', price: '9.90' },
        notebook: { name: 'Notebook', price: '39.00' },
      }),
      MERCHANT_NAME: 'Tea House',
      MERCHANT_WEBHOOK_URL: receiver.url,
      MERCHANT_WEBHOOK_SECRET: 'whsec-console-0123456789abcdef',
      WEBHOOK_RETRY_BASE_MS: '100',
    },
  });
  stacks.set(stack.url, { stack, receiver });
  return stack.url;
};

const consoleStop: BrowserCommand<[url: string]> = async (_context, url) => {
  const { stack, receiver } = stackOf(url);
  stacks.delete(url);
  await stack.stop({ removeData: true });
  await receiver.close();
};

type Payment = 'none' | 'exact' | 'different';

/** An order made as a buyer's page makes it, paid (or not) at the sandbox as a phone pays. */
const makeOrder: BrowserCommand<[url: string, body: Record<string, unknown>, payment?: Payment]> = async (
  _context,
  url,
  body,
  payment = 'none',
) => {
  const { stack } = stackOf(url);
  const order = await createOrder(url, body);
  if (payment === 'none') return order;
  if (payment === 'different')
    await postJson(`${stack.sandboxUrl}/_control/faults`, { pay_id: order.id, differentMoney: true });
  await payAtSandbox(order.qr!.payload!);
  const settled = payment === 'exact' ? 'paid' : 'review';
  await eventually(async () => ((await stack.signer.store.getOrder(order.id))?.status === settled ? true : undefined));
  return order;
};

/** Pays an order at the sandbox, as the buyer's phone does. */
const payOrder: BrowserCommand<[order: OrderView]> = async (_context, order) => {
  await payAtSandbox(order.qr!.payload!);
};

/** Every order in the signer's store, as the store holds it. */
const storedOrders: BrowserCommand<[url: string]> = async (_context, url) =>
  (await stackOf(url).stack.signer.store.listOrders({ limit: 10_000 })).map((order) => ({
    id: order.id,
    status: order.status,
    price: formatCents(order.price),
    money: order.money === null ? null : formatCents(order.money),
    paidAt: order.paidAt,
    createdAt: order.createdAt,
  }));

/** What the merchant's webhook receiver got: each event's type and order id, in order. */
const webhooksReceived: BrowserCommand<[url: string]> = async (_context, url) =>
  stackOf(url).receiver.received.map((hook) => {
    const event = JSON.parse(hook.body);
    return { id: event.id as string, type: event.type as string, orderId: event.data.order?.id as string };
  });

interface TabOptions {
  locale?: string;
  colorScheme?: 'light' | 'dark';
}

/** Opens `url` in a tab of a new browser context. */
const tabOpen: BrowserCommand<[url: string, options?: TabOptions]> = async (context, url, options = {}) => {
  const browser = context.context.browser() ?? fail('no browser');
  const own = await browser.newContext({
    locale: options.locale ?? 'en-US',
    colorScheme: options.colorScheme ?? 'light',
    // A merchant in China: "today" and the days of the chart are Beijing's.
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1100, height: 800 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await own.newPage();
  const tab: Tab = { context: own, page, errors: [] };
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) {
      tab.errors.push(`${message.text()} ${message.location().url}`);
    }
  });
  page.on('pageerror', (error) => tab.errors.push(error.message));
  await page.goto(url);
  tabs.set(++lastTab, tab);
  return lastTab;
};

const tabClose: BrowserCommand<[id: number]> = async (_context, id) => {
  await tabOf(id).context.close();
  tabs.delete(id);
};

const tabGoto: BrowserCommand<[id: number, url: string]> = async (_context, id, url) => {
  await tabOf(id).page.goto(url);
};

/** Signs in on the console's form (the tab is at /admin/). */
const tabSignIn: BrowserCommand<[id: number, password?: string]> = async (
  _context,
  id,
  password = CONSOLE_PASSWORD,
) => {
  const { page } = tabOf(id);
  await page.locator('console-sign-in input[type=password]').fill(password);
  await page.locator('console-sign-in button[type=submit]').click();
};

const tabClick: BrowserCommand<[id: number, selector: string]> = async (_context, id, selector) => {
  await tabOf(id).page.locator(selector).first().click();
};

const tabFill: BrowserCommand<[id: number, selector: string, value: string]> = async (
  _context,
  id,
  selector,
  value,
) => {
  await tabOf(id).page.locator(selector).first().fill(value);
};

const tabSelect: BrowserCommand<[id: number, selector: string, value: string]> = async (
  _context,
  id,
  selector,
  value,
) => {
  await tabOf(id).page.locator(selector).first().selectOption(value);
};

const tabPress: BrowserCommand<[id: number, key: string]> = async (_context, id, key) => {
  await tabOf(id).page.keyboard.press(key);
};

/** Waits until `selector` (piercing shadow roots) is visible, or attached with `attached`. */
const tabWait: BrowserCommand<[id: number, selector: string, state?: 'visible' | 'attached' | 'hidden']> = async (
  _context,
  id,
  selector,
  state = 'visible',
) => {
  await tabOf(id).page.locator(selector).first().waitFor({ state, timeout: 10_000 });
};

/** The text of every element matching `selector`, as a user reads it. */
const tabTexts: BrowserCommand<[id: number, selector: string]> = async (_context, id, selector) =>
  tabOf(id).page.locator(selector).allInnerTexts();

/** An attribute of every element matching `selector`. */
const tabAttributes: BrowserCommand<[id: number, selector: string, name: string]> = async (
  _context,
  id,
  selector,
  name,
) =>
  tabOf(id)
    .page.locator(selector)
    .evaluateAll((els, attribute) => els.map((el) => el.getAttribute(attribute)), name);

/** The focused element, inside shadow roots too: its tag, text and data-action. */
const tabFocused: BrowserCommand<[id: number]> = async (_context, id) =>
  tabOf(id).page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    const host =
      (active?.getRootNode() as ShadowRoot | Document) instanceof ShadowRoot
        ? (active!.getRootNode() as ShadowRoot).host
        : null;
    return {
      tag: active?.tagName.toLowerCase() ?? '',
      text: (active as HTMLElement | null)?.innerText?.trim() ?? '',
      action: active?.getAttribute('data-action') ?? null,
      host: host?.tagName.toLowerCase() ?? null,
    };
  });

/** fetch() run inside the tab: the page's origin and its cookies. */
const tabFetch: BrowserCommand<
  [id: number, url: string, init?: { method?: string; body?: string; headers?: Record<string, string> }]
> = async (_context, id, url, init = {}) =>
  tabOf(id).page.evaluate(
    async ({ url, init }) => {
      const response = await fetch(url, init);
      return { status: response.status, body: await response.text(), type: response.headers.get('content-type') };
    },
    { url, init },
  );

/** axe-core run in the tab (evaluated through the DevTools protocol, so the page's CSP stays as it is). */
const tabAxe: BrowserCommand<[id: number]> = async (_context, id) => {
  const { page } = tabOf(id);
  await page.evaluate(axeScript());
  return page.evaluate(async () => {
    // @ts-expect-error: axe is the global the script above defined
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return (results.violations as { id: string; nodes: { target: string[] }[] }[]).map(
      (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  });
};

const tabErrors: BrowserCommand<[id: number]> = async (_context, id) => tabOf(id).errors;

/** A full-page screenshot in SHOTS_DIR; returns its path. */
const tabShot: BrowserCommand<[id: number, name: string]> = async (_context, id, name) => {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const path = join(SHOTS_DIR, `${name}.png`);
  await tabOf(id).page.screenshot({ path, fullPage: true });
  return path;
};

/**
 * Another site's page, opened in the signed-in tab's browser (so the console's cookie goes along
 * where the browser sends it), that POSTs a form to `target` the moment it loads. Served from
 * another port of 127.0.0.1: another origin, but the same site, so SameSite=Strict alone would not
 * stop it. Returns the status of the answer the browser got.
 */
const forgedPost: BrowserCommand<[id: number, target: string, fields: Record<string, string>]> = async (
  _context,
  id,
  target,
  fields,
) => {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
    .join('');
  const html = `<!doctype html><form method="post" action="${target}" enctype="text/plain">${inputs}</form>
    <script>document.forms[0].submit()</script>`;
  const { startSite } = await import('../support/browser.ts');
  const evil = await startSite(() => html);
  const page = await tabOf(id).context.newPage();
  try {
    const answered = page.waitForResponse((response) => response.url() === target);
    await page.goto(evil.url);
    const response = await answered;
    return { status: response.status(), body: await response.text() };
  } finally {
    await page.close();
    await evil.close();
  }
};

/** What each QR code matching `selector` holds, read back from a screenshot of it. */
const tabQrCodes: BrowserCommand<[id: number, selector: string]> = async (_context, id, selector) => {
  const { readQr } = await import('../support/browser.ts');
  const codes = tabOf(id).page.locator(selector);
  const texts: (string | undefined)[] = [];
  for (const code of await codes.all()) texts.push(readQr(await code.screenshot()));
  return texts;
};

export const consoleCommands = {
  consoleStart,
  consoleStop,
  makeOrder,
  payOrder,
  storedOrders,
  webhooksReceived,
  tabOpen,
  tabClose,
  tabGoto,
  tabSignIn,
  tabClick,
  tabFill,
  tabSelect,
  tabPress,
  tabWait,
  tabTexts,
  tabAttributes,
  tabFocused,
  tabFetch,
  tabAxe,
  tabErrors,
  tabShot,
  forgedPost,
  tabQrCodes,
};

interface StoredOrder {
  id: string;
  status: string;
  price: string;
  money: string | null;
  paidAt: number | null;
  createdAt: number;
}

declare module 'vitest/browser' {
  interface BrowserCommands {
    consoleStart(): Promise<string>;
    consoleStop(url: string): Promise<void>;
    makeOrder(url: string, body: Record<string, unknown>, payment?: Payment): Promise<OrderView>;
    payOrder(order: OrderView): Promise<void>;
    storedOrders(url: string): Promise<StoredOrder[]>;
    webhooksReceived(url: string): Promise<{ id: string; type: string; orderId: string }[]>;
    tabOpen(url: string, options?: TabOptions): Promise<number>;
    tabClose(id: number): Promise<void>;
    tabGoto(id: number, url: string): Promise<void>;
    tabSignIn(id: number, password?: string): Promise<void>;
    tabClick(id: number, selector: string): Promise<void>;
    tabFill(id: number, selector: string, value: string): Promise<void>;
    tabSelect(id: number, selector: string, value: string): Promise<void>;
    tabPress(id: number, key: string): Promise<void>;
    tabWait(id: number, selector: string, state?: 'visible' | 'attached' | 'hidden'): Promise<void>;
    tabTexts(id: number, selector: string): Promise<string[]>;
    tabAttributes(id: number, selector: string, name: string): Promise<(string | null)[]>;
    tabFocused(id: number): Promise<{ tag: string; text: string; action: string | null; host: string | null }>;
    tabFetch(
      id: number,
      url: string,
      init?: { method?: string; body?: string; headers?: Record<string, string> },
    ): Promise<{ status: number; body: string; type: string | null }>;
    tabAxe(id: number): Promise<string[]>;
    tabErrors(id: number): Promise<string[]>;
    tabShot(id: number, name: string): Promise<string>;
    forgedPost(id: number, target: string, fields: Record<string, string>): Promise<{ status: number; body: string }>;
    tabQrCodes(id: number, selector: string): Promise<(string | undefined)[]>;
  }
}
