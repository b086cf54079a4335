/**
 * What the widget shows for each kind of gateway answer, through real signers on the gateways'
 * sandboxes: V免签's QR without an amount (the buyer types it), epay's pay page and app URL scheme,
 * on a phone (a touch screen, a phone's viewport) and on a desktop.
 */
import { afterEach, describe, expect, inject, test } from 'vitest';
import { commands } from 'vitest/browser';
import { cleanup, fault, mount, noViolations, part, readQr, shoot, text, waitFor } from './helpers.ts';

afterEach(cleanup);

const live = (el: HTMLElement) => el.shadowRoot!.querySelector('[role=status]')!.textContent;

describe('V免签: a QR without an amount, the buyer types it', () => {
  const signer = () => inject('vmqSignerUrl');
  afterEach(() => fault({}, signer()));

  test.each([
    ['en', 'Enter exactly ¥{a} when you pay'],
    ['zh-CN', '付款时请准确输入 ¥{a}'],
    ['zh-TW', '付款時請準確輸入 ¥{a}'],
  ])(
    '%s: a plain notice of the exact amount, announced; the amount typed at the pay page pays',
    async (locale, words) => {
      await fault({ noFixedQr: true }, signer());
      const { el, order } = mount({ price: '7.70', type: '3', locale, endpoint: signer() });
      await el.start();
      await waitFor(el, 'pending');
      expect(order().qr).toMatchObject({ enterAmount: true });
      const notice = words.replace('{a}', order().money!);
      expect(part(el, 'notice')!.textContent).toContain(notice);
      expect(part(el, 'copy-button')).not.toBeNull();
      expect(live(el)).toContain(notice); // role=status: polite
      expect(await readQr(el)).toBe(order().qr!.payload);
      await noViolations(el, `enter amount ${locale}`);
      await shoot(el, `enter-amount-${locale}`);

      // The buyer types the amount the notice says, at the page the QR leads to.
      const typed = await commands.nodeFetch(order().qr!.payload!, {
        method: 'POST',
        body: new URLSearchParams({ amount: order().money! }).toString(),
        type: 'application/x-www-form-urlencoded',
      });
      expect(typed.status).toBe(200);
      await waitFor(el, 'paid');
    },
  );

  test('a QR with the amount in it: no notice', async () => {
    const { el, order } = mount({ price: '7.80', type: '1', locale: 'en', endpoint: signer() });
    await el.start();
    await waitFor(el, 'pending');
    expect(order().qr!.enterAmount).toBeFalsy();
    expect(order().money).toBe('7.80');
    expect(part(el, 'notice')).toBeNull();
    expect(text(el)).not.toContain('Enter exactly');
  });
});
