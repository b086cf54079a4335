/** Fault switches, set over HTTP globally or for one pay_id. */
import { describe, expect, it } from 'vitest';
import { signedQuery, verify } from '../../server/codepay/protocol.ts';
import {
  attempts,
  closedAfterEach,
  getJson,
  MERCHANT_ID,
  MERCHANT_KEY,
  postJson,
  type RunningSandbox,
  startMerchant,
  startPhpNotify,
  startSandbox,
  waitFor,
} from '../support/sandbox.ts';

const { later, sandbox } = closedAfterEach();

function createUrl(gateway: RunningSandbox, payId: string, extra: Record<string, string> = {}): string {
  return `${gateway.url}/creat_order/?${signedQuery({ id: MERCHANT_ID, price: '10', pay_id: payId, page: '4', ...extra }, MERCHANT_KEY)}`;
}

async function setFaults(gateway: RunningSandbox, body: Record<string, unknown>): Promise<void> {
  const response = await postJson(`${gateway.url}/_control/faults`, body);
  expect(response.status).toBe(200);
}

async function pay(gateway: RunningSandbox, orderId: unknown): Promise<void> {
  await fetch(`${gateway.url}/pay/${orderId}`, { method: 'POST' });
}

describe('creat_order faults', () => {
  it('answers -1, -2, HTTP 500 or garbage for the pay_id it is set for, and normally for others', async () => {
    const gateway = await sandbox();
    await setFaults(gateway, { pay_id: 'failing', createOrder: 'fail' });
    expect(await getJson(createUrl(gateway, 'failing'))).toEqual({ status: -1, msg: 'creat fail' });
    expect(await getJson(createUrl(gateway, 'someone-else'))).toMatchObject({ status: 0 });

    await setFaults(gateway, { pay_id: 'failing', createOrder: 'bad-params' });
    expect(await getJson(createUrl(gateway, 'failing'))).toMatchObject({ status: -2 });

    await setFaults(gateway, { pay_id: 'failing', createOrder: 'http-500' });
    const error = await fetch(createUrl(gateway, 'failing'));
    expect(error.status).toBe(500);

    await setFaults(gateway, { pay_id: 'failing', createOrder: 'garbage' });
    const garbage = await fetch(createUrl(gateway, 'failing'));
    expect(garbage.status).toBe(200);
    await expect(garbage.json()).rejects.toThrow();
  });

  it('hangs until the client gives up, and close() ends a hanging answer', async () => {
    const gateway = await startSandbox();
    await setFaults(gateway, { createOrder: 'hang' });
    await expect(fetch(createUrl(gateway, 'hung'), { signal: AbortSignal.timeout(100) })).rejects.toThrow(
      /timeout|abort/i,
    );
    const pending = fetch(createUrl(gateway, 'hung-at-close'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await gateway.close();
    await expect(pending).rejects.toThrow();
  });

  it('slow answers normally, after the client may have given up', async () => {
    const gateway = await sandbox();
    await setFaults(gateway, { slowMs: 400 });
    await expect(fetch(createUrl(gateway, 'impatient'), { signal: AbortSignal.timeout(50) })).rejects.toThrow();
    expect(await getJson(createUrl(gateway, 'patient'))).toMatchObject({ status: 0 });
  });

  it('a pay_id switch overrides the global one field by field; setting {} clears a pay_id', async () => {
    const gateway = await sandbox();
    await setFaults(gateway, { createOrder: 'fail', duplicateNotify: true });
    await setFaults(gateway, { pay_id: 'vip', createOrder: 'bad-params' });
    expect(await getJson(`${gateway.url}/_control/faults`)).toEqual({
      global: { createOrder: 'fail', duplicateNotify: true },
      byPayId: { vip: { createOrder: 'bad-params' } },
    });
    expect(await getJson(createUrl(gateway, 'vip'))).toMatchObject({ status: -2 });
    expect(await getJson(createUrl(gateway, 'anyone'))).toMatchObject({ status: -1 });
    await setFaults(gateway, { pay_id: 'vip' });
    expect(await getJson(createUrl(gateway, 'vip'))).toMatchObject({ status: -1 });
  });

  it('refuses an unknown or mistyped switch with 400 and a reason', async () => {
    const gateway = await sandbox();
    for (const body of [{ createOrder: 'explode' }, { slowMs: -1 }, { duplicateNotify: 'yes' }, { typo: true }]) {
      const response = await postJson(`${gateway.url}/_control/faults`, body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/createOrder|slowMs|duplicateNotify|typo/);
    }
    const notJson = await fetch(`${gateway.url}/_control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    const notSaidJson = await fetch(`${gateway.url}/_control/faults`, { method: 'POST', body: '{"slowMs":1}' });
    expect(notSaidJson.status).toBe(415);
  });

  it('reset clears the switches, and with {"state": true} the orders too', async () => {
    const gateway = await sandbox();
    await setFaults(gateway, { createOrder: 'fail' });
    await postJson(`${gateway.url}/_control/reset`, {});
    const order = await getJson(createUrl(gateway, 'after-reset'));
    expect(order).toMatchObject({ status: 0 });
    expect(await getJson(`${gateway.url}/_control/faults`)).toEqual({ global: {}, byPayId: {} });
    expect(await getJson(`${gateway.url}/_control/orders`)).toHaveLength(1);
    await postJson(`${gateway.url}/_control/reset`, { state: true });
    expect(await getJson(`${gateway.url}/_control/orders`)).toEqual([]);
    expect((await fetch(`${gateway.url}/pay/${order.order_id}`)).status).toBe(404);
  });
});

describe('notify faults', () => {
  it('duplicate notify: the merchant gets the same notify twice at once', async () => {
    const merchant = await startMerchant(['success']);
    later(merchant.close);
    const gateway = await sandbox();
    await setFaults(gateway, { pay_id: 'dup', duplicateNotify: true });
    const order = await getJson(createUrl(gateway, 'dup', { notify_url: merchant.url }));
    await pay(gateway, order.order_id);
    const sent = await waitFor(async () => {
      const list = await attempts(gateway.url, `order_id=${order.order_id}`);
      return list.length === 2 ? list : undefined;
    }, 'both copies');
    expect(sent.map((attempt) => [attempt.attempt, attempt.duplicate]).sort()).toEqual([
      [1, false],
      [1, true],
    ]);
    expect(merchant.received.map((notify) => notify.body)).toEqual([
      merchant.received[0].body,
      merchant.received[0].body,
    ]);
  });

  it('delayed notify: nothing is sent at once, then it arrives', async () => {
    const merchant = await startMerchant(['success']);
    later(merchant.close);
    const gateway = await sandbox();
    await setFaults(gateway, { notifyDelayMs: 300 });
    const order = await getJson(createUrl(gateway, 'delayed', { notify_url: merchant.url }));
    await pay(gateway, order.order_id);
    expect(await attempts(gateway.url, `order_id=${order.order_id}`)).toEqual([]);
    await waitFor(async () => (merchant.received.length === 1 ? true : undefined), 'the delayed notify');
  });

  it('bad signature: notify.php refuses it; once the switch is off the re-send is accepted', async () => {
    const php = await startPhpNotify();
    later(php.close);
    const gateway = await sandbox({ retrySchedule: [0.3, 0.3, 0.3] });
    await setFaults(gateway, { pay_id: 'forged', badSignature: true });
    const order = await getJson(createUrl(gateway, 'forged', { notify_url: php.url }));
    await pay(gateway, order.order_id);
    await waitFor(
      async () => ((await attempts(gateway.url, `order_id=${order.order_id}`)).length === 1 ? true : undefined),
      'the forged notify',
    );
    expect((await attempts(gateway.url, `order_id=${order.order_id}`))[0]).toMatchObject({
      body: 'fail',
      success: false,
    });
    await setFaults(gateway, { pay_id: 'forged' });
    const sent = await waitFor(async () => {
      const list = await attempts(gateway.url, `order_id=${order.order_id}`);
      return list.some((attempt) => attempt.success) ? list : undefined;
    }, 'a good notify');
    expect(sent.map((attempt) => attempt.body)).toEqual(['fail', 'success']);
    expect(php.verified()).toHaveLength(1);
  });

  it('different money: the buyer pays a cent more; the notify says so and is validly signed', async () => {
    const merchant = await startMerchant(['success']);
    later(merchant.close);
    const gateway = await sandbox();
    await setFaults(gateway, { pay_id: 'odd', differentMoney: true });
    const order = await getJson(createUrl(gateway, 'odd', { notify_url: merchant.url }));
    expect(order.money).toBe('10.00');
    await pay(gateway, order.order_id);
    await waitFor(async () => (merchant.received.length === 1 ? true : undefined), 'the notify');
    expect(merchant.received[0].fields).toMatchObject({ money: '10.01', price: '10.00' });
    expect(verify(merchant.received[0].fields, MERCHANT_KEY)).toBe(true);
  });
});
