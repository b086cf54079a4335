/**
 * The widget on the test page's origin, its signer on another with GATEWAY=vmq (the V免签 sandbox):
 * the QR the widget draws is read back from a screenshot, its URL (the sandbox's pay page) paid as a
 * phone would, and the widget turns paid once.
 */
import { afterEach, expect, inject, it } from 'vitest';
import { commands } from 'vitest/browser';
import { cleanup, click, mount, part, readQr, waitFor } from './helpers.ts';

afterEach(cleanup);

it('pays through the V免签 sandbox: reallyPrice in the notice, the QR from a screenshot paid at its page', async () => {
  const signer = inject('vmqSignerUrl');
  expect(new URL(signer).origin).not.toBe(location.origin);
  // Another buyer holds 12.30 by Alipay: this one is asked V免签's next free amount.
  const other = await commands.nodeFetch(`${signer}/api/orders`, {
    method: 'POST',
    body: '{"price":"12.30","type":1}',
  });
  expect(other.status).toBe(201);

  const { el, names, order } = mount({ endpoint: signer, price: '12.30', type: '1', locale: 'en' });
  // The button once the signer's configuration came (from the other origin).
  await expect.poll(() => part(el, 'pay-button')).not.toBeNull();
  await click(el, 'pay-button');
  await waitFor(el, 'pending');
  expect(order()).toMatchObject({ price: '12.30', money: '12.31' });
  expect(part(el, 'notice')!.textContent).toContain('12.31');

  const payUrl = await readQr(el);
  expect(payUrl).toBe(order().qr!.payload);
  expect(payUrl).toMatch(new RegExp(`^${signer}/sandbox/pay/\\d{20}$`));
  const paid = await commands.nodeFetch(payUrl!, { method: 'POST' });
  expect([paid.status, JSON.parse(paid.body).paid]).toEqual([200, true]);

  await waitFor(el, 'paid');
  expect(names().filter((name) => name === 'codepay-paid')).toHaveLength(1);
});
