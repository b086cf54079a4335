/**
 * GATEWAY=epay on a site over HTTP (EPAY_URL), as a merchant runs it: the gateway's refusals and
 * hangs as the buyer sees them, reconciliation by api.php?act=order whose URL carries the key, and
 * the provider's refunds. The key and that URL never reach the signer's log.
 */
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { epayProvider } from '../../server/providers/epay.ts';
import { createOrder, payAtSandbox, postJson, requestJson } from '../support/http.ts';
import { freePort } from '../support/processes.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { KEY as EPAY_KEY, PID as EPAY_PID, startEpaySandbox, type RunningEpay } from '../support/epay-sandbox.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function site(): Promise<RunningEpay> {
  const running = await startEpaySandbox();
  cleanups.push(running.close);
  return running;
}

const portOf = (gateway: RunningEpay) => Number(new URL(gateway.url).port);

/** A server on `port` that takes connections and never answers: a site that hangs. */
async function hangOn(port: number): Promise<void> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
}

async function signerOn(gateway: RunningEpay, env: Record<string, string> = {}): Promise<Stack> {
  const port = String(await freePort());
  const stack = await startStack({
    env: {
      GATEWAY: 'epay',
      EPAY_URL: gateway.url,
      EPAY_PID,
      EPAY_KEY,
      PORT: port,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      PRICE_MIN: '0.01',
      PRICE_MAX: '500',
      ORDER_TTL: '20',
      RECONCILE_INTERVAL: '0',
      GATEWAY_TIMEOUT_MS: '800',
      ...env,
    },
  });
  cleanups.push(() => stack.stop({ removeData: true }));
  return stack;
}

const faults = async (gateway: RunningEpay, body: Record<string, unknown>) =>
  expect((await postJson(`${gateway.url}/_control/faults`, body)).status).toBe(200);
const statusOf = async (stack: Stack, id: string) =>
  (await requestJson<OrderView>(`${stack.url}/api/orders/${id}`)).body.status;

describe('a signer on an epay site over HTTP', () => {
  it("shows the buyer the site's refusal, a broken answer and a hang as GATEWAY_* errors", async () => {
    const gateway = await site();
    const stack = await signerOn(gateway);
    const expected = {
      fail: [502, 'GATEWAY_REJECTED', '当前支付方式未开启'],
      error: [502, 'GATEWAY_REJECTED', '创建订单失败'],
      garbage: [502, 'GATEWAY_BAD_RESPONSE', ''],
      'http-500': [503, 'GATEWAY_UNAVAILABLE', 'HTTP 500'],
      hang: [504, 'GATEWAY_TIMEOUT', '800 ms'],
    } as const;
    for (const [fault, [status, code, words]] of Object.entries(expected)) {
      await faults(gateway, { createOrder: fault });
      const answer = await postJson(`${stack.url}/api/orders`, { price: '1.00' });
      expect([fault, answer.status, answer.body.error.code]).toEqual([fault, status, code]);
      expect(answer.body.error.message).toContain(words);
    }
    expect((await postJson(`${gateway.url}/_control/reset`, {})).status).toBe(200);
    // A wrong key: the site refuses the sign, and the buyer is told the shop's gateway is misconfigured.
    const wrong = await signerOn(gateway, { EPAY_KEY: `${EPAY_KEY}-old` });
    const refused = await postJson(`${wrong.url}/api/orders`, { price: '1.00' });
    expect([refused.status, refused.body.error.code]).toEqual([502, 'GATEWAY_SIGN_FAIL']);
  });

  it('reconciles by act=order and logs neither the key nor its URL, when the query works, fails or hangs', async () => {
    const gateway = await site();
    const stack = await signerOn(gateway);
    const lost = await createOrder(stack.url, { price: '8.80' });
    await faults(gateway, { out_trade_no: lost.id, lostNotify: true });
    await payAtSandbox(lost.qr!.payload!);
    const unpaid = await createOrder(stack.url, { price: '4.40' });
    expect(await stack.signer.orders.reconcile()).toBe(1);
    expect(await statusOf(stack, lost.id)).toBe('paid');
    expect(await statusOf(stack, unpaid.id)).toBe('pending');

    // The site goes away, then answers nothing at all: each query fails, and says so in the log.
    await gateway.close();
    expect(await stack.signer.orders.reconcile({ recheckAfterMs: -1 })).toBe(0);
    await hangOn(portOf(gateway));
    expect(await stack.signer.orders.reconcile({ recheckAfterMs: -1 })).toBe(0);

    const failures = stack.logs.filter((line) => line.includes('reconcile: query failed'));
    expect(failures.map((line) => JSON.parse(line).error)).toEqual([
      'api.php could not be reached',
      'api.php did not answer within 800 ms',
    ]);
    const log = stack.logs.join('\n');
    expect(log).not.toContain(EPAY_KEY);
    expect(log).not.toContain('***');
    expect(log).not.toMatch(/api\.php\?|act=order|[?&]key=/);
    expect(await statusOf(stack, unpaid.id)).toBe('pending');
  });
});

describe('the epay provider over HTTP', () => {
  const providerOn = (gateway: RunningEpay, timeoutMs = 2_000) =>
    epayProvider({ url: gateway.url, pid: EPAY_PID, key: EPAY_KEY, notifyUrl: 'http://127.0.0.1:9/n', timeoutMs });
  const newOrder = (id: string) => ({ id, type: 1 as const, price: 500, param: null, lifetimeSeconds: 60 });

  it('refunds a paid order in parts (act=refund, code 0), and not more than was paid', async () => {
    const gateway = await site();
    const provider = providerOn(gateway);
    const created = await provider.createOrder(newOrder('refund-1'));
    await payAtSandbox(created.qr.payload!);
    const order = { id: 'refund-1', gatewayOrderId: created.gatewayOrderId };
    expect(await provider.queryOrder(order)).toMatchObject({
      paid: true,
      payment: { orderId: 'refund-1', money: 500 },
    });
    expect(await provider.refund!(order, 200)).toEqual({ ok: true });
    expect(await provider.refund!({ ...order, gatewayOrderId: null }, 300)).toEqual({ ok: true });
    const more = await provider.refund!(order, 1);
    expect(more).toEqual({
      ok: false,
      message: expect.stringMatching(/^The epay gateway refused the refund \(code -\d\): /),
    });
    const refunds = (await requestJson(`${gateway.url}/_control/refunds?out_trade_no=refund-1`)).body;
    expect(refunds[0]).toMatchObject({ refunded: '5.00', refunds: [{ money: '2.00' }, { money: '3.00' }] });
  });

  it("says a refund's outcome is unknown when the site does not answer, without the key", async () => {
    const gateway = await site();
    const created = await providerOn(gateway).createOrder(newOrder('refund-2'));
    await gateway.close();
    await hangOn(portOf(gateway));
    const answer = await providerOn(gateway, 300).refund!(
      { id: 'refund-2', gatewayOrderId: created.gatewayOrderId },
      100,
    );
    expect(answer).toEqual({
      ok: false,
      message: "The refund's outcome is unknown: api.php did not answer within 300 ms.",
      outcomeUnknown: true,
    });
  });
});
