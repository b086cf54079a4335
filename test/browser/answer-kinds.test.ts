/**
 * What the widget shows for each kind of gateway answer, through real signers on the gateways'
 * sandboxes: V免签's QR without an amount (the buyer types it), epay's pay page and app URL scheme,
 * on a phone (a touch screen, a phone's viewport) and on a desktop.
 */
import { afterEach, describe, expect, inject, test } from 'vitest';
import { commands, page } from 'vitest/browser';
import { cleanup, click, fault, mount, noViolations, part, pay, readQr, shoot, text, waitFor } from './helpers.ts';

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
      // The sandbox's V免签 has no QR code of a fixed amount for any price (its reset brings them back).
      const noFixedQr = await commands.nodeFetch(`${signer()}/sandbox/_control/switches`, {
        method: 'POST',
        body: JSON.stringify({ noFixedQr: true }),
      });
      expect(noFixedQr.status, noFixedQr.body).toBe(200);
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

describe('epay: a pay page, an app URL scheme', () => {
  const signer = () => inject('epaySignerUrl');
  /** The sandbox's mapi.php answers with this kind from now on (its reset brings the default back). */
  const answerWith = async (kind: 'payurl' | 'urlscheme') => {
    const set = await commands.nodeFetch(`${signer()}/sandbox/_control/answers`, {
      method: 'POST',
      body: JSON.stringify({ kind }),
    });
    expect(set.status, set.body).toBe(200);
  };
  const asPhone = async () => {
    await page.viewport(390, 844);
    await commands.touchScreen(true);
  };
  afterEach(async () => {
    await fault({}, signer());
    await commands.touchScreen(false);
    await page.viewport(480, 720);
  });

  test('payurl on a phone: the QR of the pay page and a button that opens it; paid at the page', async () => {
    await answerWith('payurl');
    await asPhone();
    const { el, order } = mount({ price: '6.10', type: '1', locale: 'en', endpoint: signer() });
    await el.start();
    await waitFor(el, 'pending');
    const { payload, link } = order().qr!;
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sandbox\//);
    expect(payload).toBe(link);
    expect(await readQr(el)).toBe(link);
    const open = part(el, 'open-button') as HTMLAnchorElement;
    expect(open.href).toBe(link);
    expect(open.target).toBe('_blank');
    expect(open.textContent).toBe('Open Alipay');
    await noViolations(el, 'payurl on a phone');
    await shoot(el, 'epay-payurl-phone');
    await pay(order());
    await waitFor(el, 'paid');
  });

  test("payurl on a desktop: the QR of the pay page, no open button; the sandbox's desktop action pays", async () => {
    await answerWith('payurl');
    const { el, order } = mount({ price: '6.20', type: '3', locale: 'zh-CN', endpoint: signer() });
    await el.start();
    await waitFor(el, 'pending');
    expect(await readQr(el)).toBe(order().qr!.link);
    expect(part(el, 'open-button')).toBeNull();
    expect(part(el, 'qr')!.getAttribute('aria-label')).toBe(`请用微信支付扫码支付 ¥${order().money}`);
    await click(el, 'sandbox-pay-button');
    await waitFor(el, 'paid');
  });

  test('urlscheme on a phone: no QR, a button that opens the app; paid at the page it stands for', async () => {
    await answerWith('urlscheme');
    await asPhone();
    const { el, order } = mount({ price: '6.30', type: '1', locale: 'zh-CN', endpoint: signer() });
    await el.start();
    await waitFor(el, 'pending');
    const { payload, link } = order().qr!;
    expect(payload).toBeUndefined();
    expect(link).toMatch(/^alipays:\/\/platformapi\/startapp\?/);
    expect(part(el, 'qr')).toBeNull();
    expect(part(el, 'skeleton')).toBeNull(); // no QR to wait for
    const open = part(el, 'open-button') as HTMLAnchorElement;
    expect(open.getAttribute('href')).toBe(link);
    expect(open.hasAttribute('target')).toBe(false); // the app opens; the checkout stays in its tab
    expect(open.textContent).toBe('打开支付宝');
    expect(text(el)).not.toContain('扫码');
    await noViolations(el, 'urlscheme on a phone');
    await shoot(el, 'epay-urlscheme-phone');
    // What the app does: pays at the sandbox's page the link carries.
    const paid = await commands.nodeFetch(decodeURIComponent(link!.slice(link!.lastIndexOf('=') + 1)), {
      method: 'POST',
    });
    expect(paid.status, paid.body).toBe(200);
    await waitFor(el, 'paid');
  });

  test('urlscheme on a desktop: no dead QR, plain words to open the page on a phone', async () => {
    await answerWith('urlscheme');
    const { el } = mount({ price: '6.40', type: '3', locale: 'en', endpoint: signer() });
    await el.start();
    await waitFor(el, 'pending');
    expect(part(el, 'qr')).toBeNull();
    expect(part(el, 'skeleton')).toBeNull();
    expect(part(el, 'open-button')).toBeNull();
    const words = 'Open this page on your phone to pay with WeChat Pay';
    expect(part(el, 'message')!.textContent).toBe(words);
    expect(live(el)).toBe(`Waiting for payment. ${words}`);
    await noViolations(el, 'urlscheme on a desktop');
    await shoot(el, 'epay-urlscheme-desktop');
  });
});
