/**
 * The markup of a payment link's page (pay-page.ts): the merchant, what is paid for and its price,
 * and the widget, or why the link can't be used. Everything from settings or the request is
 * escaped; the one stylesheet is inline and allowed by its hash, so the page runs under a policy
 * that lets in nothing but the signer's own script and requests.
 */
import { createHash } from 'node:crypto';
import escapeHtml from 'escape-html';
import type { Cents } from '../../shared/money.ts';
import type { PageLocale } from './localize.ts';

/** One row per message: en, zh-CN, zh-TW. */
const STRINGS = {
  payTo: ['Pay to', '收款方', '收款方'],
  payment: ['Payment', '付款', '付款'],
  unusable: ["This payment link can't be used", '此付款链接无法使用', '此付款連結無法使用'],
  askShop: ['Ask the shop for a new link.', '请向商家索取新的付款链接。', '請向商家索取新的付款連結。'],
} satisfies Record<string, readonly [string, string, string]>;

const LOCALES: readonly PageLocale[] = ['en', 'zh-CN', 'zh-TW'];
const say = (locale: PageLocale, key: keyof typeof STRINGS) => STRINGS[key][LOCALES.indexOf(locale)];

/** "¥9.90", as the widget writes it (its formatMoney). */
const money = (locale: PageLocale, cents: Cents) =>
  new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol' }).format(
    cents / 100,
  );

// Mobile first: one column as wide as a phone, wider screens only centre it. The muted colours
// keep a contrast above 4.5:1 on their backgrounds, light and dark.
const STYLE = `
:root{color-scheme:light dark;--bg:#f4f5f7;--fg:#1f2328;--muted:#545d68;font:16px/1.5 system-ui,-apple-system,'PingFang SC','Microsoft YaHei',sans-serif}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#a0a8b2}}
body{margin:0;background:var(--bg);color:var(--fg)}
main{box-sizing:border-box;max-width:26rem;margin:0 auto;padding:1.5rem 1rem 2rem}
header{text-align:center;margin-bottom:1rem}
header p{margin:0}
.merchant{color:var(--muted);overflow-wrap:anywhere}
h1{margin:.25rem 0 0;font-size:1.375rem;line-height:1.3;overflow-wrap:anywhere}
.price{font-size:1.25rem;font-weight:600;font-variant-numeric:tabular-nums}
main>p{text-align:center}
.hint{color:var(--muted)}
codepay-checkout{display:block;--codepay-width:100%}
`.trim();

/**
 * The page's Content-Security-Policy: the widget's script and requests (its chunk, the API, the
 * event stream, the sandbox's pay page) are all the signer's own; no inline script, the inline
 * style by its hash; nothing else loads, and no one may frame the page.
 */
export const PAY_PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

interface Page {
  locale: PageLocale;
  title: string;
  description: string;
  /** Already escaped markup. */
  head?: string;
  body: string;
}

function layout({ locale, title, description, head = '', body }: Page): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<meta name="description" content="${escapeHtml(description)}">
<meta property="og:title" content="${escapeHtml(title)}">
<meta property="og:description" content="${escapeHtml(description)}">
<style>${STYLE}</style>
${head}</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const merchantLine = (locale: PageLocale, merchantName: string | null) =>
  merchantName === null ? '' : `<p class="merchant">${say(locale, 'payTo')} ${escapeHtml(merchantName)}</p>\n`;

export interface PayPageView {
  locale: PageLocale;
  merchantName: string | null;
  /** The product's name, or null for an open amount. */
  productName: string | null;
  amount: Cents;
  /** What the widget is given: the product id, or the amount as "12.50". */
  widget: { product: string } | { price: string };
  /** The widget's script, under the signer's base path. */
  scriptUrl: string;
}

export function payPageHtml(view: PayPageView): string {
  const { locale, merchantName } = view;
  const heading = view.productName ?? say(locale, 'payment');
  const price = money(locale, view.amount);
  const [name, value] = 'product' in view.widget ? ['product', view.widget.product] : ['price', view.widget.price];
  return layout({
    locale,
    title: [heading, price, merchantName].filter(Boolean).join(' · '),
    description: merchantName === null ? `${heading} ${price}` : `${say(locale, 'payTo')} ${merchantName}: ${price}`,
    head: `<script type="module" src="${escapeHtml(view.scriptUrl)}"></script>\n`,
    body: `<header>
${merchantLine(locale, merchantName)}<h1>${escapeHtml(heading)}</h1>
<p class="price">${price}</p>
</header>
<codepay-checkout ${name}="${escapeHtml(value)}" locale="${locale}"></codepay-checkout>`,
  });
}

export interface UnusableLinkView {
  locale: PageLocale;
  merchantName: string | null;
  /** Why, in the buyer's language. */
  message: string;
}

/** A link to an unknown product, or to an amount the shop does not take: what went wrong, no widget. */
export function unusableLinkHtml({ locale, merchantName, message }: UnusableLinkView): string {
  const title = say(locale, 'unusable');
  return layout({
    locale,
    title,
    description: message,
    body: `<header>
${merchantLine(locale, merchantName)}<h1>${title}</h1>
</header>
<p>${escapeHtml(message)}</p>
<p class="hint">${say(locale, 'askShop')}</p>`,
  });
}
