/**
 * Language choice, themes, accessibility (axe-core) and a screenshot of every state in light/dark and
 * zh-CN/en, saved under test/output/.
 */
import { afterAll, afterEach, describe, expect, inject, test } from 'vitest';
import { commands } from 'vitest/browser';
import type { CodepayCheckout } from '../../widget/index.ts';
import { cleanup, fault, mount, noViolations, part, pay, shadow, shoot, waitFor } from './helpers.ts';

afterEach(async () => {
  cleanup();
  await fault({});
});
afterAll(async () => {
  document.documentElement.lang = '';
  await commands.colorScheme('light');
});

const channels = async (el: CodepayCheckout) => {
  await expect.poll(() => shadow(el).querySelectorAll('[part=channel]').length).toBe(3);
  return [...shadow(el).querySelectorAll('[part=channel]')].map((label) => label.textContent!.trim());
};

describe('language', () => {
  test('the `locale` attribute wins', async () => {
    const holder = document.createElement('div');
    holder.lang = 'en';
    holder.dataset.test = '';
    document.body.append(holder);
    const { el } = mount({ price: '9.90', locale: 'zh-TW' }, holder);
    expect(await channels(el)).toEqual(['支付寶', 'QQ錢包', '微信支付']);
  });

  test('then the nearest `lang` ancestor, mapping regions to the built-in locales', async () => {
    for (const [lang, alipay] of [
      ['zh-HK', '支付寶'],
      ['zh-Hant', '支付寶'],
      ['zh', '支付宝'],
      ['zh-SG', '支付宝'],
      ['zh-Hans-HK', '支付宝'],
      ['en-GB', 'Alipay'],
      ['fr', 'Alipay'],
    ]) {
      const holder = document.createElement('section');
      holder.lang = lang!;
      holder.dataset.test = '';
      document.body.append(holder);
      const { el } = mount({ price: '9.90' }, holder);
      expect((await channels(el))[0], lang).toBe(alipay);
    }
  });

  test('then <html lang>, then the browser', async () => {
    document.documentElement.lang = 'zh-CN';
    const zh = mount({ price: '1234.5' });
    expect((await channels(zh.el))[0]).toBe('支付宝');
    expect(part(zh.el, 'pay-button')!.textContent).toBe('支付 ¥1,234.50');
    document.documentElement.lang = '';
    const browser = mount({ price: '1234.5' });
    expect(navigator.language).toMatch(/^en/);
    expect((await channels(browser.el))[0]).toBe('Alipay');
    expect(part(browser.el, 'pay-button')!.textContent).toBe('Pay ¥1,234.50');
  });

  test('changing `locale` re-renders', async () => {
    const { el } = mount({ price: '9.90', locale: 'en' });
    await channels(el);
    el.locale = 'zh-CN';
    await el.updateComplete;
    expect(part(el, 'pay-button')!.textContent).toBe('支付 ¥9.90');
  });
});

describe('themes', () => {
  const background = (el: CodepayCheckout) => getComputedStyle(part(el, 'base')!).backgroundColor;
  const LIGHT = 'rgb(255, 255, 255)';
  const DARK = 'rgb(30, 31, 34)';

  test('the system preference, unless `theme` says otherwise', async () => {
    await commands.colorScheme('light');
    const auto = mount({ price: '1.00' });
    const dark = mount({ price: '1.00', theme: 'dark' });
    await auto.el.updateComplete;
    await dark.el.updateComplete;
    expect(background(auto.el)).toBe(LIGHT);
    expect(background(dark.el)).toBe(DARK);

    await commands.colorScheme('dark');
    const light = mount({ price: '1.00', theme: 'light' });
    await light.el.updateComplete;
    expect(background(auto.el)).toBe(DARK);
    expect(background(light.el)).toBe(LIGHT);
    await commands.colorScheme('light');
  });

  test('channel colours buyers know, on the pay button and the card', async () => {
    for (const [type, colour] of [
      ['1', 'rgb(22, 119, 255)'],
      ['2', 'rgb(18, 183, 245)'],
      ['3', 'rgb(7, 193, 96)'],
    ]) {
      const { el } = mount({ price: '1.00', type: type! });
      await el.updateComplete;
      expect(getComputedStyle(part(el, 'pay-button')!).backgroundColor, type).toBe(colour);
      expect(getComputedStyle(part(el, 'base')!).borderTopColor, type).toBe(colour);
      await noViolations(el, `type ${type}`);
    }
  });

  test('custom properties and ::part() theme it', async () => {
    const style = document.createElement('style');
    style.dataset.test = '';
    style.textContent = `
      .branded { --codepay-accent: rgb(200, 0, 0); --codepay-radius: 0px; --codepay-qr-size: 120px; }
      .branded::part(amount) { letter-spacing: 3px; }`;
    document.head.append(style);
    const { el } = mount({ price: '1.00', class: 'branded' });
    await el.updateComplete;
    expect(getComputedStyle(part(el, 'pay-button')!).backgroundColor).toBe('rgb(200, 0, 0)');
    expect(getComputedStyle(part(el, 'base')!).borderRadius).toBe('0px');
    expect(getComputedStyle(part(el, 'amount')!).letterSpacing).toBe('3px');
    style.remove();
  });

  test('slots: header, footer and the success content', async () => {
    const { el, order } = mount({ price: '1.00' });
    el.innerHTML = '<b slot="header">Shop</b><i slot="footer">Terms</i><p slot="success">Thanks!</p>';
    await el.start();
    await waitFor(el, 'pending');
    await pay(order());
    await waitFor(el, 'paid');
    const slot = shadow(el).querySelector<HTMLSlotElement>('slot[name=success]')!;
    expect(slot.assignedElements()[0]!.textContent).toBe('Thanks!');
    expect(shadow(el).querySelector<HTMLSlotElement>('slot[name=header]')!.assignedElements()).toHaveLength(1);
  });
});

describe('every state, light and dark, zh-CN and en: axe-core finds nothing; screenshots', () => {
  for (const theme of ['light', 'dark'] as const) {
    for (const locale of ['zh-CN', 'en'] as const) {
      test(`${theme} ${locale}`, async () => {
        const name = (state: string) => `${state}-${theme}-${locale}`;
        const page = document.createElement('div');
        page.dataset.test = '';
        page.style.cssText = `padding: 12px; width: 340px; background: ${theme === 'dark' ? '#000' : '#f4f4f4'}`;
        document.body.append(page);
        // Another buyer's order of the same amount, so this one must pay a different `money`.
        const other = mount({ price: '9.90' }, page);
        await other.el.start();
        await waitFor(other.el, 'pending');
        other.el.remove();

        const { el, order } = mount({ price: '9.90', theme, locale }, page);
        await channels(el);
        await noViolations(el, name('idle'));
        await shoot(el, name('idle'));

        await fault({ slowMs: 800 });
        const started = el.start();
        await waitFor(el, 'loading');
        await expect.poll(() => part(el, 'skeleton')).not.toBeNull();
        const loadingHeight = el.getBoundingClientRect().height;
        await noViolations(el, name('loading'));
        await shoot(el, name('loading'));
        await started;
        await waitFor(el, 'pending');
        await fault({});
        expect(part(el, 'notice'), 'money differs from price').not.toBeNull();
        expect(el.getBoundingClientRect().height, 'the skeleton has the size of the QR state').toBe(loadingHeight);
        await noViolations(el, name('pending'));
        await shoot(el, name('pending'));

        await pay(order());
        await waitFor(el, 'paid');
        await noViolations(el, name('paid'));
        await shoot(el, name('paid'));

        const short = mount({ price: '5.00', theme, locale, endpoint: inject('shortSignerUrl') }, page);
        await short.el.start();
        await waitFor(short.el, 'expired');
        await noViolations(short.el, name('expired'));
        await shoot(short.el, name('expired'));

        const refused = mount({ price: '999.00', theme, locale }, page);
        await refused.el.start();
        await waitFor(refused.el, 'error');
        const retryable = mount({ price: '1.00', theme, locale, endpoint: 'http://127.0.0.1:9' }, page);
        await waitFor(retryable.el, 'error');
        await noViolations(refused.el, name('error'));
        await noViolations(retryable.el, name('error-retry'));
        await shoot(refused.el, name('error'));
        await shoot(retryable.el, name('error-retry'));
      });
    }
  }
});
