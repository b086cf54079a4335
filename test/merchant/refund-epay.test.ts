/**
 * Refunds end to end on 彩虹易支付 (epay): a signer with GATEWAY=epay on the epay sandbox, a real
 * gateway on its own port, as a merchant's epay site is. Refunds from the merchant's backend and
 * from the admin CLI, the gateway's own records, the `order.refunded` webhook at a real receiver,
 * and the order's view and event stream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView, RefundAnswerView } from '../../shared/api.ts';
import type { RefundEvent } from '../../server/outbox/events.ts';
import { verifyWebhook } from '../../server/webhooks/signature.ts';
import { CLI_TIMEOUT_MS, runCli } from '../support/cli.ts';
import { KEY, PID, refund as refundAtGateway, startEpaySandbox, type RunningEpay } from '../support/epay-sandbox.ts';
import { createOrder, eventually, payAtSandbox, postJson, requestJson } from '../support/http.ts';
import { freePort } from '../support/processes.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';
import { openEvents } from '../support/sse.ts';
import { startStack, type Stack } from '../support/stack.ts';

const API_SECRET = 'merchant-backend-secret-0123456789';
const WEBHOOK_SECRET = 'whsec-test-0123456789abcdef';
const backend = { authorization: `Bearer ${API_SECRET}` };

let gateway: RunningEpay;
let receiver: Receiver;
let stack: Stack;

beforeAll(async () => {
  gateway = await startEpaySandbox();
  receiver = await startReceiver();
  const port = String(await freePort());
  stack = await startStack({
    dispatchIntervalMs: 50,
    env: { ...merchantSettings(), PORT: port, PUBLIC_URL: `http://127.0.0.1:${port}`, RECONCILE_INTERVAL: '0' },
  });
});
afterAll(async () => {
  await stack?.stop({ removeData: true });
  await receiver?.close();
  await gateway?.close();
});

const view = async (id: string) => (await requestJson<OrderView>(`${stack.url}/api/orders/${id}`)).body;
const refund = (id: string, body: unknown, headers: Record<string, string> = {}) =>
  postJson<RefundAnswerView & { error?: { code: string; message: string } }>(
    `${stack.url}/api/orders/${id}/refund`,
    body,
    { ...backend, ...headers },
  );
/** The shop's settings, which the signer and the admin CLI beside it share. */
const merchantSettings = () => ({
  GATEWAY: 'epay',
  EPAY_URL: gateway.url,
  EPAY_PID: PID,
  EPAY_KEY: KEY,
  PRICE_MIN: '0.01',
  PRICE_MAX: '100.00',
  API_SECRET,
  MERCHANT_WEBHOOK_URL: receiver.url,
  MERCHANT_WEBHOOK_SECRET: WEBHOOK_SECRET,
});
const cli = (...args: string[]) =>
  runCli({ ...merchantSettings(), DATA_DIR: stack.dataDir, PUBLIC_URL: stack.url }, ...args);

/** What the epay site itself recorded of the order's refunds. */
async function atGateway(id: string): Promise<{ status: number; refunded: string; refunds: { money: string }[] }> {
  const [order] = (await requestJson(`${gateway.url}/_control/refunds?out_trade_no=${id}`)).body;
  return order ?? { status: 1, refunded: '0.00', refunds: [] };
}

/** An order of `price`, paid at the epay sandbox's pay page (what its QR leads to). */
async function paidOrder(price: string): Promise<OrderView> {
  const order = await createOrder(stack.url, { price });
  await payAtSandbox(order.qr!.payload!);
  return eventually(async () => {
    const current = await view(order.id);
    return current.status === 'paid' ? current : undefined;
  });
}

/** The signed order.refunded webhooks received for an order (at least `count` of them). */
async function refundEvents(id: string, count: number): Promise<RefundEvent[]> {
  const events = () =>
    receiver.received
      .filter((hit) => hit.status === 200)
      .map((hit) => verifyWebhook<RefundEvent>(hit.body, String(hit.headers['codepay-signature']), WEBHOOK_SECRET, 300))
      .filter((event) => event.type === 'order.refunded' && event.data.order.id === id);
  return eventually(() => (events().length >= count ? events() : undefined), 5_000, `${count} order.refunded`);
}

describe('refunds on epay', () => {
  it('refunds part from the backend, then the rest: the gateway, the view, the stream and the webhooks say so', async () => {
    const order = await paidOrder('9.90');
    const part = await refund(order.id, { money: '3.00' }, { 'idempotency-key': 'part-1' });
    expect(part.status).toBe(200);
    expect(part.body.refund).toMatchObject({ money: '3.00', status: 'succeeded', message: null });
    expect(part.body.order).toMatchObject({ status: 'paid', refunded: '3.00' });
    expect(await view(order.id)).toMatchObject({ status: 'paid', refunded: '3.00' });
    expect(await atGateway(order.id)).toMatchObject({ refunded: '3.00' });

    const tooMuch = await refund(order.id, { money: '7.00' });
    expect([tooMuch.status, tooMuch.body.error?.code]).toEqual([422, 'REFUND_TOO_LARGE']);
    expect(tooMuch.body.error?.message).toContain('Only 6.90 of 9.90');

    const rest = await refund(order.id, {});
    expect(rest.status).toBe(200);
    expect(rest.body.refund).toMatchObject({ money: '6.90', status: 'succeeded' });
    expect(rest.body.order).toMatchObject({ status: 'refunded', refunded: '9.90', paidAt: order.paidAt });
    expect(await atGateway(order.id)).toMatchObject({
      refunded: '9.90',
      refunds: [{ money: '3.00' }, { money: '6.90' }],
    });

    const nothingLeft = await refund(order.id, { money: '0.01' });
    expect([nothingLeft.status, nothingLeft.body.error?.code]).toEqual([422, 'REFUND_TOO_LARGE']);

    const stream = await openEvents(`${stack.url}/api/orders/${order.id}/events`);
    const first = await stream.next();
    expect([first.event, JSON.parse(first.data).refunded]).toEqual(['refunded', '9.90']);
    await stream.ended;

    const events = await refundEvents(order.id, 2);
    const [partEvent, restEvent] = [part, rest].map((answer) =>
      events.find((event) => event.data.refund.id === answer.body.refund.id),
    ) as RefundEvent[];
    expect(partEvent.data.refund).toEqual({ id: part.body.refund.id, money: '3.00', refunded: '3.00', actor: 'api' });
    expect(partEvent.data.order).toMatchObject({ status: 'paid', refunded: '3.00' });
    expect(restEvent.data.refund).toMatchObject({ money: '6.90', refunded: '9.90' });
    expect(restEvent.data.order).toMatchObject({ status: 'refunded', refunded: '9.90' });
    expect(restEvent.livemode).toBe(true);
  });

  it('refunds once for a request retried with its Idempotency-Key, also when the retries come at once', async () => {
    const order = await paidOrder('5.00');
    const first = await refund(order.id, { money: '1.00' }, { 'idempotency-key': 'retry-me' });
    const again = await refund(order.id, { money: '1.00' }, { 'idempotency-key': 'retry-me' });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.refund).toEqual(first.body.refund);
    const reused = await refund(order.id, { money: '2.00' }, { 'idempotency-key': 'retry-me' });
    expect([reused.status, reused.body.error?.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);

    const atOnce = await Promise.all(
      Array.from({ length: 6 }, () => refund(order.id, { money: '1.50' }, { 'idempotency-key': 'at-once' })),
    );
    // The first is asked at the gateway; the others answer as it did, or that it is waiting for the gateway.
    expect(atOnce.filter((answer) => answer.status === 200 && !answer.headers.get('idempotent-replayed'))).toHaveLength(
      1,
    );
    for (const answer of atOnce) {
      if (answer.status !== 200) expect([answer.status, answer.body.error?.code]).toEqual([409, 'REFUND_IN_PROGRESS']);
    }
    expect(await atGateway(order.id)).toMatchObject({
      refunded: '2.50',
      refunds: [{ money: '1.00' }, { money: '1.50' }],
    });
    expect(await view(order.id)).toMatchObject({ status: 'paid', refunded: '2.50' });
    // One event per refund, none for the retries.
    const written = await stack.signer.store.listEvents({ orderId: order.id });
    expect(written.filter((event) => event.type === 'order.refunded')).toHaveLength(2);
    const sent = (await refundEvents(order.id, 2)).map((event) => event.data.refund.money);
    expect(sent.sort()).toEqual(['1.00', '1.50']);
  });

  it('never gives back more than was paid when refunds of everything come at once', async () => {
    const order = await paidOrder('4.00');
    const answers = await Promise.all(Array.from({ length: 6 }, () => refund(order.id, {})));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    for (const answer of answers) {
      if (answer.status !== 200) expect(answer.body.error?.code).toBe('REFUND_TOO_LARGE');
    }
    expect(await atGateway(order.id)).toMatchObject({ refunded: '4.00', refunds: [{ money: '4.00' }] });
    expect(await view(order.id)).toMatchObject({ status: 'refunded', refunded: '4.00' });
  });

  it(
    'refunds from the admin CLI: its outcome, the listings, a retried --key, the webhook',
    async () => {
      const order = await paidOrder('6.00');
      const part = await cli('refund', order.id, '--money', '2.00', '--key', 'desk-1');
      expect(part.code, part.stderr).toBe(0);
      expect(part.stdout).toMatch(
        new RegExp(`^order ${order.id}: 2\\.00 refunded \\(rf_[\\w-]+\\); 2\\.00 refunded in all, the order is paid`),
      );
      const again = await cli('refund', order.id, '--money', '2.00', '--key', 'desk-1');
      expect([again.code, again.stdout]).toEqual([0, expect.stringContaining('was refunded before')]);
      expect(await atGateway(order.id)).toMatchObject({ refunded: '2.00' });

      const listed = await cli('orders', '--status', 'paid');
      const row = listed.stdout.split('\n').find((line) => line.startsWith(order.id));
      expect(row).toMatch(/\bpaid\s+6\.00\s+6\.00\s+2\.00\b/);
      const shown = await cli('order', order.id);
      expect(shown.stdout).toMatch(/refunds:\nrefund\s+money\s+status\s+by/);
      expect(shown.stdout).toMatch(/rf_[\w-]+\s+2\.00\s+succeeded\s+cli/);

      const [event] = await refundEvents(order.id, 1);
      expect(event.data.refund).toMatchObject({ money: '2.00', refunded: '2.00', actor: 'cli' });

      const rest = await cli('refund', order.id);
      expect(rest.stdout).toContain('4.00 refunded');
      expect(rest.stdout).toContain('6.00 refunded in all, the order is refunded');
      expect(await view(order.id)).toMatchObject({ status: 'refunded', refunded: '6.00' });
      const over = await cli('refund', order.id, '--money', '0.01');
      expect([over.code, over.stderr]).toEqual([1, expect.stringContaining('REFUND_TOO_LARGE')]);
    },
    CLI_TIMEOUT_MS,
  );

  it("says the gateway's refusal, and keeps it on record with nothing given back", async () => {
    const order = await paidOrder('3.00');
    // Refunded in the gateway's own admin meanwhile: the gateway then refuses ours.
    expect(await refundAtGateway(gateway, { out_trade_no: order.id }, '3.00')).toMatchObject({ code: 0 });
    const refused = await refund(order.id, { money: '1.00' });
    expect([refused.status, refused.body.error?.code]).toEqual([502, 'REFUND_REFUSED']);
    expect(refused.body.error?.message).toContain('退款金额不能大于订单可退金额');
    expect(refused.body.error?.message).not.toContain(KEY);
    expect(await view(order.id)).toMatchObject({ status: 'paid', refunded: null });
    const [record] = await stack.signer.store.listRefunds({ orderId: order.id });
    expect(record).toMatchObject({ status: 'failed', money: 100, message: expect.stringContaining('退款金额') });
  });

  it(
    'keeps a refund the gateway never answered pending, its money held, until the merchant settles it',
    async () => {
      const order = await paidOrder('2.00');
      // The epay site goes away: the refund's outcome is unknown.
      await gateway.close();
      const unknown = await refund(order.id, {}, { 'idempotency-key': 'lost' });
      expect([unknown.status, unknown.body.error?.code]).toEqual([504, 'REFUND_OUTCOME_UNKNOWN']);
      const [pending] = await stack.signer.store.listRefunds({ orderId: order.id });
      expect(pending).toMatchObject({ status: 'pending', money: 200 });
      expect(unknown.body.error?.message).toContain(pending.id);
      const retried = await refund(order.id, {}, { 'idempotency-key': 'lost' });
      expect([retried.status, retried.body.error?.code]).toEqual([409, 'REFUND_IN_PROGRESS']);
      const another = await refund(order.id, { money: '0.50' });
      expect(another.body.error?.code).toBe('REFUND_TOO_LARGE');
      expect(await view(order.id)).toMatchObject({ status: 'paid', refunded: null });

      // The gateway's admin shows the money went back: the merchant records it.
      const settled = await cli('refund', order.id, '--settle', pending.id, '--as', 'succeeded');
      expect([settled.code, settled.stdout.trim()]).toEqual([
        0,
        `refund ${pending.id} of order ${order.id} is now succeeded; 2.00 refunded in all, the order is refunded`,
      ]);
      expect(await view(order.id)).toMatchObject({ status: 'refunded', refunded: '2.00' });
      await refundEvents(order.id, 1);
      const twice = await cli('refund', order.id, '--settle', pending.id, '--as', 'failed');
      expect([twice.code, twice.stderr]).toEqual([1, expect.stringContaining('no pending refund')]);
    },
    CLI_TIMEOUT_MS,
  );
});
