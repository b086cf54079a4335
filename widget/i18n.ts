/**
 * Built-in strings: one row per message, one column per locale (en, zh-CN, zh-TW), so each key is
 * written once. `{a}` is an amount, `{c}` a channel name, `{t}` a time.
 */
import type { Channel } from '../shared/api.ts';

const LOCALES = ['en', 'zh-CN', 'zh-TW'] as const;
export type Locale = (typeof LOCALES)[number];

type Table = Record<string, readonly [string, string, string]>;

/** What the first paint needs; the order flow brings its own table (flow.ts). */
const SHELL_STRINGS = {
  pay: ['Pay {a}', '支付 {a}', '支付 {a}'],
  method: ['Payment method', '支付方式', '付款方式'],
  c1: ['Alipay', '支付宝', '支付寶'],
  c2: ['QQ Wallet', 'QQ钱包', 'QQ錢包'],
  c3: ['WeChat Pay', '微信支付', '微信支付'],
} satisfies Table;

/** A translate function over one table: `t(locale, key, {a: '¥9.90'})`. */
export const translator =
  <T extends Table>(table: T) =>
  (locale: Locale, key: keyof T, vars: Record<string, string> = {}): string =>
    table[key]![LOCALES.indexOf(locale)]!.replace(/\{(\w)\}/g, (_, name: string) => vars[name] ?? '');

export const t = translator(SHELL_STRINGS);

export const channelName = (locale: Locale, channel: Channel): string => t(locale, `c${channel}`);

/**
 * Maps a BCP 47 tag to a built-in locale: Chinese in Traditional script (named, or implied by
 * Taiwan, Hong Kong, Macau) to zh-TW, other Chinese to zh-CN, any other language to en.
 */
function matchLocale(tag: string): Locale {
  const lower = tag.toLowerCase();
  if (!lower.startsWith('zh')) return 'en';
  return !lower.includes('hans') && /hant|-(tw|hk|mo)\b/.test(lower) ? 'zh-TW' : 'zh-CN';
}

/**
 * The element's language, from the first of these that is set: its `locale`, the nearest `lang`
 * ancestor (which is `<html lang>` when the element sits in the document itself), the document's,
 * then the browser's.
 */
export function pickLocale(host: HTMLElement, explicit: string | null | undefined): Locale {
  const tag =
    explicit || host.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || navigator.language;
  return matchLocale(tag || 'en');
}

/** "9.90" -> "¥9.90" in the locale's style. */
export const formatMoney = (locale: Locale, amount: string): string =>
  new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol' }).format(
    Number(amount),
  );
