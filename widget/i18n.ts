/**
 * Built-in strings: one row per message, one column per locale (en, zh-CN, zh-TW), so each key is
 * written once.
 */
import type { Channel } from '../shared/api.ts';

const LOCALES = ['en', 'zh-CN', 'zh-TW'] as const;
export type Locale = (typeof LOCALES)[number];

export type Strings = Record<string | number, readonly [string, string, string]>;

/** What the first paint needs; the order flow brings its own table (flow.ts). */
const SHELL_STRINGS = {
  pay: ['Pay', '支付', '支付'],
  method: ['Payment method', '支付方式', '付款方式'],
  // The channels, under their CodePay `type`.
  1: ['Alipay', '支付宝', '支付寶'],
  2: ['QQ Wallet', 'QQ钱包', 'QQ錢包'],
  3: ['WeChat Pay', '微信支付', '微信支付'],
} satisfies Strings;

/** A lookup in one table: `strings(table)(locale, key)`. */
export const strings =
  <T extends Strings>(table: T) =>
  (locale: Locale, key: keyof T): string =>
    table[key]![LOCALES.indexOf(locale)]!;

export const t = strings(SHELL_STRINGS);

export const channelName = (locale: Locale, channel: Channel): string => t(locale, channel);

/**
 * The element's language, from the first of these that is set: its `locale`, the nearest `lang`
 * ancestor (which is `<html lang>` when the element sits in the document itself), the document's,
 * then the browser's. Chinese in Traditional script (named, or implied by Taiwan, Hong Kong, Macau)
 * is zh-TW, other Chinese zh-CN, any other language en.
 */
export function pickLocale(host: Pick<Element, 'closest'> & { readonly locale?: string }): Locale {
  const tag =
    host.locale || host.closest<HTMLElement>('[lang]')?.lang || document.documentElement.lang || navigator.language;
  if (!/^zh/i.test(tag)) return 'en';
  return /hans/i.test(tag) || !/hant|-(tw|hk|mo)\b/i.test(tag) ? 'zh-CN' : 'zh-TW';
}

/** "9.90" -> "¥9.90" in the locale's style. */
export const formatMoney = (locale: Locale, amount: string): string =>
  Number(amount).toLocaleString(locale, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol' });
