/**
 * The widget on a shop's page (real Chromium, another origin) showing orders by id after refunds:
 * one refunded in full says so, as the error ORDER_REFUNDED and never as paid; one refunded in part
 * is still paid. The refunds are real ones, from the merchant's backend at the epay sandbox.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { checkout, heard, startShopHarness, type ShopHarness } from '../support/browser.ts';
import { createOrder, eventually, payAtSandbox, postJson, requestJson } from '../support/http.ts';
import type { Stack } from '../support/stack.ts';

const API_SECRET = 'merchant-backend-secret-0123456789';

let shop: ShopHarness;
beforeAll(async () => {
  shop = await startShopHarness();
}, 60_000);
afterAll(() => shop?.close());

/** An order paid at the epay sandbox, then refunded from the merchant's backend. */
async function refundedOrder(stack: Stack, price: string, refund: { money?: string }): Promise<OrderView> {
  const order = await createOrder(stack.url, { price });
  await payAtSandbox(order.qr!.payload!);
  const url = `${stack.url}/api/orders/${order.id}`;
  await eventually(async () => ((await requestJson<OrderView>(url)).body.status === 'paid' ? true : undefined));
  const answer = await postJson(`${url}/refund`, refund, { authorization: `Bearer ${API_SECRET}` });
  if (answer.status !== 200) throw new Error(`refund: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.order;
}

it('shows an order refunded in full as ORDER_REFUNDED, and one refunded in part as paid', async () => {
  const stack = await shop.signer({ GATEWAY: 'epay', API_SECRET });
  const whole = await refundedOrder(stack, '2.00', {});
  const part = await refundedOrder(stack, '3.00', { money: '1.00' });
  expect([whole.status, part.status]).toEqual(['refunded', 'paid']);

  const page = await shop.open(stack, `order="${whole.id}"`);
  const shown = checkout(page, 'error');
  await expect.poll(() => shown.locator('[part~=message]').textContent()).toBe('This order was refunded');
  const events = await heard(page);
  expect(events.map((event) => event.type)).toEqual(['codepay-order', 'codepay-error']);
  expect(events[1].detail).toMatchObject({ code: 'ORDER_REFUNDED', retryable: false });
  expect(await shown.locator('[part~=retry-button]').count()).toBe(0);

  const partPage = await shop.open(stack, `order="${part.id}"`);
  await checkout(partPage, 'paid').waitFor();
  expect((await heard(partPage)).filter((event) => event.type === 'codepay-paid')).toMatchObject([
    { detail: { id: part.id, status: 'paid', refunded: '1.00' } },
  ]);
  await page.close();
  await partPage.close();
}, 30_000);
