/**
 * Refunds on a gateway that cannot give money back (CodePay, on its sandbox): from the merchant's
 * backend and from the admin CLI, every refusal is clear and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { CLI_TIMEOUT_MS, runCli } from '../support/cli.ts';
import { createOrder, eventually, payAtSandbox, postJson, requestJson } from '../support/http.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';
import { startStack, type Stack } from '../support/stack.ts';

const API_SECRET = 'merchant-backend-secret-0123456789';
const backend = { authorization: `Bearer ${API_SECRET}` };

let stack: Stack;
let receiver: Receiver;
let paid: OrderView;
let unpaid: OrderView;

const refund = (id: string, body: unknown, headers: Record<string, string> = backend) =>
  postJson(`${stack.url}/api/orders/${id}/refund`, body, headers);
const cli = (...args: string[]) => runCli({ DATA_DIR: stack.dataDir, PUBLIC_URL: stack.url }, ...args);
const view = async (id: string) => (await requestJson<OrderView>(`${stack.url}/api/orders/${id}`)).body;

beforeAll(async () => {
  receiver = await startReceiver();
  stack = await startStack({
    dispatchIntervalMs: 50,
    env: { API_SECRET, MERCHANT_WEBHOOK_URL: receiver.url, MERCHANT_WEBHOOK_SECRET: 'whsec-test-0123456789abcdef' },
  });
  paid = await createOrder(stack.url, { price: '9.90' });
  await payAtSandbox(paid.qr!.payload!);
  unpaid = await createOrder(stack.url, { price: '1.00' });
  await eventually(async () => ((await view(paid.id)).status === 'paid' ? true : undefined));
  await eventually(() => (receiver.received.length === 1 ? true : undefined), 5_000, 'the order.paid webhook');
});
afterAll(async () => {
  await stack.stop({ removeData: true });
  await receiver.close();
});

/** Nothing recorded: no refund row, the order as it was, no order.refunded webhook. */
async function expectUnchanged(order: OrderView, status: string) {
  expect(await view(order.id)).toMatchObject({ status, refunded: null });
  expect(await stack.signer.store.listRefunds({ orderId: order.id })).toEqual([]);
  expect(receiver.received.map((hit) => JSON.parse(hit.body).type)).not.toContain('order.refunded');
}

describe('refunds where the gateway cannot refund', () => {
  it('answers the backend REFUND_NOT_SUPPORTED for a paid order, and changes nothing', async () => {
    const answer = await refund(paid.id, { money: '1.00' });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('REFUND_NOT_SUPPORTED');
    expect(answer.body.error.message).toMatch(/gateway's own admin/);
    expect((await refund(paid.id, {})).body.error.code).toBe('REFUND_NOT_SUPPORTED');
    // No body at all (curl -X POST) asks for all that is left, like {}.
    const bare = await requestJson(`${stack.url}/api/orders/${paid.id}/refund`, { method: 'POST', headers: backend });
    expect([bare.status, bare.body.error.code]).toEqual([422, 'REFUND_NOT_SUPPORTED']);
    await expectUnchanged(paid, 'paid');
  });

  it('refuses an unpaid order and more than was paid before anything else', async () => {
    const notPaid = await refund(unpaid.id, {});
    expect([notPaid.status, notPaid.body.error.code]).toEqual([409, 'ORDER_NOT_PAID']);
    expect(notPaid.body.error.message).toContain('pending');
    const tooMuch = await refund(paid.id, { money: '9.91' });
    expect([tooMuch.status, tooMuch.body.error.code]).toEqual([422, 'REFUND_TOO_LARGE']);
    expect(tooMuch.body.error.message).toContain(`of ${paid.money}`);
    await expectUnchanged(unpaid, 'pending');
    await expectUnchanged(paid, 'paid');
  });

  it('takes refunds from the merchant backend only, and refuses malformed ones', async () => {
    const cases: [string, unknown, Record<string, string>, number, string][] = [
      [paid.id, {}, {}, 401, 'UNAUTHORIZED'],
      [paid.id, {}, { authorization: 'Bearer wrong-secret-0000000000' }, 401, 'UNAUTHORIZED'],
      [paid.id, { money: 'all' }, backend, 400, 'INVALID_MONEY'],
      [paid.id, { money: 1 }, backend, 400, 'INVALID_MONEY'],
      [paid.id, { money: '0.00' }, backend, 400, 'INVALID_MONEY'],
      [paid.id, { money: '1.00', reason: 'x' }, backend, 400, 'BAD_REQUEST'],
      [paid.id, {}, { ...backend, 'idempotency-key': 'has space' }, 400, 'BAD_REQUEST'],
      ['no-such-order', {}, backend, 404, 'ORDER_NOT_FOUND'],
    ];
    for (const [id, body, headers, status, code] of cases) {
      const answer = await refund(id, body, headers);
      expect([answer.status, answer.body.error?.code], JSON.stringify([body, headers])).toEqual([status, code]);
    }
    const form = await requestJson(`${stack.url}/api/orders/${paid.id}/refund`, {
      method: 'POST',
      headers: { ...backend, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'money=1.00',
    });
    expect([form.status, form.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    await expectUnchanged(paid, 'paid');
  });

  it(
    'says the same from the admin CLI, with exit code 1 and nothing changed',
    async () => {
      const unsupported = await cli('refund', paid.id, '--money', '1.00');
      expect(unsupported.code).toBe(1);
      expect(unsupported.stderr.trim()).toMatch(/^codepay-checkout: REFUND_NOT_SUPPORTED: /);
      const notPaid = await cli('refund', unpaid.id);
      expect([notPaid.code, notPaid.stderr]).toEqual([1, expect.stringContaining('ORDER_NOT_PAID')]);
      const tooMuch = await cli('refund', paid.id, '--money', '100.00');
      expect([tooMuch.code, tooMuch.stderr]).toEqual([1, expect.stringContaining('REFUND_TOO_LARGE')]);
      const malformed = await cli('refund', paid.id, '--money', '1,00');
      expect([malformed.code, malformed.stderr]).toEqual([1, expect.stringContaining('INVALID_MONEY')]);
      const settleHow = await cli('refund', paid.id, '--settle', 'rf_x');
      expect([settleHow.code, settleHow.stderr.split('\n')[0]]).toEqual([
        2,
        'codepay-checkout: refund --settle takes --as succeeded or --as failed',
      ]);
      const noSuch = await cli('refund', paid.id, '--settle', 'rf_x', '--as', 'failed');
      expect([noSuch.code, noSuch.stderr]).toEqual([1, expect.stringContaining(`has no pending refund rf_x`)]);
      const shown = await cli('order', paid.id);
      expect(shown.stdout).toMatch(/refunds:\n\(none\)/);
      await expectUnchanged(paid, 'paid');
    },
    CLI_TIMEOUT_MS,
  );
});
