/** The admin CLI, run as a process against the database of a running signer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { CLI_TIMEOUT_MS, runCli } from '../support/cli.ts';
import { signedForm } from '../support/notify.ts';
import { createOrder, eventually, payAtSandbox, postForm, postJson, requestJson } from '../support/http.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';
import { startStack, type Stack } from '../support/stack.ts';

const SECRET = 'whsec-test-0123456789abcdef';

let stack: Stack;
let receiver: Receiver;
let paid: OrderView;
let review: OrderView;
let unpaid: OrderView;

const cli = (...args: string[]) =>
  runCli(
    {
      DATA_DIR: stack.dataDir,
      PUBLIC_URL: stack.url,
      MERCHANT_WEBHOOK_URL: receiver.url,
      MERCHANT_WEBHOOK_SECRET: SECRET,
    },
    ...args,
  );

const statusOf = async (id: string) => (await requestJson<OrderView>(`${stack.url}/api/orders/${id}`)).body.status;

beforeAll(async () => {
  receiver = await startReceiver();
  stack = await startStack({
    dispatchIntervalMs: 50,
    env: {
      MERCHANT_WEBHOOK_URL: receiver.url,
      MERCHANT_WEBHOOK_SECRET: SECRET,
      RECONCILE_INTERVAL: '0',
      ORDER_TTL: '20',
    },
  });
  paid = await createOrder(stack.url, { price: '9.90' });
  await payAtSandbox(paid.qr!.payload!);
  review = await createOrder(stack.url, { price: '5.00' });
  await postJson(`${stack.sandboxUrl}/_control/faults`, { pay_id: review.id, differentMoney: true });
  await payAtSandbox(review.qr!.payload!);
  unpaid = await createOrder(stack.url, { price: '1.00' });
  const orphan = {
    pay_id: 'nobody',
    money: '2.00',
    pay_no: '20260101000000000000000000000042',
    pay_time: '1800000000',
  };
  await postForm(`${stack.url}/api/notify`, signedForm(orphan));
  await eventually(async () =>
    (await statusOf(review.id)) === 'review' && (await statusOf(paid.id)) === 'paid' ? true : undefined,
  );
});
afterAll(async () => {
  await stack.stop({ removeData: true });
  await receiver.close();
});

describe('codepay-checkout admin CLI', { timeout: CLI_TIMEOUT_MS }, () => {
  it('lists orders by status, as a table or JSON', async () => {
    const table = await cli('orders', '--status', 'paid');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^id\s+status\s+price/);
    expect(table.stdout).toContain(paid.id);
    expect(table.stdout).not.toContain(unpaid.id);
    const json = JSON.parse((await cli('orders', '--review', '--json')).stdout);
    expect(json.map((order: OrderView) => order.id)).toEqual([review.id]);
  });

  it('shows one order with its payments and events', async () => {
    const shown = await cli('order', paid.id);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('payments:');
    expect(shown.stdout).toMatch(/order\.paid\s+webhook/);
  });

  it('lists orphan payments', async () => {
    const orphans = await cli('payments', '--orphan');
    expect(orphans.stdout).toContain('20260101000000000000000000000042');
    expect(orphans.stdout).not.toContain(paid.id);
  });

  it('exports orders as CSV', async () => {
    const exported = await cli('export', 'orders', '--since', '2000-01-01');
    const lines = exported.stdout.trim().split('\n');
    expect(lines[0]).toBe('id,status,price,money,type,late,product,reference,created,paid,refunded');
    expect(lines).toHaveLength(4);
    expect(lines.find((line) => line.startsWith(paid.id))).toMatch(/^[^,]+,paid,9\.90,/);
  });

  it('resolves a review: the order turns paid and its webhook goes out', async () => {
    const resolved = await cli('resolve', review.id, '--accept');
    expect([resolved.code, resolved.stdout.trim()]).toEqual([0, `order ${review.id} is now paid`]);
    expect(await statusOf(review.id)).toBe('paid');
    await eventually(() =>
      receiver.received.some((hit) => hit.body.includes(review.id) && JSON.parse(hit.body).type === 'order.paid')
        ? true
        : undefined,
    );
    const again = await cli('resolve', review.id, '--accept');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no order');
  });

  it('re-sends a webhook event', async () => {
    await eventually(() => (receiver.received.some((hit) => hit.body.includes(paid.id)) ? true : undefined));
    const eventId = JSON.parse(receiver.received.find((hit) => hit.body.includes(paid.id))!.body).id;
    const before = receiver.received.filter((hit) => hit.body.includes(eventId)).length;
    const resent = await cli('resend', eventId);
    expect(resent.code).toBe(0);
    await eventually(() =>
      receiver.received.filter((hit) => hit.body.includes(eventId)).length === before + 1 ? true : undefined,
    );
  });

  it('reconciles now: a payment whose notify never came turns the order paid', async () => {
    const silent = await createOrder(stack.url, { price: '3.00' });
    await postJson(`${stack.sandboxUrl}/_control/faults`, { pay_id: silent.id, notifyDelayMs: 600_000 });
    await payAtSandbox(silent.qr!.payload!);
    const reconciled = await cli('reconcile');
    expect([reconciled.code, reconciled.stdout.trim()]).toEqual([0, 'reconciled: 1 payment(s) found']);
    expect((await stack.signer.store.getOrder(silent.id))?.status).toBe('paid');
  });

  it('refuses bad usage with exit code 2 and a clear line', async () => {
    for (const args of [
      ['nothing'],
      ['orders', '--status', 'gone'],
      ['orders', '--since', 'yesterday'],
      ['resolve', review.id],
      ['export', 'cats'],
    ]) {
      const refused = await cli(...args);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr.split('\n')[0], args.join(' ')).toMatch(/^codepay-checkout: /);
    }
  });
});
