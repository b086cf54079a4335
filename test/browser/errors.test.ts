/** Each error the buyer can meet: the signer's message, `codepay-error`, and a retry button only where it helps. */
import { afterEach, describe, expect, test } from 'vitest';
import { ERRORS } from '../../shared/errors.ts';
import { cleanup, click, fault, mount, part, waitFor } from './helpers.ts';

afterEach(async () => {
  cleanup();
  await fault({});
});

async function failWith(attributes: Record<string, string>, start = true) {
  const mounted = mount({ locale: 'en', ...attributes });
  if (start) await mounted.el.start();
  await waitFor(mounted.el, 'error');
  const error = mounted.events.find((event) => event.type === 'codepay-error')!;
  expect(error.bubbles && error.composed).toBe(true);
  return { ...mounted, detail: error.detail as { code: keyof typeof ERRORS; message: string; retryable: boolean } };
}

describe('refused by the signer: no retry', () => {
  for (const [name, attributes, code] of [
    ['a price outside the policy', { price: '999.00' }, 'PRICE_NOT_ALLOWED'],
    ['a malformed price', { price: '9.999' }, 'INVALID_PRICE'],
    ['an unknown product', { product: 'nope' }, 'UNKNOWN_PRODUCT'],
  ] as const) {
    test(name, async () => {
      const { el, detail, names } = await failWith(attributes);
      expect(detail).toMatchObject({ code, retryable: false });
      expect(detail.message.length).toBeGreaterThan(0);
      expect(part(el, 'message')!.textContent).toBe(detail.message); // the signer's own words
      expect(part(el, 'retry-button')).toBeNull();
      expect(names()).toEqual(['codepay-error']);
    });
  }

  test("in the widget's language: a zh-TW or zh-CN widget gets the signer's refusal in Chinese", async () => {
    const traditional = await failWith({ price: '999.00', locale: 'zh-TW' });
    expect(part(traditional.el, 'message')!.textContent).toBe('該金額不在本店接受的範圍內。');
    const simplified = await failWith({ price: '999.00', locale: 'zh-CN' });
    expect(simplified.detail.message).toBe('该金额不在本店接受的范围内。');
  });

  test('an unknown order id', async () => {
    const { el, detail } = await failWith({ order: 'no-such-order' }, false);
    expect(detail).toMatchObject({ code: 'ORDER_NOT_FOUND', retryable: false });
    expect(part(el, 'retry-button')).toBeNull();
  });
});

describe('retryable', () => {
  test('the signer cannot be reached: a localized message, retry goes back and tries again', async () => {
    const { el, detail, names } = await failWith(
      { price: '1.00', endpoint: 'http://127.0.0.1:9', locale: 'zh-CN' },
      false,
    );
    expect(detail).toMatchObject({ code: 'NETWORK', retryable: true });
    expect(part(el, 'message')!.textContent).toBe('无法连接支付服务');
    expect(part(el, 'retry-button')!.textContent).toBe('重试');
    await click(el, 'retry-button');
    await expect.poll(() => names().length).toBe(2); // tried again, failed again
    expect(names()).toEqual(['codepay-error', 'codepay-error']);
  });

  for (const [createOrder, code] of [
    ['fail', 'GATEWAY_REJECTED'],
    ['http-500', 'GATEWAY_UNAVAILABLE'],
    ['garbage', 'GATEWAY_BAD_RESPONSE'],
    ['hang', 'GATEWAY_TIMEOUT'],
  ] as const) {
    test(`the gateway: ${createOrder} -> ${code}, and retry creates the order once it works`, async () => {
      await fault({ createOrder });
      const { el, detail, names } = await failWith({ price: '2.50' });
      expect(detail).toMatchObject({ code, retryable: true });
      expect(part(el, 'message')!.textContent).toBe(detail.message);
      await fault({});
      await click(el, 'retry-button');
      await waitFor(el, 'pending');
      expect(names()).toEqual(['codepay-error', 'codepay-order']);
    });
  }
});

test('the gateway refuses the parameters: not retryable', async () => {
  await fault({ createOrder: 'bad-params' });
  const { el, detail } = await failWith({ price: '2.60' });
  expect(detail).toMatchObject({ code: 'GATEWAY_BAD_PARAMS', retryable: false });
  expect(part(el, 'retry-button')).toBeNull();
});

test('every code the widget reports carries the retryable flag of shared/errors.ts', async () => {
  const { detail } = await failWith({ price: '999.00' });
  expect(detail.retryable).toBe(ERRORS[detail.code].retryable);
});
