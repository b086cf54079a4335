/**
 * A signer with GATEWAY=epay and the epay sandbox mounted at /sandbox, over HTTP as a buyer and the
 * gateway reach it: create → QR → pay → the GET notify → paid; each answer kind; the float money
 * forms; a bad sign; the re-sends of a notify answered `fail`; a lost notify found by reconciliation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { gatewayEscape, signed } from '../../server/epay/protocol.ts';
import { EPAY_SANDBOX_KEY, EPAY_SANDBOX_PID } from '../../server/sandbox/epay/credentials.ts';
import { createOrder, eventually, payAtSandbox, postJson, requestJson } from '../support/http.ts';
import { runPeer } from '../support/peers.ts';
import { startStack, type Stack } from '../support/stack.ts';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';

interface SandboxOrder {
  trade_no: string;
  out_trade_no: string;
  type: string;
  device: string;
  clientip: string;
  money: string;
  notify_url: string;
  status: number;
  notify: string | null;
}
interface Attempt {
  attempt: number;
  success: boolean;
  status: number | null;
  body: string;
}

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop({ removeData: true });
  stack = undefined;
});

const start = async (env: Record<string, string> = {}) =>
  (stack = await startStack({ env: { GATEWAY: 'epay', ORDER_TTL: '20', RECONCILE_INTERVAL: '0', ...env } }));
const statusOf = async (id: string) => (await requestJson<OrderView>(`${stack!.url}/api/orders/${id}`)).body.status;
const untilPaid = (id: string) =>
  eventually(async () => ((await statusOf(id)) === 'paid' ? true : undefined), 10_000, `order ${id} paid`);
const sandboxOrder = async (order: OrderView) =>
  (await requestJson<SandboxOrder[]>(`${stack!.sandboxUrl}/_control/orders?out_trade_no=${order.id}`)).body[0];
const attemptsOf = async (order: OrderView) =>
  (await requestJson<Attempt[]>(`${stack!.sandboxUrl}/_control/attempts?out_trade_no=${order.id}`)).body;
const faults = async (body: Record<string, unknown>) =>
  expect((await postJson(`${stack!.sandboxUrl}/_control/faults`, body)).status).toBe(200);
const answerKind = async (kind: string) =>
  expect((await postJson(`${stack!.sandboxUrl}/_control/answers`, { kind })).status).toBe(200);

/** A notify as the epay sandbox's merchant would get it, sent to the signer's GET /api/notify. */
function notifyQuery(order: OrderView, fields: Record<string, string> = {}): string {
  const notify = {
    pid: EPAY_SANDBOX_PID,
    trade_no: `T${order.id.slice(0, 12)}`,
    out_trade_no: order.id,
    type: 'alipay',
    name: `Order ${order.id}`,
    money: order.money!,
    trade_status: 'TRADE_SUCCESS',
    ...fields,
  };
  return new URLSearchParams(signed(notify, EPAY_SANDBOX_KEY)).toString();
}
const getNotify = async (query: string) => {
  const response = await fetch(`${stack!.url}/api/notify?${query}`);
  return { status: response.status, text: await response.text() };
};

describe('GATEWAY=epay with the sandbox', () => {
  it('creates at mapi.php with the buyer address and device, shows the QR, and turns paid by the GET notify', async () => {
    await start();
    const order = await createOrder(stack!.url, { price: '9.90', type: 3 }, { 'user-agent': IPHONE });
    expect(order).toMatchObject({ status: 'pending', price: '9.90', money: '9.90', type: 3 });
    const atGateway = await sandboxOrder(order);
    expect(atGateway).toMatchObject({
      out_trade_no: order.id,
      type: 'wxpay',
      device: 'mobile',
      clientip: '127.0.0.1',
      money: '9.90',
      notify_url: `${stack!.url}/api/notify`,
    });
    // The sandbox's default answer is `qrcode`: the text the QR encodes, its pay page.
    expect(order.qr).toEqual({ payload: `${stack!.sandboxUrl}/pay/${atGateway.trade_no}` });
    await payAtSandbox(order.qr!.payload!);
    await untilPaid(order.id);
    expect(await attemptsOf(order)).toMatchObject([{ attempt: 1, status: 200, body: 'success', success: true }]);
    expect(await stack!.signer.store.getPayment(atGateway.trade_no)).toMatchObject({
      orderId: order.id,
      outcome: 'paid',
      money: 990,
    });
  });

  it('shows a payurl as the QR and as the link a phone opens; a urlscheme as the link only', async () => {
    await start();
    await answerKind('payurl');
    const page = await createOrder(stack!.url, { price: '2.00' });
    const pageAt = (await sandboxOrder(page)).trade_no;
    expect(page.qr).toEqual({
      payload: `${stack!.sandboxUrl}/pay/${pageAt}`,
      link: `${stack!.sandboxUrl}/pay/${pageAt}`,
    });
    await answerKind('urlscheme');
    const app = await createOrder(stack!.url, { price: '2.00', type: 1 }, { 'user-agent': IPHONE });
    const appAt = (await sandboxOrder(app)).trade_no;
    expect(app.qr).toEqual({ link: expect.stringMatching(/^alipays:\/\//) });
    // The app link carries the pay page, as a payment app would open it.
    const payPage = decodeURIComponent(app.qr!.link!.slice(app.qr!.link!.indexOf('http')));
    expect(payPage).toBe(`${stack!.sandboxUrl}/pay/${appAt}`);
    await payAtSandbox(payPage);
    await untilPaid(app.id);
  });

  it('reads the money of the notify in cents whatever its float form', async () => {
    await start();
    for (const [price, sent] of [
      ['1.00', '1'],
      ['0.10', '0.1'],
      ['12.50', '12.5'],
    ]) {
      const order = await createOrder(stack!.url, { price });
      await payAtSandbox(order.qr!.payload!);
      await untilPaid(order.id);
      const { trade_no: tradeNo } = await sandboxOrder(order);
      const payment = await stack!.signer.store.getPayment(tradeNo);
      expect(payment, price).toMatchObject({ outcome: 'paid', fields: { money: sent } });
    }
    // The same amount with its decimals written out, or one, is the same payment of the order, once.
    const order = await createOrder(stack!.url, { price: '3.00' });
    const before = await stack!.signer.store.counts();
    expect(await getNotify(notifyQuery(order, { money: '3.0' }))).toEqual({ status: 200, text: 'success' });
    expect(await getNotify(notifyQuery(order, { money: '3.00' }))).toEqual({ status: 200, text: 'success' });
    await untilPaid(order.id);
    expect(await stack!.signer.store.getPayment(`T${order.id.slice(0, 12)}`)).toMatchObject({
      orderId: order.id,
      money: 300,
      fields: { money: '3.0' },
    });
    const after = await stack!.signer.store.counts();
    expect(Object.values(after.payments).reduce((sum, n) => sum + n, 0)).toBe(
      Object.values(before.payments).reduce((sum, n) => sum + n, 0) + 1,
    );
  });

  it('answers fail to a notify with a bad sign, of another merchant or not TRADE_SUCCESS, and changes nothing', async () => {
    await start();
    const order = await createOrder(stack!.url, { price: '5.00' });
    const before = await stack!.signer.store.counts();
    const good = notifyQuery(order);
    for (const query of [
      good.replace(/sign=[0-9a-f]{32}/, `sign=${'f'.repeat(32)}`),
      good.replace('money=5.00', 'money=0.01'),
      notifyQuery(order, { pid: '999' }),
      notifyQuery(order, { trade_status: 'WAIT_BUYER_PAY' }),
      '',
    ]) {
      expect(await getNotify(query)).toEqual({ status: 400, text: 'fail' });
    }
    // The sandbox signing with a wrong key: every attempt refused.
    await faults({ out_trade_no: order.id, badSignature: true });
    await payAtSandbox(order.qr!.payload!);
    await eventually(async () => ((await attemptsOf(order)).length >= 2 ? true : undefined), 10_000, 'two attempts');
    expect((await attemptsOf(order)).every((attempt) => attempt.body === 'fail' && !attempt.success)).toBe(true);
    expect(await statusOf(order.id)).toBe('pending');
    expect(await stack!.signer.store.counts()).toEqual(before);
  });

  it('a notify answered fail is sent again on the schedule until success, then never again', async () => {
    // epay's schedule, shortened: at once, then five re-sends.
    await start({ SANDBOX_RETRY_SCHEDULE: '0.3,0.3,0.6,0.6,0.6' });
    const order = await createOrder(stack!.url, { price: '6.00' });
    await faults({ out_trade_no: order.id, badSignature: true });
    await payAtSandbox(order.qr!.payload!);
    await eventually(async () => ((await attemptsOf(order)).length >= 2 ? true : undefined), 10_000, 'two refusals');
    await faults({ out_trade_no: order.id, badSignature: false });
    await untilPaid(order.id);
    const attempts = await eventually(
      async () => {
        const list = await attemptsOf(order);
        return list.at(-1)?.success ? list : undefined;
      },
      10_000,
      'an acknowledged attempt',
    );
    expect(attempts.map((attempt) => attempt.attempt)).toEqual(attempts.map((_, i) => i + 1));
    expect(attempts.slice(0, -1).every((attempt) => attempt.body === 'fail')).toBe(true);
    expect(attempts.at(-1)).toMatchObject({ body: 'success', success: true });
    expect(attempts.length).toBeLessThanOrEqual(6);
    expect((await sandboxOrder(order)).notify).toBe('delivered');
    // Past the rest of the schedule, no attempt came after the success.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await attemptsOf(order)).toHaveLength(attempts.length);
  });

  it("takes the notify our PHP gateway peer signs and sends, as an epay site's cron does", async () => {
    await start();
    const order = await createOrder(stack!.url, { price: '10.00', param: 'ref 1' });
    const [{ query }] = runPeer<{ query: string }>('epay', 'sign_notify.php', [
      {
        key: EPAY_SANDBOX_KEY,
        notify: {
          pid: EPAY_SANDBOX_PID,
          trade_no: '2026120310000012345',
          out_trade_no: order.id,
          type: 'alipay',
          name: gatewayEscape(`Order ${order.id}`),
          money: '10.00',
          trade_status: 'TRADE_SUCCESS',
          param: gatewayEscape('ref 1'),
        },
      },
    ]);
    expect(query).toContain('money=10&');
    expect(await getNotify(query)).toEqual({ status: 200, text: 'success' });
    expect(await statusOf(order.id)).toBe('paid');
    expect(await stack!.signer.store.getPayment('2026120310000012345')).toMatchObject({
      orderId: order.id,
      money: 1000,
    });
  });

  it('with RETURN_SUCCESS_URL sends the buyer back through /api/return, recorded like a notify', async () => {
    const pages = {
      RETURN_SUCCESS_URL: 'https://shop.example.com/thanks',
      RETURN_FAILURE_URL: 'https://shop.example.com/sorry',
    };
    await start(pages);
    const order = await createOrder(stack!.url, { price: '4.00' });
    expect(await sandboxOrder(order)).toMatchObject({ return_url: `${stack!.url}/api/return` });
    await faults({ out_trade_no: order.id, lostNotify: true });
    const payment = (await payAtSandbox(order.qr!.payload!)) as unknown as { return_link: string };
    expect(payment.return_link).toMatch(new RegExp(`^${stack!.url}/api/return\\?`));
    const back = await fetch(payment.return_link, { redirect: 'manual' });
    expect([back.status, back.headers.get('location')]).toEqual([302, `${pages.RETURN_SUCCESS_URL}?order=${order.id}`]);
    expect(await statusOf(order.id)).toBe('paid');
    const tampered = payment.return_link.replace('money=4', 'money=0.04');
    const refused = await fetch(tampered, { redirect: 'manual' });
    expect(refused.headers.get('location')).toBe(pages.RETURN_FAILURE_URL);
  });

  it('a notify of another amount than the order asked puts the order in review, recorded, not paid', async () => {
    await start();
    const order = await createOrder(stack!.url, { price: '5.50' });
    await faults({ out_trade_no: order.id, differentMoney: true });
    await payAtSandbox(order.qr!.payload!);
    await eventually(async () => ((await statusOf(order.id)) === 'review' ? true : undefined), 10_000, 'review');
    const { trade_no: tradeNo } = await sandboxOrder(order);
    expect(await stack!.signer.store.getPayment(tradeNo)).toMatchObject({ outcome: 'review', money: 551 });
    expect(await attemptsOf(order)).toMatchObject([{ body: 'success', success: true }]);
  });

  it('keeps an order pending while act=order answers HTTP 500, garbage or nothing, and finds it paid after', async () => {
    await start({ GATEWAY_TIMEOUT_MS: '500' });
    const order = await createOrder(stack!.url, { price: '7.70' });
    await faults({ out_trade_no: order.id, lostNotify: true });
    await payAtSandbox(order.qr!.payload!);
    for (const api of ['http-500', 'garbage', 'hang']) {
      await faults({ out_trade_no: order.id, api });
      expect(await stack!.signer.orders.reconcile({ recheckAfterMs: -1 }), api).toBe(0);
      expect(await statusOf(order.id)).toBe('pending');
    }
    const failures = stack!.logs.filter((line) => line.includes('reconcile: query failed'));
    expect(failures.map((line) => JSON.parse(line).error)).toEqual([
      'api.php answered HTTP 500',
      'The epay gateway did not answer with a JSON object.',
      'api.php did not answer within 500 ms',
    ]);
    expect(stack!.logs.join('\n')).not.toMatch(/act=order|[?&]key=/);
    expect((await postJson(`${stack!.sandboxUrl}/_control/reset`, {})).status).toBe(200);
    expect(await stack!.signer.orders.reconcile({ recheckAfterMs: -1 })).toBe(1);
    expect(await statusOf(order.id)).toBe('paid');
  });

  it('finds a payment whose notify never comes by asking api.php?act=order', async () => {
    await start();
    const order = await createOrder(stack!.url, { price: '7.00' });
    await faults({ out_trade_no: order.id, lostNotify: true });
    await payAtSandbox(order.qr!.payload!);
    expect(await stack!.signer.orders.reconcile()).toBe(1);
    expect(await statusOf(order.id)).toBe('paid');
    expect(await attemptsOf(order)).toEqual([]);
    const { trade_no: tradeNo } = await sandboxOrder(order);
    expect(await stack!.signer.store.getPayment(tradeNo)).toMatchObject({ orderId: order.id, money: 700 });
  });
});
