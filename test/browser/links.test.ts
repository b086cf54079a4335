/**
 * A payment link opened in Chromium as a buyer opens it: the page under its strict policy with no
 * violation, in the browser's language, light and dark; paid with the sandbox's desktop action;
 * axe finds nothing; the merchant's admin CLI then lists the order paid.
 */
import { describe, expect, inject, test } from 'vitest';
import { commands } from 'vitest/browser';
import type { OrderView } from '../../shared/api.ts';

const MERCHANT = '山间茶铺 Mountain Tea';

const CASES = [
  { language: 'en-US,en;q=0.9', lang: 'en', payTo: 'Pay to', pay: 'Pay', paid: 'Payment received' },
  { language: 'zh-CN,zh;q=0.9', lang: 'zh-CN', payTo: '收款方', pay: '支付', paid: '支付成功' },
] as const;

async function paidInTheStore(orderId: string): Promise<OrderView | undefined> {
  const cli = await commands.adminCli({ DATA_DIR: inject('signerDataDir') }, ['orders', '--status', 'paid', '--json']);
  expect(cli.code, cli.stderr).toBe(0);
  return (JSON.parse(cli.stdout) as OrderView[]).find((order) => order.id === orderId);
}

describe('a product link, paid from a desktop in the sandbox', () => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const { language, lang, payTo, pay, paid } of CASES) {
      test(`${lang}, ${scheme}: no policy violation, axe clean, paid, listed paid by the admin CLI`, async () => {
        const run = await commands.runPaymentLink(`${inject('signerUrl')}/pay/tea`, {
          language,
          scheme,
          screenshots: `test/output/link-tea-${scheme}-${lang}`,
        });
        expect(run.status).toBe(200);
        expect(run.csp).toContain("default-src 'none'");
        expect(run.violations).toEqual([]);
        expect(run.errors).toEqual([]);
        expect([run.lang, run.locale]).toEqual([lang, lang]);
        expect(run.header).toContain(`${payTo} ${MERCHANT}`);
        expect(run.header).toContain('Green tea');
        expect(run.header).toContain('¥9.90');
        expect(run.idleText).toContain(pay);
        expect(run.idleText).toContain('¥9.90');
        expect(run.paidText).toContain(paid);
        expect(run.axe).toEqual({ idle: [], pending: [], paid: [] });
        const order = await paidInTheStore(run.orderId);
        expect(order).toMatchObject({ status: 'paid', product: 'tea', price: '9.90' });
      });
    }
  }
});

test('an open amount link (zh-TW, a desktop-wide window): the amount asked is the amount paid', async () => {
  const run = await commands.runPaymentLink(`${inject('signerUrl')}/pay?price=12.5`, {
    language: 'zh-TW',
    scheme: 'light',
    width: 1280,
    screenshots: 'test/output/link-amount-light-zh-TW',
  });
  expect(run.violations).toEqual([]);
  expect(run.errors).toEqual([]);
  expect([run.lang, run.locale]).toEqual(['zh-TW', 'zh-TW']);
  expect(run.header).toContain('付款');
  expect(run.header).toContain('¥12.50');
  expect(run.paidText).toContain('付款成功');
  expect(run.axe).toEqual({ idle: [], pending: [], paid: [] });
  expect(await paidInTheStore(run.orderId)).toMatchObject({ status: 'paid', product: null, price: '12.50' });
});

describe('a link that cannot be paid', () => {
  for (const scheme of ['light', 'dark'] as const) {
    test(`${scheme}: an unknown product, a 404 page saying so, axe clean, no violation`, async () => {
      const run = await commands.openUnusableLink(`${inject('signerUrl')}/pay/no-such-tea`, {
        language: 'en',
        scheme,
        screenshots: `test/output/link-unknown-${scheme}-en`,
      });
      expect(run.status).toBe(404);
      expect(run.violations).toEqual([]);
      // The page itself fails to load with 404: Chromium says so on the console, and nothing else.
      expect(run.errors).toEqual([expect.stringMatching(/status of 404/)]);
      expect(run.text).toContain("This payment link can't be used");
      expect(run.text).toContain('This shop sells no such product.');
      expect(run.axe).toEqual([]);
    });
  }

  test('zh-CN: an amount above the shop range, refused in Chinese', async () => {
    const run = await commands.openUnusableLink(`${inject('signerUrl')}/pay?price=600`, {
      language: 'zh-CN',
      scheme: 'light',
      screenshots: 'test/output/link-refused-light-zh-CN',
    });
    expect(run.status).toBe(422);
    expect(run.lang).toBe('zh-CN');
    expect(run.text).toContain('此付款链接无法使用');
    expect(run.text).toContain('该金额不在本店接受的范围内。');
    expect(run.axe).toEqual([]);
  });
});
