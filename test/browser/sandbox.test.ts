/**
 * Sandbox mode, from a desktop: the widget says it is the sandbox and pays it with one click; the
 * order turns paid through the signer's status stream. A signer on a real gateway shows neither.
 */
import { afterEach, describe, expect, inject, test } from 'vitest';
import { commands } from 'vitest/browser';
import { click, cleanup, mount, noViolations, part, shoot, text, waitFor } from './helpers.ts';

afterEach(async () => {
  cleanup();
  await commands.blockRequests(null);
});

const MARKS = {
  en: 'Sandbox: test mode, no real money',
  'zh-CN': '沙箱：模拟支付，不会扣款',
  'zh-TW': '沙箱：模擬付款，不會扣款',
};
const ACTIONS = { en: 'Pay in the sandbox', 'zh-CN': '在沙箱中支付', 'zh-TW': '在沙箱中付款' };

describe('on the sandbox', () => {
  for (const locale of ['en', 'zh-CN', 'zh-TW'] as const) {
    test(`${locale}: the mark, and "pay in the sandbox" pays through the signer once`, async () => {
      const { el, names } = mount({ price: '6.60', locale });
      await el.start();
      await waitFor(el, 'pending');
      expect(part(el, 'sandbox')!.textContent).toBe(MARKS[locale]);
      expect(part(el, 'sandbox-pay-button')!.textContent!.trim()).toBe(ACTIONS[locale]);
      await click(el, 'sandbox-pay-button');
      await waitFor(el, 'paid');
      expect(names().filter((name) => name === 'codepay-paid')).toHaveLength(1);
      expect(part(el, 'sandbox')!.textContent, 'still the sandbox once paid').toBe(MARKS[locale]);
    });
  }

  test("a merchant's own order (`order`) gets the mark and the action too", async () => {
    const first = mount({ price: '6.70' });
    await first.el.start();
    await waitFor(first.el, 'pending');
    const id = first.order().id;
    first.el.remove();
    const { el, names } = mount({ order: id, locale: 'en' });
    await waitFor(el, 'pending');
    await expect.poll(() => part(el, 'sandbox-pay-button')).not.toBeNull();
    await click(el, 'sandbox-pay-button');
    await waitFor(el, 'paid');
    expect(names().filter((name) => name === 'codepay-paid')).toHaveLength(1);
  });

  test('until the signer says paid (here by polling: no stream), the button waits, disabled, with no error', async () => {
    await commands.blockRequests('/api/orders/[^/]+/events');
    const { el } = mount({ price: '6.75', locale: 'en' });
    await el.start();
    await waitFor(el, 'pending');
    await click(el, 'sandbox-pay-button');
    const seen = new Set<string>();
    await expect
      .poll(
        () => {
          const message = part(el, 'message')?.textContent;
          if (el.status === 'pending')
            seen.add(part(el, 'sandbox-pay-button')!.hasAttribute('disabled') ? 'disabled' : 'enabled');
          if (el.status === 'pending' && message) seen.add(message);
          return el.status;
        },
        { timeout: 15_000, interval: 50 },
      )
      .toBe('paid');
    expect([...seen]).toEqual(['disabled']);
  });

  test('when the payment cannot be sent, it says so next to the button, which comes back', async () => {
    await commands.blockRequests('/sandbox/pay/');
    const { el } = mount({ price: '6.80', locale: 'en' });
    await el.start();
    await waitFor(el, 'pending');
    await click(el, 'sandbox-pay-button');
    await expect.poll(() => part(el, 'message')?.textContent).toBe("Can't reach the payment server");
    expect(part(el, 'sandbox-pay-button')!.hasAttribute('disabled')).toBe(false);
    expect(el.status).toBe('pending');
    await commands.blockRequests(null);
    await click(el, 'sandbox-pay-button');
    await waitFor(el, 'paid');
    expect(part(el, 'message')!.textContent).toBe('Payment received');
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`${theme}: axe finds nothing, pending and paid; screenshots`, async () => {
      const page = document.createElement('div');
      page.dataset.test = '';
      page.style.cssText = `padding: 12px; width: 340px; background: ${theme === 'dark' ? '#000' : '#f4f4f4'}`;
      document.body.append(page);
      for (const locale of ['zh-CN', 'en'] as const) {
        const { el } = mount({ price: '6.90', theme, locale }, page);
        await el.start();
        await waitFor(el, 'pending');
        await noViolations(el, `sandbox pending ${theme} ${locale}`);
        await shoot(el, `sandbox-pending-${theme}-${locale}`);
        await click(el, 'sandbox-pay-button');
        await waitFor(el, 'paid');
        await noViolations(el, `sandbox paid ${theme} ${locale}`);
        await shoot(el, `sandbox-paid-${theme}-${locale}`);
        el.remove();
      }
    });
  }
});

test('on a real gateway: no mark, no action', async () => {
  const { el, order } = mount({ price: '6.60', locale: 'en', endpoint: inject('gatewaySignerUrl') });
  await el.start();
  await waitFor(el, 'pending');
  expect(order().qr?.payload).toBeTruthy(); // a payment page there is, but not one to pay from here
  expect(part(el, 'qr')).not.toBeNull();
  expect(part(el, 'sandbox')).toBeNull();
  expect(part(el, 'sandbox-pay-button')).toBeNull();
  expect(text(el)).not.toMatch(/sandbox/i);
  await noViolations(el, 'real gateway pending');
});
