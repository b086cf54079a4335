import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, gatewaySecrets, loadConfig } from './config.ts';
import { SANDBOX_VMQ_KEY } from './sandbox/credentials.ts';
import { EPAY_SANDBOX_KEY, EPAY_SANDBOX_PID } from './sandbox/epay/credentials.ts';

const cwd = mkdtempSync(join(tmpdir(), 'codepay-config-'));
const load = (env: Record<string, string>) => loadConfig(env, cwd);
const REAL = {
  CODEPAY_GATEWAY: 'https://codepay.fateqq.com:51888/creat_order/',
  CODEPAY_ID: '12345',
  CODEPAY_KEY: 'merchant-key-123',
  PUBLIC_URL: 'https://pay.example.com',
};

function refusal(env: Record<string, string>): string {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('loadConfig', () => {
  it('defaults to the sandbox with any amount allowed and the demo products', () => {
    const config = load({});
    expect(config.gateway).toMatchObject({ provider: 'codepay', kind: 'sandbox', merchantId: '10001' });
    expect(config.pricePolicy.products.get('tea')).toEqual({ name: 'Green tea · 绿茶', price: 990 });
    expect(config.port).toBe(8787);
    expect(config.host).toBe('127.0.0.1');
    expect(config.pricePolicy.openAmount).toEqual({ min: 1, max: 9_999_999 });
    expect(config.channels).toEqual([1, 2, 3]);
  });

  it('a real gateway needs id, key, public URL and a price policy', () => {
    expect(refusal({ ...REAL, CODEPAY_ID: '' })).toMatch(/^CODEPAY_ID: /);
    expect(refusal({ ...REAL, CODEPAY_KEY: '' })).toMatch(/^CODEPAY_KEY: /);
    expect(refusal({ ...REAL, PUBLIC_URL: '' })).toMatch(/^PUBLIC_URL: /);
    expect(refusal(REAL)).toMatch(/^PRODUCTS: .*price policy/);
    expect(load({ ...REAL, PRICE_MIN: '1', PRICE_MAX: '500' }).pricePolicy.openAmount).toEqual({
      min: 100,
      max: 50_000,
    });
  });

  it('chooses the provider by GATEWAY (default codepay), a real one by its URL', () => {
    expect(load({ GATEWAY: 'codepay' }).gateway.kind).toBe('sandbox');
    expect(load({ ...REAL, PRODUCTS: '{"a":{"name":"A","price":"1"}}' }).gateway).toEqual({
      provider: 'codepay',
      kind: 'remote',
      url: REAL.CODEPAY_GATEWAY,
      ispayUrl: 'https://codepay.fateqq.com:51888/ispay',
      merchantId: REAL.CODEPAY_ID,
      merchantKey: REAL.CODEPAY_KEY,
      merchantToken: null,
    });
  });

  it('GATEWAY=vmq: VMQ_URL and VMQ_KEY, or the V免签 sandbox with its test key; Alipay and WeChat only', () => {
    const sandbox = load({ GATEWAY: 'vmq' });
    expect(sandbox.gateway).toEqual({ provider: 'vmq', kind: 'sandbox', merchantKey: SANDBOX_VMQ_KEY });
    expect(sandbox.channels).toEqual([1, 3]);
    expect(load({ GATEWAY: 'vmq', VMQ_KEY: 'my-own-key' }).gateway).toMatchObject({ merchantKey: 'my-own-key' });
    const real = {
      GATEWAY: 'vmq',
      VMQ_URL: 'https://vmq.example.com/',
      VMQ_KEY: 'vmq-key-123456',
      PUBLIC_URL: REAL.PUBLIC_URL,
      PRODUCTS: '{"a":{"name":"A","price":"1.00"}}',
    };
    expect(load(real).gateway).toEqual({
      provider: 'vmq',
      kind: 'remote',
      url: 'https://vmq.example.com/',
      merchantKey: 'vmq-key-123456',
    });
    expect(load({ ...real, CHANNELS: 'wechat' }).channels).toEqual([3]);
    expect(refusal({ ...real, VMQ_KEY: '' })).toBe('VMQ_KEY: is required with a V免签 server (VMQ_URL)');
    expect(refusal({ ...real, VMQ_KEY: 'short' })).toBe('VMQ_KEY: must be 6 to 100 characters long');
    expect(refusal({ ...real, VMQ_URL: 'vmq.example.com' })).toBe(
      'VMQ_URL: must be an http(s) URL, got "vmq.example.com"',
    );
    expect(refusal({ ...real, PUBLIC_URL: '' })).toMatch(/^PUBLIC_URL: /);
    expect(refusal({ ...real, CHANNELS: 'alipay,qqpay' })).toBe('CHANNELS: "qqpay" is not a channel vmq takes');
    expect(gatewaySecrets(load(real).gateway)).toContain('vmq-key-123456');
  });

  it('reads products inline or from a file', () => {
    const inline = load({ PRODUCTS: '{"ebook":{"name":"E-book","price":"9.90"}}' });
    expect(inline.pricePolicy.products.get('ebook')).toEqual({ name: 'E-book', price: 990 });
    expect(inline.pricePolicy.openAmount).toBeNull();
    writeFileSync(join(cwd, 'products.json'), '{"vip":{"name":"VIP","price":30}}');
    expect(load({ PRODUCTS: 'products.json' }).pricePolicy.products.get('vip')).toEqual({ name: 'VIP', price: 3000 });
  });

  it('names the setting in one line for each malformed value', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PORT: 'eighty' }, /^PORT: /],
      [{ PORT: '70000' }, /^PORT: /],
      [{ CODEPAY_GATEWAY: 'ftp://x' }, /^CODEPAY_GATEWAY: /],
      [{ PRICE_MIN: '0' }, /^PRICE_MIN: /],
      [{ PRICE_MIN: '10', PRICE_MAX: '5' }, /^PRICE_MIN: /],
      [{ PRICE_MAX: '1.234' }, /^PRICE_MAX: /],
      [{ PRODUCTS: '{"a": {"name": "A", "price": "-1"}}' }, /^PRODUCTS: /],
      [{ PRODUCTS: '{oops' }, /^PRODUCTS: /],
      [{ PRODUCTS: 'missing.json' }, /^PRODUCTS: /],
      [{ CHANNELS: 'paypal' }, /^CHANNELS: /],
      [{ ALLOWED_ORIGINS: 'https://shop.example.com/path' }, /^ALLOWED_ORIGINS: /],
      [{ API_SECRET: 'short' }, /^API_SECRET: /],
      [{ CODEPAY_KEY: 'abc' }, /^CODEPAY_KEY: /],
      [{ SANDBOX_RETRY_SCHEDULE: '1,x' }, /^SANDBOX_RETRY_SCHEDULE: /],
      [{ MONEY_TOLERANCE_BELOW: '-0.10' }, /^MONEY_TOLERANCE_BELOW: /],
      [{ MONEY_TOLERANCE_ABOVE: '0.001' }, /^MONEY_TOLERANCE_ABOVE: /],
      [{ OPEN_ORDERS_PER_CLIENT: '0' }, /^OPEN_ORDERS_PER_CLIENT: /],
      [{ OPEN_ORDERS_TOTAL: 'many' }, /^OPEN_ORDERS_TOTAL: /],
      [{ TRUST_PROXY: 'yes' }, /^TRUST_PROXY: /],
      [{ TRUST_PROXY: '11' }, /^TRUST_PROXY: /],
      [{ TRUST_PROXY: '10.0.0.0/33' }, /^TRUST_PROXY: /],
      [{ TRUST_PROXY: '127.0.0.1, nginx.local' }, /^TRUST_PROXY: /],
      [{ GATEWAY: 'paypal' }, /^GATEWAY: unknown gateway "paypal" \(use codepay(, [a-z]+)*\)$/],
    ];
    for (const [env, expected] of cases) {
      const message = refusal(env);
      expect(message).toMatch(expected);
      expect(message).not.toContain('\n');
    }
  });

  it('bounds the amount the gateway may ask (0.10 each way) and the open orders (10 a client, 1000 in all) by default', () => {
    expect(load({})).toMatchObject({
      moneyTolerance: { below: 10, above: 10 },
      openOrderLimits: { perClient: 10, total: 1000 },
    });
    // CodePay's app set to "少1元 多0元": up to 1.00 less, never more.
    expect(load({ MONEY_TOLERANCE_BELOW: '1', MONEY_TOLERANCE_ABOVE: '0' }).moneyTolerance).toEqual({
      below: 100,
      above: 0,
    });
  });

  it('reads TRUST_PROXY as a hop count (1 and true: one proxy) or a list of proxy addresses and networks', () => {
    expect(
      [{ TRUST_PROXY: '' }, { TRUST_PROXY: '0' }, { TRUST_PROXY: 'false' }].map((env) => load(env).trustProxy),
    ).toEqual([{ hops: 0 }, { hops: 0 }, { hops: 0 }]);
    expect(
      [{ TRUST_PROXY: '1' }, { TRUST_PROXY: 'true' }, { TRUST_PROXY: '2' }].map((env) => load(env).trustProxy),
    ).toEqual([{ hops: 1 }, { hops: 1 }, { hops: 2 }]);
    const listed = load({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,fd00::/8' }).trustProxy;
    expect('proxies' in listed).toBe(true);
    if (!('proxies' in listed)) return;
    expect([
      listed.proxies.check('127.0.0.1'),
      listed.proxies.check('10.200.0.1'),
      listed.proxies.check('fd12::1', 'ipv6'),
    ]).toEqual([true, true, true]);
    expect([
      listed.proxies.check('127.0.0.2'),
      listed.proxies.check('11.0.0.1'),
      listed.proxies.check('fe80::1', 'ipv6'),
    ]).toEqual([false, false, false]);
  });

  it('never puts the key in an error message', () => {
    expect(refusal({ ...REAL, CODEPAY_ID: 'x' })).not.toContain(REAL.CODEPAY_KEY);
  });

  it('reads .env, with the environment winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codepay-dotenv-'));
    writeFileSync(join(dir, '.env'), '# comment\nPORT=9000\nexport CHANNELS="wechat"\nHOST=0.0.0.0\n');
    const config = loadConfig({ HOST: '127.0.0.2' }, dir);
    expect(config.port).toBe(9000);
    expect(config.channels).toEqual([3]);
    expect(config.host).toBe('127.0.0.2');
  });
});

const EPAY = {
  GATEWAY: 'epay',
  EPAY_URL: 'https://pay.example.net/',
  EPAY_PID: '1001',
  EPAY_KEY: '89unJUB8HZ54Hj7x4nUj56HN4nUzUJ8i',
  PUBLIC_URL: 'https://shop.example.com',
  PRICE_MIN: '1',
  PRICE_MAX: '500',
};

describe('GATEWAY=epay', () => {
  it('without EPAY_URL runs the epay sandbox with its documented test merchant', () => {
    expect(load({ GATEWAY: 'epay' }).gateway).toEqual({
      provider: 'epay',
      kind: 'sandbox',
      merchantId: EPAY_SANDBOX_PID,
      merchantKey: EPAY_SANDBOX_KEY,
      retrySchedule: undefined,
    });
    expect(load({ GATEWAY: 'EPAY', SANDBOX_RETRY_SCHEDULE: '1,2' }).gateway).toMatchObject({ retrySchedule: [1, 2] });
    expect(load({ GATEWAY: 'epay', EPAY_PID: '77', EPAY_KEY: 'own-test-key' }).gateway).toMatchObject({
      kind: 'sandbox',
      merchantId: '77',
      merchantKey: 'own-test-key',
    });
  });

  it('with EPAY_URL talks to that site as the merchant EPAY_PID with EPAY_KEY', () => {
    expect(load(EPAY).gateway).toEqual({
      provider: 'epay',
      kind: 'remote',
      url: 'https://pay.example.net/',
      merchantId: '1001',
      merchantKey: EPAY.EPAY_KEY,
    });
    expect(load({ ...EPAY, EPAY_URL: 'https://example.net/epay' }).gateway).toMatchObject({
      url: 'https://example.net/epay',
    });
  });

  it('refuses an incomplete or malformed setting with one line naming it', () => {
    const lines = [
      refusal({ ...EPAY, EPAY_PID: '' }),
      refusal({ ...EPAY, EPAY_KEY: '' }),
      refusal({ ...EPAY, PUBLIC_URL: '' }),
      refusal({ ...EPAY, EPAY_URL: 'ftp://pay.example.net/' }),
      refusal({ ...EPAY, EPAY_URL: 'https://pay.example.net/mapi.php' }),
      refusal({ ...EPAY, EPAY_URL: 'https://pay.example.net/?s=1' }),
      refusal({ ...EPAY, EPAY_PID: 'abc' }),
      refusal({ ...EPAY, EPAY_KEY: 'short' }),
      refusal({ ...EPAY, GATEWAY: 'alipay' }),
    ];
    expect(lines.map((line) => line.slice(0, line.indexOf(':')))).toEqual([
      'EPAY_PID',
      'EPAY_KEY',
      'PUBLIC_URL',
      'EPAY_URL',
      'EPAY_URL',
      'EPAY_URL',
      'EPAY_PID',
      'EPAY_KEY',
      'GATEWAY',
    ]);
    expect(lines[0]).toBe('EPAY_PID: is required with a real epay site (EPAY_URL)');
    expect(lines.at(-1)).toMatch(/^GATEWAY: unknown gateway "alipay" \(use codepay, (.+, )?epay\b.*\)$/);
    for (const line of lines) {
      expect(line).not.toContain('\n');
      expect(line).not.toContain(EPAY.EPAY_KEY);
    }
  });

  it('masks EPAY_KEY in the log', () => {
    expect(gatewaySecrets(load(EPAY).gateway)).toContain(EPAY.EPAY_KEY);
  });
});
