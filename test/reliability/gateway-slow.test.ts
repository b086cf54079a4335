/**
 * A slow gateway: an answer within GATEWAY_TIMEOUT_MS is an order; a later one is a 504 and a
 * failed order that the late answer does not revive; nothing stays `creating`; a retry works.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { eventually, postJson, requestJson } from '../support/http.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { GATEWAY_TIMEOUT_MS: '1000' } });
});
afterAll(() => stack.stop({ removeData: true }));

const slow = (slowMs: number) => postJson(`${stack.sandboxUrl}/_control/faults`, { slowMs });
const gatewayOrders = async () => (await requestJson<{ pay_id: string }[]>(`${stack.sandboxUrl}/_control/orders`)).body;

it('slow within the timeout: the order is created', async () => {
  await slow(100);
  const answer = await postJson<OrderView>(`${stack.url}/api/orders`, { price: '4.00' });
  expect([answer.status, answer.body.status]).toEqual([201, 'pending']);
});

it('slower than the timeout: 504 GATEWAY_TIMEOUT, the order failed for good, and a retry works', async () => {
  await slow(2_000);
  const before = (await gatewayOrders()).length;
  const answer = await postJson(`${stack.url}/api/orders`, { price: '4.10' });
  expect([answer.status, answer.body.error.code]).toEqual([504, 'GATEWAY_TIMEOUT']);
  expect((await stack.signer.store.counts()).orders.creating ?? 0).toBe(0);

  // The gateway answers after all, and makes its order; the signer's stays failed, never pending.
  const late = await eventually(async () => (await gatewayOrders()).slice(before)[0], 5_000, 'the late gateway order');
  const order = await requestJson<OrderView>(`${stack.url}/api/orders/${late.pay_id}`);
  expect([order.status, order.body.status, order.body.qr]).toEqual([200, 'failed', null]);

  await postJson(`${stack.sandboxUrl}/_control/reset`, {});
  expect((await postJson(`${stack.url}/api/orders`, { price: '4.10' })).status).toBe(201);
});
