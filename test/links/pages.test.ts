/**
 * Payment links over HTTP: the page of a product or of an open amount, with the merchant's name and
 * the widget, under a strict Content-Security-Policy; hostile names from the settings escaped;
 * a link that can't be paid refused with a page and its status, as the order API would refuse it.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parseContentSecurityPolicy from 'content-security-policy-parser';
import Koa from 'koa';
import mount from 'koa-mount';
import { parse } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWidgetBuilt } from '../../scripts/widget-build.ts';
import { ConfigError, loadConfig, type Config } from '../../server/config.ts';
import { productLinks } from '../../server/http/links.ts';
import { createLogger } from '../../server/log.ts';
import { createSigner, type Signer } from '../../server/signer.ts';
import { postJson } from '../support/http.ts';
import { startStack, type Stack } from '../support/stack.ts';

const HOSTILE_PRODUCT = `</title><script>alert(1)</script><img src=x onerror=alert(2)> "tea" & 'cake'`;
const HOSTILE_MERCHANT = `<script>alert("m")</script> & 'Co' "x"`;

let stack: Stack;
beforeAll(async () => {
  ensureWidgetBuilt();
  stack = await startStack({
    env: {
      MERCHANT_NAME: HOSTILE_MERCHANT,
      PRODUCTS: JSON.stringify({
        tea: { name: 'Green tea', price: '9.90' },
        evil: { name: HOSTILE_PRODUCT, price: '1.00' },
      }),
      PRICE_MIN: '1',
      PRICE_MAX: '100',
    },
  });
}, 120_000);
afterAll(() => stack.stop({ removeData: true }));

// parse5's tree, read as a browser would have built it.
interface Node {
  nodeName: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node[];
  content?: Node;
}

function all(node: Node, tag: string): Node[] {
  const children = [...(node.childNodes ?? []), ...(node.content ? [node.content] : [])];
  return [...(node.nodeName === tag ? [node] : []), ...children.flatMap((child) => all(child, tag))];
}
const textOf = (node: Node): string =>
  node.nodeName === '#text' ? node.value! : (node.childNodes ?? []).map(textOf).join('');
const attr = (node: Node, name: string) => node.attrs?.find((a) => a.name === name)?.value;
const one = (document: Node, tag: string) => {
  const found = all(document, tag);
  expect(found, tag).toHaveLength(1);
  return found[0];
};

interface Page {
  status: number;
  headers: Headers;
  html: string;
  document: Node;
}

async function open(path: string, language?: string, base = stack.url): Promise<Page> {
  const response = await fetch(`${base}${path}`, { headers: language ? { 'accept-language': language } : {} });
  const html = await response.text();
  return { status: response.status, headers: response.headers, html, document: parse(html) as unknown as Node };
}

/** The policy the brief asks for, directive by directive: nothing but the signer's own script and requests. */
function expectStrictPolicy(page: Page): void {
  const header = page.headers.get('content-security-policy');
  expect(header).not.toBeNull();
  const policy = parseContentSecurityPolicy(header!);
  const styles = all(page.document, 'style').map(textOf);
  const hashes = styles.map((style) => `'sha256-${createHash('sha256').update(style).digest('base64')}'`);
  expect(Object.fromEntries(policy)).toEqual({
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': hashes,
    'connect-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
  });
  expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  // No inline script: every script is a file of the signer's own.
  for (const script of all(page.document, 'script')) {
    expect(textOf(script)).toBe('');
    expect(new URL(attr(script, 'src')!, stack.url).origin).toBe(stack.url);
  }
  // No inline style attribute either: the policy would block it.
  expect(page.html).not.toMatch(/\sstyle=/);
}

describe('a product link', () => {
  it('serves the product, its price, the merchant and the widget under the strict policy', async () => {
    const page = await open('/pay/tea', 'en-GB,en;q=0.9');
    expect(page.status).toBe(200);
    expectStrictPolicy(page);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('vary')).toContain('Accept-Language');
    expect(textOf(one(page.document, 'h1'))).toBe('Green tea');
    expect(textOf(one(page.document, 'main'))).toContain('¥9.90');
    expect(textOf(one(page.document, 'main'))).toContain(`Pay to ${HOSTILE_MERCHANT}`);
    const widget = one(page.document, 'codepay-checkout');
    expect(attr(widget, 'product')).toBe('tea');
    expect(attr(widget, 'locale')).toBe('en');
    expect(attr(one(page.document, 'script'), 'src')).toBe('/codepay-checkout.js');
    expect(attr(one(page.document, 'script'), 'type')).toBe('module');
  });

  it.each([
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN', '收款方'],
    ['zh-TW', 'zh-TW', '收款方'],
    ['zh-HK,en;q=0.5', 'zh-TW', '收款方'],
    ['fr-FR,en;q=0.5', 'en', 'Pay to'],
    ['de', 'en', 'Pay to'],
    [undefined, 'en', 'Pay to'],
  ])('Accept-Language %s: lang and the widget locale %s', async (language, locale, payTo) => {
    const page = await open('/pay/tea', language);
    expect(attr(one(page.document, 'html'), 'lang')).toBe(locale);
    expect(attr(one(page.document, 'codepay-checkout'), 'locale')).toBe(locale);
    expect(page.headers.get('content-language')).toBe(locale);
    expect(textOf(one(page.document, 'main'))).toContain(payTo);
  });

  it('escapes a hostile product name and MERCHANT_NAME everywhere they appear', async () => {
    const page = await open('/pay/evil');
    expect(page.status).toBe(200);
    // What the settings say is shown as text, in full; none of it became markup.
    expect(all(page.document, 'script')).toHaveLength(1);
    expect(all(page.document, 'img')).toHaveLength(0);
    expect(textOf(one(page.document, 'h1'))).toBe(HOSTILE_PRODUCT);
    expect(textOf(one(page.document, 'title'))).toBe(`${HOSTILE_PRODUCT} · ¥1.00 · ${HOSTILE_MERCHANT}`);
    for (const meta of all(page.document, 'meta').filter((m) => attr(m, 'property') === 'og:title')) {
      expect(attr(meta, 'content')).toBe(`${HOSTILE_PRODUCT} · ¥1.00 · ${HOSTILE_MERCHANT}`);
    }
    expect(textOf(one(page.document, 'main'))).toContain(HOSTILE_MERCHANT);
    expect(page.html).not.toContain('<script>alert');
    expect(page.html).not.toContain('<img');
    expectStrictPolicy(page);
  });

  it('an unknown product: a 404 page saying so, in the buyer language, with no widget', async () => {
    for (const [language, heading, message] of [
      ['en', "This payment link can't be used", 'This shop sells no such product.'],
      ['zh-CN', '此付款链接无法使用', '商品不存在。'],
      ['zh-TW', '此付款連結無法使用', '商品不存在。'],
    ]) {
      const page = await open('/pay/no-such-thing', language);
      expect(page.status).toBe(404);
      expectStrictPolicy(page);
      expect(textOf(one(page.document, 'h1'))).toBe(heading);
      expect(textOf(one(page.document, 'main'))).toContain(message);
      expect(all(page.document, 'codepay-checkout')).toHaveLength(0);
      expect(all(page.document, 'script')).toHaveLength(0);
    }
  });

  it('does not repeat what a stranger wrote into the link', async () => {
    const page = await open(`/pay/${encodeURIComponent('Send ¥500 to 12345 instead')}`);
    expect(page.status).toBe(404);
    expect(page.html).not.toContain('12345');
  });
});

describe('an open amount: /pay?price=', () => {
  it('is honoured within the price policy, as the widget price the signer then takes', async () => {
    const page = await open('/pay?price=12.5', 'en');
    expect(page.status).toBe(200);
    expectStrictPolicy(page);
    expect(textOf(one(page.document, 'h1'))).toBe('Payment');
    expect(textOf(one(page.document, 'main'))).toContain('¥12.50');
    const widget = one(page.document, 'codepay-checkout');
    expect(attr(widget, 'price')).toBe('12.50');
    expect(attr(widget, 'product')).toBeUndefined();
    const order = await postJson(`${stack.url}/api/orders`, { price: attr(widget, 'price') });
    expect(order.status).toBe(201);
  });

  it.each([
    ['100.01', 422, 'PRICE_NOT_ALLOWED', 'The amount is outside what this shop accepts.'],
    ['0.99', 422, 'PRICE_NOT_ALLOWED', 'The amount is outside what this shop accepts.'],
    ['abc', 400, 'INVALID_PRICE', 'like "9.90"'],
    ['1.001', 400, 'INVALID_PRICE', 'like "9.90"'],
    ['-5', 400, 'INVALID_PRICE', 'like "9.90"'],
  ])('price=%s is refused with %i, the refusal the order API gives', async (price, status, code, message) => {
    const page = await open(`/pay?price=${encodeURIComponent(price)}`, 'en');
    expect(page.status).toBe(status);
    expectStrictPolicy(page);
    expect(textOf(one(page.document, 'h1'))).toBe("This payment link can't be used");
    expect(textOf(one(page.document, 'main'))).toContain(message);
    expect(all(page.document, 'codepay-checkout')).toHaveLength(0);
    const order = await postJson(`${stack.url}/api/orders`, { price });
    expect([order.status, order.body.error.code]).toEqual([status, code]);
  });

  it('refuses in Chinese for a Chinese browser', async () => {
    const page = await open('/pay?price=500', 'zh-CN');
    expect(page.status).toBe(422);
    expect(textOf(one(page.document, 'main'))).toContain('该金额不在本店接受的范围内。');
  });

  it('two prices in one link, or none, are refused', async () => {
    expect((await open('/pay?price=1&price=2')).status).toBe(400);
    const bare = await open('/pay');
    expect(bare.status).toBe(404);
    expectStrictPolicy(bare);
  });
});

describe('the links', () => {
  it('productLinks lists each product at PUBLIC_URL/pay/<id>, and each opens its page', async () => {
    const links = productLinks(stack.signer.publicUrl, stack.config.pricePolicy.products);
    expect(links).toEqual([
      { id: 'tea', name: 'Green tea', price: '9.90', url: `${stack.url}/pay/tea` },
      { id: 'evil', name: HOSTILE_PRODUCT, price: '1.00', url: `${stack.url}/pay/evil` },
    ]);
    for (const link of links) {
      const page = await open(new URL(link.url).pathname);
      expect(textOf(one(page.document, 'h1'))).toBe(link.name);
    }
  });

  describe('of a signer mounted under a path of the shop', () => {
    let server: Server;
    let signer: Signer;
    let dataDir: string;
    let shop: string;
    let config: Config;
    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'codepay-links-'));
      const app = new Koa();
      app.use(mount('/shop', (ctx, next) => signer.middleware(ctx, next)));
      server = createServer(app.callback());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      shop = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: `${shop}/shop` }, dataDir);
      signer = await createSigner(config, { log: createLogger({ secrets: [], write: () => {} }) });
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
      await signer.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('links under the path, whose page loads the widget from under it', async () => {
      const [tea] = productLinks(signer.publicUrl, config.pricePolicy.products);
      expect(tea.url).toBe(`${shop}/shop/pay/tea`);
      const page = await open('/shop/pay/tea', 'en', shop);
      expect(page.status).toBe(200);
      const src = attr(one(page.document, 'script'), 'src')!;
      expect(src).toBe('/shop/codepay-checkout.js');
      expect((await fetch(new URL(src, tea.url))).status).toBe(200);
    });
  });
});

describe('MERCHANT_NAME', () => {
  const load = (name: string) => loadConfig({ MERCHANT_NAME: name, DATA_DIR: tmpdir() }, tmpdir());

  it('is optional, trimmed, shown as written', () => {
    expect(load('').merchantName).toBeNull();
    expect(load('  茶铺 Tea & Co  ').merchantName).toBe('茶铺 Tea & Co');
  });

  it.each([
    ['two lines', 'Tea\nCo'],
    ['a control character', 'Tea\u0007Co'],
    ['65 characters', 'x'.repeat(65)],
  ])('refuses %s, naming the setting', (_, name) => {
    expect(() => load(name)).toThrow(ConfigError);
    expect(() => load(name)).toThrow(/^MERCHANT_NAME: /);
  });

  it('counts characters, not UTF-16 units: 64 of them in Chinese or emoji pass', () => {
    expect(load('茶'.repeat(64)).merchantName).toHaveLength(64);
    expect([...load('🍵'.repeat(64)).merchantName!]).toHaveLength(64);
  });

  it('a page without it names no merchant', async () => {
    const plain = await startStack();
    try {
      const page = await open('/pay/tea', 'en', plain.url);
      expect(page.status).toBe(200);
      expect(all(page.document, 'p').filter((p) => attr(p, 'class') === 'merchant')).toHaveLength(0);
      expect(textOf(one(page.document, 'main'))).not.toContain('Pay to');
    } finally {
      await plain.stop({ removeData: true });
    }
  });
});
