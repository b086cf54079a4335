/**
 * The gateway hangs or is slow when the buyer pays, in Chromium from a shop on another origin:
 * the widget shows the timeout error (the signer's own message) within GATEWAY_TIMEOUT_MS plus a
 * second, no order is left `creating`, and the retry button makes the order once the gateway is well.
 * (The other creat_order faults, -1, -2, HTTP 500 and garbage, are in test/browser/errors.test.ts.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkout, heard, startShopHarness, type ShopHarness } from '../support/browser.ts';
import { postJson } from '../support/http.ts';
import type { Stack } from '../support/stack.ts';

const TIMEOUT_MS = 1_500;
let shop: ShopHarness;
let stack: Stack;
beforeAll(async () => {
  shop = await startShopHarness();
  stack = await shop.signer({ GATEWAY_TIMEOUT_MS: String(TIMEOUT_MS) });
}, 60_000);
afterAll(() => shop?.close());

it.each([
  ['hangs', { createOrder: 'hang' }],
  ['answers after the timeout', { slowMs: TIMEOUT_MS + 2_000 }],
])(
  'creat_order %s: GATEWAY_TIMEOUT shown within the timeout + 1 s, nothing left creating, retry works',
  async (_name, faults) => {
    expect((await postJson(`${stack.sandboxUrl}/_control/faults`, faults)).status).toBe(200);
    const page = await shop.open(stack, 'price="7.70"');
    await checkout(page, 'idle').locator('[part~=pay-button]').click();
    // The promise: the buyer is told within the configured timeout plus a second.
    await checkout(page, 'error').waitFor({ timeout: TIMEOUT_MS + 1_000 });
    const error = (await heard(page)).find((event) => event.type === 'codepay-error')!.detail;
    expect(error).toMatchObject({ code: 'GATEWAY_TIMEOUT', retryable: true });
    expect(await page.locator('codepay-checkout [part=message]').textContent()).toBe(error.message);
    expect((await stack.signer.store.counts()).orders.creating ?? 0).toBe(0);

    await postJson(`${stack.sandboxUrl}/_control/reset`, {});
    await page.locator('codepay-checkout [part~=retry-button]').click();
    await checkout(page, 'pending').locator('[part=qr]').waitFor();
    expect((await heard(page)).map((event) => event.type)).toEqual(['codepay-error', 'codepay-order']);
    await page.close();
  },
  30_000,
);
