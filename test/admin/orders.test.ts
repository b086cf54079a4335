/**
 * The console's figures and actions against a real signer on the sandbox: orders created and paid
 * through it, a payment in review, an orphan, and a real webhook receiver.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { formatCents } from '../../shared/money.ts';
import type { MerchantEvent } from '../../server/outbox/events.ts';
import { consoleClient, startConsoleStack, type ConsoleClient } from '../support/console.ts';
import { createOrder, eventually, payAtSandbox, postForm, postJson, requestJson } from '../support/http.ts';
import { signedForm } from '../support/notify.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';
import { openEvents } from '../support/sse.ts';
import type { Stack } from '../support/stack.ts';

const API_SECRET = 'merchant-backend-secret-0123456789';
const ZONE = 'Asia/Shanghai';

let receiver: Receiver;
let stack: Stack;
let admin: ConsoleClient;
const created: Record<string, OrderView> = {};

const statusOf = async (id: string) => (await requestJson<OrderView>(`${stack.url}/api/orders/${id}`)).body.status;
const backend = { authorization: `Bearer ${API_SECRET}` };
const delivered = (type: string, orderId: string) =>
  receiver.received
    .filter((hit) => hit.status === 200)
    .map((hit) => JSON.parse(hit.body) as MerchantEvent)
    .filter((event) => event.type === type && event.data.order?.id === orderId);

beforeAll(async () => {
  receiver = await startReceiver();
  stack = await startConsoleStack({
    dispatchIntervalMs: 50,
    env: {
      MERCHANT_WEBHOOK_URL: receiver.url,
      MERCHANT_WEBHOOK_SECRET: 'whsec-console-0123456789abcdef',
      API_SECRET,
      RECONCILE_INTERVAL: '0',
      MERCHANT_NAME: '小店 Tea House',
      // A failed delivery is tried again a second later: long enough to see it failed.
      WEBHOOK_RETRY_BASE_MS: '1000',
    },
  });
  admin = await consoleClient(stack.url);
  created.tea = await createOrder(
    stack.url,
    { price: '9.90', type: 1, param: 'note-alpha', reference: 'INV-1' },
    backend,
  );
  created.wechat = await createOrder(stack.url, { price: '5.00', type: 3, reference: 'INV-2' }, backend);
  created.review = await createOrder(stack.url, { price: '5.00', type: 1 });
  created.pending = await createOrder(stack.url, { price: '1.23', type: 2, param: 'still-open' });
  created.formula = await createOrder(stack.url, { price: '2.00', type: 1, reference: '=HYPERLINK("x")' }, backend);
  await payAtSandbox(created.tea.qr!.payload!);
  await payAtSandbox(created.wechat.qr!.payload!);
  await payAtSandbox(created.formula.qr!.payload!);
  await postJson(`${stack.sandboxUrl}/_control/faults`, { pay_id: created.review.id, differentMoney: true });
  await payAtSandbox(created.review.qr!.payload!);
  const orphan = {
    pay_id: 'nobody',
    money: '2.00',
    pay_no: '20260101000000000000000000000077',
    pay_time: '1800000000',
  };
  await postForm(`${stack.url}/api/notify`, signedForm(orphan));
  await eventually(async () =>
    (await statusOf(created.review.id)) === 'review' && (await statusOf(created.formula.id)) === 'paid'
      ? true
      : undefined,
  );
});
afterAll(async () => {
  await stack.stop({ removeData: true });
  await receiver.close();
});

const localDay = (time: number) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(time);

describe('overview', () => {
  it('shows the takings, the orders by status and the payments to look at, as the store holds them', async () => {
    const answer = await admin.get(`overview?tz=${encodeURIComponent(ZONE)}`);
    expect(answer.status).toBe(200);
    const stored = await stack.signer.store.listOrders({});
    const paidToday = stored.filter(
      (order) => order.status === 'paid' && localDay(order.paidAt!) === localDay(Date.now()),
    );
    const takings = formatCents(paidToday.reduce((sum, order) => sum + (order.money ?? order.price), 0));
    expect(answer.body.today).toEqual({ takings, count: paidToday.length });
    expect(paidToday.length).toBe(3);
    // This month holds today, and nothing was paid before today.
    expect(answer.body.month).toEqual(answer.body.today);
    const counts = (await stack.signer.store.counts()).orders;
    for (const [status, count] of Object.entries(counts)) expect(answer.body.byStatus[status]).toBe(count);
    expect(answer.body.byStatus).toMatchObject({ paid: 3, review: 1, pending: 1 });
    expect(answer.body.days).toHaveLength(30);
    expect(answer.body.days.at(-1)).toEqual({ date: localDay(Date.now()), takings, count: 3 });
    expect(answer.body.days.slice(0, -1).every((day: { count: number }) => day.count === 0)).toBe(true);
    const kinds = answer.body.attention.items.map((item: { kind: string; orderId: string | null }) => [
      item.kind,
      item.orderId,
    ]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['review', created.review.id],
        ['orphan', null],
      ]),
    );
    expect(answer.body.attention.count).toBe(2);
  });

  it('refuses a time zone it does not know', async () => {
    const answer = await admin.get('overview?tz=Mars/Olympus');
    expect([answer.status, answer.body.error.code]).toEqual([400, 'INVALID_FILTER']);
  });
});

describe('orders table', () => {
  const ids = (answer: { body: { orders: { id: string }[] } }) => answer.body.orders.map((order) => order.id).sort();

  it('filters by status and channel, and searches id, reference and param', async () => {
    const paid = await admin.get('orders?status=paid');
    expect(ids(paid)).toEqual([created.tea.id, created.wechat.id, created.formula.id].sort());
    expect(paid.body.total).toBe(3);
    expect(ids(await admin.get('orders?type=3'))).toEqual([created.wechat.id]);
    expect(ids(await admin.get('orders?q=alpha'))).toEqual([created.tea.id]);
    expect(ids(await admin.get('orders?q=INV-2'))).toEqual([created.wechat.id]);
    expect(ids(await admin.get(`orders?q=${created.pending.id.slice(3, 15)}`))).toEqual([created.pending.id]);
    expect(ids(await admin.get('orders?status=paid&type=1'))).toEqual([created.tea.id, created.formula.id].sort());
    const row = (await admin.get('orders?q=alpha')).body.orders[0];
    expect(row).toMatchObject({ status: 'paid', price: '9.90', type: 1, reference: 'INV-1', param: 'note-alpha' });
  });

  it('filters by day in the merchant’s time zone', async () => {
    const today = localDay(Date.now());
    expect((await admin.get(`orders?from=${today}&to=${today}`)).body.total).toBe(5);
    const tomorrow = localDay(Date.now() + 86_400_000);
    expect((await admin.get(`orders?from=${tomorrow}`)).body.total).toBe(0);
    expect((await admin.get(`orders?to=2020-01-01`)).body.total).toBe(0);
  });

  it('pages newest first', async () => {
    const all = await admin.get('orders');
    expect(all.body).toMatchObject({ total: 5, page: 1, pageSize: 50 });
    const times = all.body.orders.map((order: { createdAt: number }) => order.createdAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const pages = await Promise.all([1, 2, 3].map((page) => admin.get(`orders?pageSize=2&page=${page}`)));
    expect(pages.map((page) => page.body.orders.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((page) => page.body.orders.map((order: { id: string }) => order.id))).toEqual(
      all.body.orders.map((order: { id: string }) => order.id),
    );
  });

  it('refuses a filter it does not take, naming it', async () => {
    for (const query of [
      'status=lost',
      'type=4',
      'from=2026-02-30',
      'page=0',
      'pageSize=1000',
      'status=paid&status=review',
    ]) {
      const answer = await admin.get(`orders?${query}`);
      expect([query, answer.status, answer.body.error.code]).toEqual([query, 400, 'INVALID_FILTER']);
      expect(answer.body.error.message).toContain(query.split('=')[0]);
    }
  });

  it('exports the same rows as CSV, safe for a spreadsheet', async () => {
    const table = await admin.get('orders?status=paid');
    const csv = await admin.text('orders.csv?status=paid');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="orders-\d{4}-\d{2}-\d{2}\.csv"$/);
    // The byte-order mark Excel needs to read UTF-8.
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,status,price,money,type,product,reference,param,late,created,paid');
    const names = { 1: 'alipay', 2: 'qqpay', 3: 'wechat' } as Record<number, string>;
    const expected = table.body.orders.map((row: Record<string, never>) =>
      [
        row.id,
        row.status,
        row.price,
        row.money ?? '',
        names[row.type],
        row.product ?? '',
        // The formula is defused with a leading quote, and quoted for its own quotes.
        row.reference === '=HYPERLINK("x")' ? `"'=HYPERLINK(""x"")"` : (row.reference ?? ''),
        row.param ?? '',
        String(row.late),
        new Date(row.createdAt).toISOString(),
        new Date(row.paidAt).toISOString(),
      ].join(','),
    );
    expect(lines.slice(1)).toEqual(expected);
  });
});

describe('an order’s page', () => {
  it('has its payments, its status history, its webhook deliveries and its events', async () => {
    await eventually(() => (delivered('order.paid', created.tea.id).length > 0 ? true : undefined));
    const answer = await admin.get(`orders/${created.tea.id}`);
    expect(answer.status).toBe(200);
    const { order, payments, history, events, can } = answer.body;
    expect(order).toMatchObject({ id: created.tea.id, status: 'paid', reference: 'INV-1' });
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ outcome: 'paid', money: created.tea.money });
    expect(history.map((change: { from: string | null; to: string }) => [change.from, change.to])).toEqual([
      [null, 'creating'],
      ['creating', 'pending'],
      ['pending', 'paid'],
    ]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'order.paid',
      payload: { type: 'order.paid', data: { order: { id: created.tea.id } } },
    });
    expect(events[0].deliveries).toEqual([
      expect.objectContaining({
        destination: 'webhook',
        attempts: 1,
        lastError: null,
        lastAnswer: 'HTTP 200 ok',
        nextAttemptAt: null,
      }),
    ]);
    expect(events[0].deliveries[0].deliveredAt).toBeGreaterThan(0);
    expect(can).toMatchObject({ review: false, resend: true, refund: false });
  });

  it('shows what the receiver answered to a failed delivery, then to the one that went through', async () => {
    receiver.answerWith(500);
    const order = await createOrder(stack.url, { price: '4.40' });
    await payAtSandbox(order.qr!.payload!);
    const deliveryOf = async () => (await admin.get(`orders/${order.id}`)).body.events[0]?.deliveries[0];
    const failed = await eventually(async () => ((await deliveryOf())?.attempts >= 1 ? deliveryOf() : undefined));
    expect(failed).toMatchObject({
      deliveredAt: null,
      lastError: 'the webhook answered HTTP 500 not now',
      lastAnswer: null,
    });
    expect(failed.nextAttemptAt).toBeGreaterThan(0);
    const done = await eventually(async () => ((await deliveryOf())?.deliveredAt ? deliveryOf() : undefined));
    expect(done).toMatchObject({ attempts: 2, lastError: null, lastAnswer: 'HTTP 200 ok' });
  });

  it('answers ORDER_NOT_FOUND for an id that names no order', async () => {
    const answer = await admin.get('orders/nothing-here');
    expect([answer.status, answer.body.error.code]).toEqual([404, 'ORDER_NOT_FOUND']);
  });
});

describe('actions', () => {
  it('accepts a review: the order turns paid, order.paid goes out, and the action is recorded', async () => {
    const before = await admin.get(`orders/${created.review.id}`);
    expect(before.body.can.review).toBe(true);
    const answer = await admin.send('POST', `orders/${created.review.id}/review`, { decision: 'accept' });
    expect(answer.status).toBe(200);
    expect(answer.body.order.status).toBe('paid');
    expect(answer.body.action).toMatchObject({ action: 'review.accept', result: 'ok', actor: 'admin@127.0.0.1' });
    expect(await statusOf(created.review.id)).toBe('paid');
    await eventually(() => (delivered('order.paid', created.review.id).length > 0 ? true : undefined));
    const detail = await admin.get(`orders/${created.review.id}`);
    expect(detail.body.actions).toEqual([
      expect.objectContaining({ action: 'review.accept', orderId: created.review.id }),
    ]);
    expect(detail.body.history.at(-1)).toMatchObject({ from: 'review', to: 'paid' });
    // Once settled, a second decision is refused, and that is recorded too.
    const again = await admin.send('POST', `orders/${created.review.id}/review`, { decision: 'reject' });
    expect([again.status, again.body.error.code]).toEqual([409, 'NOT_IN_REVIEW']);
    const actions = (await admin.get(`actions?orderId=${created.review.id}`)).body.actions;
    expect(actions.map((action: { action: string; result: string }) => [action.action, action.result])).toEqual([
      ['review.reject', 'refused'],
      ['review.accept', 'ok'],
    ]);
  });

  it('re-sends a webhook: the receiver gets the same event again', async () => {
    await eventually(() => (delivered('order.paid', created.wechat.id).length === 1 ? true : undefined));
    const [event] = (await admin.get(`orders/${created.wechat.id}`)).body.events;
    const answer = await admin.send('POST', `outbox/${event.id}/resend`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      queued: 1,
      action: { action: 'resend', target: event.id, orderId: created.wechat.id },
    });
    await eventually(() => (delivered('order.paid', created.wechat.id).length === 2 ? true : undefined));
    const ids = delivered('order.paid', created.wechat.id).map((sent) => sent.id);
    expect(ids).toEqual([event.id, event.id]);
    const unknown = await admin.send('POST', 'outbox/evt_nothing/resend');
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'EVENT_NOT_FOUND']);
  });

  it('reconciles one order now, asking the gateway', async () => {
    const answer = await admin.send('POST', `orders/${created.pending.id}/reconcile`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      found: 0,
      check: 'not paid',
      order: { status: 'pending' },
      action: { action: 'reconcile' },
    });
  });

  it('answers REFUND_NOT_SUPPORTED where the gateway cannot refund, and records the refusal', async () => {
    const answer = await admin.send('POST', `orders/${created.tea.id}/refund`, {});
    expect([answer.status, answer.body.error.code]).toEqual([422, 'REFUND_NOT_SUPPORTED']);
    const actions = (await admin.get(`actions?orderId=${created.tea.id}`)).body.actions;
    expect(actions[0]).toMatchObject({ action: 'refund', result: 'refused' });
  });

  it('refuses a review decision that is neither accept nor reject', async () => {
    const answer = await admin.send('POST', `orders/${created.pending.id}/review`, { decision: 'maybe' });
    expect([answer.status, answer.body.error.code]).toEqual([400, 'BAD_REQUEST']);
  });
});

describe('live', () => {
  it('streams a row turning paid the moment it is paid', async () => {
    const stream = await openEvents(`${stack.url}/admin/api/stream`, { headers: { cookie: admin.cookie } });
    try {
      const order = await createOrder(stack.url, { price: '3.30' });
      await payAtSandbox(order.qr!.payload!);
      for (;;) {
        const event = await stream.next(5_000);
        expect(event.event).toBe('order');
        const row = JSON.parse(event.data);
        if (row.id === order.id && row.status === 'paid') {
          expect(row).toMatchObject({ price: '3.30', money: order.money });
          break;
        }
      }
    } finally {
      stream.close();
    }
  });
});

describe('products', () => {
  it('lists each product with its payment link and a QR code of it', async () => {
    const answer = await admin.get('products');
    expect(answer.status).toBe(200);
    expect(answer.body.merchantName).toBe('小店 Tea House');
    const [first] = answer.body.products;
    expect(first.link).toBe(`${stack.url}/pay/${first.id}`);
    const qr = await admin.text(first.qr.replace(/^api\//, ''));
    expect(qr.headers.get('content-type')).toBe('image/svg+xml');
    expect(qr.text).toContain('<svg');
  });
});
