/**
 * The merchant's console at /admin/, in Chromium, against a real signer (its own: the console on,
 * a webhook receiver) and the real sandbox: sign-in and lockout, CSRF, the overview's figures
 * against the store, actions, live rows, the CSV, keyboard use, and axe on every page.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commands as c } from 'vitest/browser';
import type { OrderView } from '../../shared/api.ts';

const TIME_ZONE = 'Asia/Shanghai';
let url: string;
let admin: string;
/** Orders made before the tests: one paid, one in review (kept in review), one pending. */
let paid: OrderView;
let review: OrderView;
let pending: OrderView;

beforeAll(async () => {
  url = await c.consoleStart();
  admin = `${url}/admin/`;
  paid = await c.makeOrder(url, { product: 'tea', type: 3, param: 'table-7' }, 'exact');
  review = await c.makeOrder(url, { price: '5.00', type: 1 }, 'different');
  pending = await c.makeOrder(url, { product: 'notebook', type: 1 });
}, 60_000);
afterAll(() => c.consoleStop(url));

/** Sign-in answers wait for a scrypt of the password, webhooks for the outbox: a while, on a busy machine. */
const poll = <T>(check: () => Promise<T>) => expect.poll(check, { timeout: 10_000, interval: 100 });

const money = (amount: string | number) =>
  Number(amount).toLocaleString('en', { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol' });

/** A tab signed in to the console, on the overview (tabs run in TIME_ZONE). */
async function signedIn(options: { locale?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<number> {
  const tab = await c.tabOpen(admin, { ...options });
  await c.tabSignIn(tab);
  await c.tabWait(tab, 'console-overview h1');
  return tab;
}

/** Signs in on the form (the right password unless given) and waits for the answer: the form's failure message. */
async function signInAnswer(tab: number, password?: string): Promise<string[]> {
  await c.tabSignIn(tab, password);
  await poll(() => c.tabAttributes(tab, 'console-sign-in button[type=submit]', 'disabled')).toEqual([null]);
  return c.tabTexts(tab, 'console-sign-in #failure');
}

async function confirmDialog(tab: number): Promise<void> {
  await c.tabWait(tab, 'console-confirm dialog[open]');
  await c.tabClick(tab, 'console-confirm button.confirm');
  await c.tabWait(tab, 'console-confirm dialog', 'hidden');
}

describe('sign-in', () => {
  test('the password form first; a wrong password is refused, the right one opens the overview; sign-out ends it', async () => {
    const tab = await c.tabOpen(admin);
    await c.tabWait(tab, 'console-sign-in input[type=password]');
    expect(await c.tabTexts(tab, 'codepay-console nav')).toEqual([]);
    expect(await signInAnswer(tab, 'not the password')).toEqual(['Wrong password.']);
    expect((await c.tabFetch(tab, 'api/orders')).status).toBe(401);
    await c.tabSignIn(tab);
    await c.tabWait(tab, 'console-overview h1');
    expect(await c.tabTexts(tab, 'codepay-console nav a')).toEqual(['Overview', 'Orders', 'Products', 'Health']);
    expect((await c.tabFetch(tab, 'api/orders')).status).toBe(200);
    await c.tabClick(tab, 'codepay-console [data-action=sign-out]');
    await c.tabWait(tab, 'console-sign-in input[type=password]');
    expect((await c.tabFetch(tab, 'api/orders')).status).toBe(401);
    await c.tabClose(tab);
  });

  test('repeated wrong passwords lock sign-in, and the form says for how long', async () => {
    // A signer of its own: the lockout holds this client address for 15 minutes.
    const other = await c.consoleStart();
    const tab = await c.tabOpen(`${other}/admin/`);
    try {
      await c.tabWait(tab, 'console-sign-in input[type=password]');
      for (let attempt = 1; attempt <= 4; attempt++) {
        expect(await signInAnswer(tab, `guess ${attempt}`)).toEqual(['Wrong password.']);
      }
      await signInAnswer(tab, 'guess 5');
      const locked = ['Too many failed attempts. Sign-in is locked; try again in 15 min.'];
      expect(await signInAnswer(tab, 'guess 6')).toEqual(locked);
      // Even the right password now.
      expect(await signInAnswer(tab)).toEqual(locked);
      expect(await c.tabTexts(tab, 'console-overview')).toEqual([]);
    } finally {
      await c.tabClose(tab);
      await c.consoleStop(other);
    }
  });
});

test('CSRF: a change without the session token, or posted from another site, is refused and changes nothing', async () => {
  const tab = await signedIn();
  const target = `${url}/admin/api/orders/${review.id}/review`;
  const tokenless = await c.tabFetch(tab, target, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ decision: 'accept' }),
  });
  expect(tokenless.status).toBe(403);
  expect(JSON.parse(tokenless.body).error.code).toBe('CSRF_REFUSED');
  const forged = await c.forgedPost(tab, target, { '{"decision":"accept","x":"': '"}' });
  // Same site (127.0.0.1), so the browser sent the cookie: the Origin check refuses it.
  expect(forged.status).toBe(403);
  expect(JSON.parse(forged.body).error.code).toBe('CSRF_REFUSED');
  const stored = (await c.storedOrders(url)).find((order) => order.id === review.id);
  expect(stored?.status).toBe('review');
  await c.tabClose(tab);
});

test("the overview's figures are the store's orders", async () => {
  const tab = await c.tabOpen(admin, { locale: 'en-US' });
  await c.tabSignIn(tab);
  await c.tabWait(tab, 'console-overview [data-figure=today]');
  const orders = await c.storedOrders(url);
  const day = (at: number) => new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(at);
  const today = day(Date.now());
  const paidWithin = (prefix: string) =>
    orders.filter((order) => order.status === 'paid' && order.paidAt !== null && day(order.paidAt).startsWith(prefix));
  const sum = (paid: typeof orders) => paid.reduce((total, order) => total + Number(order.money ?? order.price), 0);
  const paidToday = paidWithin(today);
  expect(paidToday.length).toBeGreaterThan(0);
  expect(await c.tabTexts(tab, 'console-overview [data-figure=today]')).toEqual([money(sum(paidToday))]);
  expect(await c.tabTexts(tab, 'console-overview [data-figure=month]')).toEqual([
    money(sum(paidWithin(today.slice(0, 7)))),
  ]);
  for (const status of ['paid', 'pending', 'review', 'expired', 'failed']) {
    const count = orders.filter((order) => order.status === status).length;
    expect(await c.tabTexts(tab, `console-overview a[data-status=${status}] strong`), status).toEqual([String(count)]);
  }
  const inReview = orders.filter((order) => order.status === 'review').length;
  expect(await c.tabTexts(tab, 'console-overview [data-count]')).toEqual([String(inReview)]);
  // The chart's table: 30 days, today's last, with the same takings.
  await c.tabClick(tab, 'console-overview figure summary');
  const rows = await c.tabTexts(tab, 'console-overview table.days tbody tr');
  expect(rows).toHaveLength(30);
  expect(
    rows
      .at(-1)!
      .split('\t')
      .map((cell) => cell.trim()),
  ).toEqual([today, money(sum(paidToday)), String(paidToday.length)]);
  await c.tabClose(tab);
});

test('a review accepted from the console turns the order paid and sends order.paid', async () => {
  const order = await c.makeOrder(url, { price: '7.00', type: 2 }, 'different');
  const tab = await signedIn();
  await c.tabGoto(tab, `${admin}#/orders/${order.id}`);
  await c.tabWait(tab, 'console-order [data-status=review]');
  await c.tabClick(tab, 'console-order [data-action=accept]');
  await confirmDialog(tab);
  await c.tabWait(tab, 'console-order [data-status=paid]');
  await poll(async () =>
    (await c.webhooksReceived(url)).filter((hook) => hook.orderId === order.id).map((hook) => hook.type),
  ).toContain('order.paid');
  expect((await c.storedOrders(url)).find((stored) => stored.id === order.id)?.status).toBe('paid');
  expect((await c.tabTexts(tab, 'console-order #action-log ~ table tbody tr')).join('\n')).toContain('review.accept');
  await c.tabClose(tab);
});

test("a webhook re-sent from an order's page reaches the receiver again", async () => {
  const sent = async () =>
    (await c.webhooksReceived(url)).filter((hook) => hook.orderId === paid.id && hook.type === 'order.paid');
  await poll(async () => (await sent()).length).toBe(1);
  const [first] = await sent();
  const tab = await signedIn();
  await c.tabGoto(tab, `${admin}#/orders/${paid.id}`);
  await c.tabWait(tab, 'console-order [data-action=resend]');
  // The receiver's answer to the first delivery, as the signer recorded it.
  const [answer] = await c.tabTexts(tab, `console-order tr[data-event="${first!.id}"] td:nth-child(5)`);
  expect(answer).toMatch(/^HTTP 200\b/);
  await c.tabClick(tab, 'console-order [data-action=resend]');
  await confirmDialog(tab);
  await poll(() => c.tabTexts(tab, 'console-order [data-notice]')).toEqual(['Queued to be sent again.']);
  await poll(async () => (await sent()).length).toBe(2);
  const [, again] = await sent();
  expect(again!.id).toBe(first!.id);
  await c.tabClose(tab);
});

test('the confirm dialog: focus starts on Cancel, stays inside, Escape cancels and gives the focus back', async () => {
  const tab = await signedIn();
  await c.tabGoto(tab, `${admin}#/orders/${pending.id}`);
  await c.tabWait(tab, 'console-order [data-action=reconcile]');
  await c.tabClick(tab, 'console-order [data-action=reconcile]');
  await c.tabWait(tab, 'console-confirm dialog[open]');
  expect(await c.tabFocused(tab)).toMatchObject({ host: 'console-confirm', text: 'Cancel' });
  for (let i = 0; i < 4; i++) {
    await c.tabPress(tab, 'Tab');
    expect((await c.tabFocused(tab)).host).toBe('console-confirm');
  }
  await c.tabPress(tab, 'Escape');
  await c.tabWait(tab, 'console-confirm dialog', 'hidden');
  expect(await c.tabFocused(tab)).toMatchObject({ host: 'console-order', action: 'reconcile' });
  expect((await c.storedOrders(url)).find((order) => order.id === pending.id)?.status).toBe('pending');
  await c.tabClose(tab);
});

test('live: a row turns paid the moment it is paid, without a reload', async () => {
  const order = await c.makeOrder(url, { price: '3.30', type: 3 });
  const tab = await signedIn();
  await c.tabClick(tab, 'codepay-console nav a[href="#/orders"]');
  await c.tabWait(tab, `console-orders tr[data-id="${order.id}"][data-status=pending]`);
  await c.payOrder(order);
  await c.tabWait(tab, `console-orders tr[data-id="${order.id}"][data-status=paid]`);
  expect(await c.tabTexts(tab, `console-orders tr[data-id="${order.id}"] .badge`)).toEqual(['paid']);
  await c.tabClose(tab);
});

test("a product's payment link, paid with the sandbox's desktop action, turns paid in the console", async () => {
  const tab = await signedIn();
  await c.tabGoto(tab, `${admin}#/orders`);
  await c.tabWait(tab, 'console-orders table[data-orders]');
  const buyer = await c.tabOpen(`${url}/pay/notebook`);
  await c.tabClick(buyer, 'codepay-checkout [part~=pay-button]');
  await c.tabClick(buyer, 'codepay-checkout [part~=sandbox-pay-button]');
  await c.tabWait(buyer, 'codepay-checkout[status=paid]');
  const paidNotebooks = async () =>
    (await c.storedOrders(url)).filter((order) => order.status === 'paid' && order.price === '39.00');
  await poll(async () => (await paidNotebooks()).length).toBe(1);
  // The console's table, open all along, got the new order and its payment live.
  const [order] = await paidNotebooks();
  await c.tabWait(tab, `console-orders tr[data-id="${order!.id}"][data-status=paid]`);
  await c.tabClose(buyer);
  await c.tabClose(tab);
});

test('filters narrow the table, and the CSV export holds exactly the rows of the table', async () => {
  const tab = await signedIn();
  await c.tabGoto(tab, `${admin}#/orders`);
  await c.tabWait(tab, 'console-orders tr[data-id]');
  const parse = (csv: string) =>
    csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
  for (const status of ['', 'paid']) {
    await c.tabSelect(tab, 'console-orders select[name=status]', status);
    await c.tabClick(tab, 'console-orders button[type=submit]');
    await poll(async () => new Set(await c.tabAttributes(tab, 'console-orders tr[data-id]', 'data-status')).size).toBe(
      status ? 1 : new Set((await c.storedOrders(url)).map((order) => order.status)).size,
    );
    const ids = await c.tabAttributes(tab, 'console-orders tr[data-id]', 'data-id');
    const statuses = await c.tabAttributes(tab, 'console-orders tr[data-id]', 'data-status');
    const prices = await c.tabTexts(tab, 'console-orders tr[data-id] td:nth-child(3)');
    const [href] = await c.tabAttributes(tab, 'console-orders a[data-csv]', 'href');
    const csv = await c.tabFetch(tab, href!);
    expect(csv.type).toMatch(/^text\/csv/);
    const [header, ...rows] = parse(csv.body);
    expect(header!.slice(0, 3)).toEqual(['id', 'status', 'price']);
    expect(rows.map((row) => row[0])).toEqual(ids);
    expect(rows.map((row) => row[1])).toEqual(statuses);
    expect(rows.map((row) => money(row[2]!))).toEqual(prices);
  }
  await c.tabFill(tab, 'console-orders input[name=q]', 'table-7');
  await c.tabSelect(tab, 'console-orders select[name=status]', '');
  await c.tabClick(tab, 'console-orders button[type=submit]');
  await poll(() => c.tabAttributes(tab, 'console-orders tr[data-id]', 'data-id')).toEqual([paid.id]);
  await c.tabClose(tab);
});

test('the products page shows each link and its QR code, drawn on the page', async () => {
  const tab = await signedIn();
  await c.tabGoto(tab, `${admin}#/products`);
  await c.tabWait(tab, 'console-products [data-product=tea] svg.qr path');
  expect(await c.tabTexts(tab, 'console-products [data-link]')).toEqual([`${url}/pay/tea`, `${url}/pay/notebook`]);
  expect(await c.tabTexts(tab, 'console-products [data-product=tea] p:first-of-type')).toEqual(['¥9.90 · Tea House']);
  expect(await c.tabQrCodes(tab, 'console-products svg.qr')).toEqual([`${url}/pay/tea`, `${url}/pay/notebook`]);
  expect(await c.tabAttributes(tab, 'console-products svg.qr', 'aria-label')).toEqual([
    'QR code of the link to Green tea',
    'QR code of the link to Notebook',
  ]);
  await c.tabClose(tab);
});

test("language: the browser's first, switchable, remembered", async () => {
  const tab = await signedIn({ locale: 'zh-CN' });
  expect(await c.tabTexts(tab, 'codepay-console nav a')).toEqual(['概览', '订单', '商品', '运行状态']);
  await c.tabSelect(tab, 'codepay-console select', 'zh-TW');
  await poll(() => c.tabTexts(tab, 'codepay-console nav a')).toEqual(['概覽', '訂單', '商品', '運行狀態']);
  await c.tabGoto(tab, `${admin}#/health`);
  await c.tabWait(tab, 'console-health h1');
  expect(await c.tabTexts(tab, 'console-health h1')).toEqual(['運行狀態']);
  await c.tabSelect(tab, 'codepay-console select', 'en');
  await poll(() => c.tabTexts(tab, 'console-health h1')).toEqual(['Health']);
  await c.tabClose(tab);
});

const PAGES = [
  { name: 'overview', hash: '#/', element: 'console-overview' },
  { name: 'orders', hash: '#/orders', element: 'console-orders' },
  { name: 'order', hash: '', element: 'console-order' },
  { name: 'health', hash: '#/health', element: 'console-health' },
  { name: 'products', hash: '#/products', element: 'console-products' },
];

describe.each([
  { locale: 'en-US', colorScheme: 'light' as const },
  { locale: 'en-US', colorScheme: 'dark' as const },
  { locale: 'zh-CN', colorScheme: 'light' as const },
  { locale: 'zh-CN', colorScheme: 'dark' as const },
])('every page, $locale $colorScheme', ({ locale, colorScheme }) => {
  test('axe finds nothing, nothing is refused by the CSP, and each page is shot', async () => {
    const tab = await c.tabOpen(admin, { locale, colorScheme });
    const shot = (name: string) => c.tabShot(tab, `${name}-${locale}-${colorScheme}`);
    await c.tabWait(tab, 'console-sign-in input[type=password]');
    expect(await c.tabAxe(tab), 'sign-in').toEqual([]);
    await shot('sign-in');
    await c.tabSignIn(tab);
    await c.tabWait(tab, 'console-overview h1');
    for (const page of PAGES) {
      await c.tabGoto(tab, `${admin}${page.hash || `#/orders/${review.id}`}`);
      await c.tabWait(tab, `${page.element} h1`);
      expect(await c.tabAxe(tab), page.name).toEqual([]);
      await shot(page.name);
    }
    // The confirm dialog, over the order's page.
    await c.tabGoto(tab, `${admin}#/orders/${review.id}`);
    await c.tabClick(tab, 'console-order [data-action=accept]');
    await c.tabWait(tab, 'console-confirm dialog[open]');
    expect(await c.tabAxe(tab), 'dialog').toEqual([]);
    await shot('dialog');
    await c.tabPress(tab, 'Escape');
    await c.tabWait(tab, 'console-confirm dialog', 'hidden');
    expect(await c.tabAttributes(tab, 'html', 'lang')).toEqual([locale === 'zh-CN' ? 'zh-CN' : 'en']);
    expect(await c.tabAttributes(tab, 'html', 'data-theme')).toEqual([colorScheme]);
    // The first look at the session is a 401 (not signed in yet), which Chromium logs; nothing else.
    const errors = await c.tabErrors(tab);
    expect(errors.filter((line) => !/status of 401 .*\/admin\/api\/session$/.test(line))).toEqual([]);
    await c.tabClose(tab);
  }, 60_000);
});

test('the theme toggle switches light and dark, and is remembered', async () => {
  const tab = await signedIn({ colorScheme: 'light' });
  expect(await c.tabAttributes(tab, 'html', 'data-theme')).toEqual(['light']);
  await c.tabClick(tab, 'codepay-console button[aria-pressed]');
  expect(await c.tabAttributes(tab, 'html', 'data-theme')).toEqual(['dark']);
  expect(await c.tabAttributes(tab, 'codepay-console button[aria-pressed]', 'aria-pressed')).toEqual(['true']);
  await c.tabGoto(tab, admin);
  await c.tabWait(tab, 'console-overview h1');
  expect(await c.tabAttributes(tab, 'html', 'data-theme')).toEqual(['dark']);
  await c.tabClose(tab);
});
