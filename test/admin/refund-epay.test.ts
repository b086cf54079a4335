/**
 * A refund from the console, where the gateway can give money back: a signer with GATEWAY=epay on
 * its mounted sandbox, an order paid at the sandbox's page, then refunded in two parts from the
 * console, each recorded as an action and seen in the order's public view.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { consoleClient, startConsoleStack, type ConsoleClient } from '../support/console.ts';
import { createOrder, eventually, payAtSandbox, requestJson } from '../support/http.ts';
import type { Stack } from '../support/stack.ts';

let stack: Stack;
let admin: ConsoleClient;
let paid: OrderView;

const view = async (id: string) => (await requestJson<OrderView>(`${stack.url}/api/orders/${id}`)).body;

beforeAll(async () => {
  stack = await startConsoleStack({ env: { GATEWAY: 'epay', RECONCILE_INTERVAL: '0' } });
  admin = await consoleClient(stack.url);
  paid = await createOrder(stack.url, { price: '3.00', type: 1 });
  await payAtSandbox(paid.qr!.payload!);
  await eventually(async () => ((await view(paid.id)).status === 'paid' ? true : undefined));
});
afterAll(() => stack?.stop({ removeData: true }));

it('offers the refund on a paid order, refunds a part then the rest, and records who did', async () => {
  expect((await admin.get(`orders/${paid.id}`)).body.can).toMatchObject({ refund: true });

  const part = await admin.send('POST', `orders/${paid.id}/refund`, { money: '1.00' });
  expect(part.status).toBe(200);
  expect(await view(paid.id)).toMatchObject({ status: 'paid', refunded: '1.00' });

  const rest = await admin.send('POST', `orders/${paid.id}/refund`, {});
  expect(rest.status).toBe(200);
  expect(await view(paid.id)).toMatchObject({ status: 'refunded', refunded: '3.00' });

  const actions = (await admin.get(`actions?orderId=${paid.id}`)).body.actions;
  expect(actions.filter((action: { action: string }) => action.action === 'refund')).toMatchObject([
    { result: 'ok' },
    { result: 'ok' },
  ]);
});

it('refuses a refund without the CSRF token, or of more than is left, and gives nothing back', async () => {
  const order = await createOrder(stack.url, { price: '2.00', type: 1 });
  await payAtSandbox(order.qr!.payload!);
  await eventually(async () => ((await view(order.id)).status === 'paid' ? true : undefined));

  const forged = await admin.send('POST', `orders/${order.id}/refund`, {}, { 'x-csrf-token': 'not-the-token' });
  expect([forged.status, forged.body.error.code]).toEqual([403, 'CSRF_REFUSED']);
  const tooMuch = await admin.send('POST', `orders/${order.id}/refund`, { money: '2.01' });
  expect([tooMuch.status, tooMuch.body.error.code]).toEqual([422, 'REFUND_TOO_LARGE']);
  expect(await view(order.id)).toMatchObject({ status: 'paid', refunded: null });
});
