/** The signer as a library (onPaid), reconciliation through ispay, and the buyer's return. */
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import type { MerchantEvent } from '../../server/outbox/events.ts';
import { createOrder, eventually, payAtSandbox, postJson, requestJson } from '../support/http.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop({ removeData: true });
  stack = undefined;
});

const statusOf = async (id: string) => (await requestJson<OrderView>(`${stack!.url}/api/orders/${id}`)).body.status;

describe('onPaid', () => {
  it('is called again after it throws, and the payment stays recorded meanwhile', async () => {
    const calls: MerchantEvent[] = [];
    stack = await startStack({
      dispatchIntervalMs: 50,
      env: { WEBHOOK_RETRY_BASE_MS: '100' },
      onPaid: (event) => {
        calls.push(event);
        if (calls.length === 1) throw new Error('the fulfilment database is down');
      },
    });
    const order = await createOrder(stack.url, { price: '9.90' });
    await payAtSandbox(order.qr!.payload!);
    await eventually(() => (calls.length >= 1 ? true : undefined));
    expect(await statusOf(order.id)).toBe('paid');
    await eventually(() => (calls.length >= 2 ? true : undefined), 10_000, 'second call');
    expect(calls.map((event) => [event.id, event.type, event.data.order?.id])).toEqual([
      [calls[0].id, 'order.paid', order.id],
      [calls[0].id, 'order.paid', order.id],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toHaveLength(2);
  });
});

describe('reconciliation', () => {
  it('turns a pending order paid from ispay when no notify arrives', async () => {
    stack = await startStack({ env: { RECONCILE_INTERVAL: '1', ORDER_TTL: '20' } });
    const order = await createOrder(stack.url, { price: '3.00' });
    // The gateway cannot reach the signer (a laptop behind NAT): its notify never comes.
    await postJson(`${stack.sandboxUrl}/_control/faults`, { pay_id: order.id, notifyDelayMs: 600_000 });
    const payment = await payAtSandbox(order.qr!.payload!);
    await eventually(
      async () => ((await statusOf(order.id)) === 'paid' ? true : undefined),
      10_000,
      'paid by reconciliation',
    );
    expect(await stack.signer.store.getPayment(payment.pay_no)).toMatchObject({ orderId: order.id, outcome: 'paid' });
    const attempts = (await requestJson(`${stack.sandboxUrl}/_control/attempts?pay_id=${order.id}`)).body;
    expect(attempts).toHaveLength(0);
  });

  it('on demand finds nothing for an unpaid order, and leaves it pending', async () => {
    stack = await startStack({ env: { RECONCILE_INTERVAL: '0', ORDER_TTL: '20' } });
    const order = await createOrder(stack.url, { price: '3.50' });
    expect(await stack.signer.orders.reconcile()).toBe(0);
    expect(await statusOf(order.id)).toBe('pending');
  });
});

describe('GET /api/return', () => {
  const pages = {
    RETURN_SUCCESS_URL: 'https://shop.example.com/thanks',
    RETURN_FAILURE_URL: 'https://shop.example.com/sorry',
  };

  it('sends the buyer to the success page with the order, after recording the signed payment', async () => {
    stack = await startStack({ env: pages });
    const order = await createOrder(stack.url, { price: '4.00' });
    await postJson(`${stack.sandboxUrl}/_control/faults`, { pay_id: order.id, notifyDelayMs: 600_000 });
    const payment = await payAtSandbox(order.qr!.payload!);
    expect(payment).toMatchObject({ return_link: expect.stringContaining(`${stack.url}/api/return?`) });
    const back = await fetch((payment as unknown as { return_link: string }).return_link, { redirect: 'manual' });
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe(`${pages.RETURN_SUCCESS_URL}?order=${order.id}`);
    expect(await statusOf(order.id)).toBe('paid');
  });

  it('sends a tampered or unsigned return to the failure page and records nothing', async () => {
    stack = await startStack({ env: pages });
    const before = await stack.signer.store.counts();
    for (const query of ['pay_id=x&pay_no=1&money=1.00&sign=00000000000000000000000000000000', '']) {
      const back = await fetch(`${stack.url}/api/return?${query}`, { redirect: 'manual' });
      expect(back.headers.get('location')).toBe(pages.RETURN_FAILURE_URL);
    }
    expect(await stack.signer.store.counts()).toEqual(before);
  });
});
