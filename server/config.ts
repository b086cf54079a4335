/**
 * Configuration from the environment (and an optional .env file), validated once at start-up.
 * Every problem is a ConfigError whose message is one line naming the setting.
 */
import { readFileSync, existsSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { resolve } from 'node:path';
import { CHANNELS, type Channel } from '../shared/api.ts';
import { formatCents, inGatewayRange, parseAmount, MIN_CENTS, MAX_CENTS, type Cents } from '../shared/money.ts';
import { parsePasswordHash, type PasswordHash } from './admin/password.ts';
import type { ProxyTrust } from './http/client-address.ts';
import { UNSAFE_TEXT, type PricePolicy, type Product } from './orders/request.ts';
import {
  parseRetrySchedule,
  SANDBOX_DEMO_PRODUCTS,
  SANDBOX_MERCHANT_ID,
  SANDBOX_MERCHANT_KEY,
  SANDBOX_MERCHANT_TOKEN,
} from './sandbox/index.ts';

export class ConfigError extends Error {}

/** The gateway protocols the signer speaks (GATEWAY); each is a provider with its own sandbox. */
export const GATEWAYS = ['codepay'] as const;
export type GatewayName = (typeof GATEWAYS)[number];

/** The CodePay merchant: CODEPAY_ID, CODEPAY_KEY, and the plain CODEPAY_TOKEN that ispay takes. */
export interface CodepayMerchant {
  merchantId: string;
  merchantKey: string;
  merchantToken: string | null;
}

/**
 * The merchant's gateway: a real one (`remote`), or the provider's built-in sandbox, mounted at
 * /sandbox, whose payments are simulated.
 */
export type GatewayConfig =
  | (CodepayMerchant & {
      provider: 'codepay';
      kind: 'remote';
      /** The creat_order URL. */
      url: string;
      /** The gateway's order status query (ispay); null where the gateway has none. */
      ispayUrl: string | null;
    })
  | (CodepayMerchant & {
      provider: 'codepay';
      kind: 'sandbox';
      /** Seconds between the sandbox's notify re-sends (SANDBOX_RETRY_SCHEDULE). */
      retrySchedule: number[] | undefined;
      /** How far (cents) the sandbox may shift an amount from its price, each way (SANDBOX_MONEY_SPAN). */
      moneySpanCents: number | undefined;
    });

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** postgres://… to keep orders in PostgreSQL (several signers may share it); null: SQLite in dataDir. */
  databaseUrl: string | null;
  /** The signer's public base URL, from which notify_url is made; null: the listening address. */
  publicUrl: string | null;
  gateway: GatewayConfig;
  channels: Channel[];
  pricePolicy: PricePolicy;
  /** Origins allowed to call the API from a browser, besides the signer's own; '*' allows any. */
  allowedOrigins: string[];
  apiSecret: string | null;
  /** Seconds a QR code stays payable (CodePay's outTime). */
  orderTtlSeconds: number;
  gatewayTimeoutMs: number;
  /** Public order creations allowed per client address per minute. */
  rateLimitPerMinute: number;
  /** How far (cents) the amount the gateway asks may lie below and above the price; further fails the order. */
  moneyTolerance: { below: Cents; above: Cents };
  /** Public orders open at once (not yet paid, failed or expired), per client address and in all. */
  openOrderLimits: { perClient: number; total: number };
  /** The reverse proxies in front of the signer, whose X-Forwarded-For entries say who the client is. */
  trustProxy: ProxyTrust;
  /** The merchant's webhook: signed JSON events from a durable outbox; null for none. */
  webhook: { url: string; secret: string } | null;
  /** The first wait before a failed event is sent again; it doubles each time, for three days. */
  webhookRetryBaseMs: number;
  /** Seconds between reconciliation passes over pending and recently expired orders; 0: off. */
  reconcileIntervalSeconds: number;
  /** Where the buyer lands after paying (the gateway's return_url goes through /api/return). */
  returnUrls: { success: string; failure: string } | null;
  /** The shop's name on the payment link pages (MERCHANT_NAME); null: they show none. */
  merchantName: string | null;
  /** Event streams: how many one client address and the process may hold, and for how long (seconds). */
  streams: { perClient: number; total: number; maxAgeSeconds: number };
  /** Seconds a client may take to send a request's headers and body. */
  requestTimeoutSeconds: number;
  /** The merchant's console at /admin: its password's hash (ADMIN_PASSWORD_HASH); null: the console is off. */
  adminPasswordHash: PasswordHash | null;
}

type Env = Record<string, string | undefined>;

/** Reads KEY=VALUE lines; the real environment wins over the file. */
export function readDotEnv(path: string): Env {
  if (!existsSync(path)) return {};
  const env: Env = {};
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    env[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}

function fail(name: string, problem: string): never {
  throw new ConfigError(`${name}: ${problem}`);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
    fail(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  return Number(raw);
}

function httpUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail(name, `must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(name, `must be an http(s) URL, got "${raw}"`);
  return url.href;
}

function amount(name: string, raw: string): Cents {
  const cents = parseAmount(raw);
  if (cents === undefined || !inGatewayRange(cents))
    fail(name, `must be an amount from 0.01 to 99999.99 with at most two decimals, got "${raw}"`);
  return cents;
}

/** An amount from 0 up (how far an amount may move from the price), or undefined when unset. */
function shift(env: Env, name: string): Cents | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const cents = parseAmount(raw);
  if (cents === undefined || cents > MAX_CENTS) {
    fail(name, `must be an amount from 0 to 99999.99 with at most two decimals, got "${raw}"`);
  }
  return cents;
}

const CHANNEL_WORDS: Record<string, Channel> = {
  '1': 1,
  alipay: 1,
  '2': 2,
  qqpay: 2,
  qq: 2,
  '3': 3,
  wechat: 3,
  wxpay: 3,
};

function channels(raw: string | undefined): Channel[] {
  if (!raw) return [...CHANNELS];
  const chosen = raw
    .split(',')
    .map((word) => word.trim().toLowerCase())
    .filter(Boolean)
    .map((word) => {
      const channel = CHANNEL_WORDS[word];
      if (!channel) fail('CHANNELS', `unknown channel "${word}" (use alipay, qqpay, wechat or 1, 2, 3)`);
      return channel;
    });
  if (chosen.length === 0) fail('CHANNELS', 'names no channel');
  return [...new Set(chosen)];
}

/** PRODUCTS: inline JSON or a path to a JSON file: {"id": {"name": "…", "price": "9.90"}}. */
function products(raw: string | undefined, cwd: string): Map<string, Product> {
  const catalogue = new Map<string, Product>();
  if (!raw) return catalogue;
  let text = raw.trim();
  if (!text.startsWith('{')) {
    const path = resolve(cwd, text);
    if (!existsSync(path)) fail('PRODUCTS', `is neither inline JSON nor an existing file: "${raw}"`);
    text = readFileSync(path, 'utf8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    fail('PRODUCTS', 'is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    fail('PRODUCTS', 'must be a JSON object of product id to {name, price}');
  for (const [id, entry] of Object.entries(parsed)) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(id))
      fail('PRODUCTS', `product id "${id}" must be 1 to 64 letters, digits, '_', '.' or '-'`);
    const { name, price } = (entry ?? {}) as { name?: unknown; price?: unknown };
    if (typeof name !== 'string' || name.trim() === '') fail('PRODUCTS', `product "${id}" needs a name`);
    const cents = parseAmount(price);
    if (cents === undefined || !inGatewayRange(cents))
      fail('PRODUCTS', `product "${id}" needs a price from 0.01 to 99999.99, got ${JSON.stringify(price)}`);
    catalogue.set(id, { name, price: cents });
  }
  return catalogue;
}

function pricePolicy(env: Env, sandbox: boolean, cwd: string): PricePolicy {
  const catalogue = products(env.PRODUCTS, cwd);
  const hasRange = Boolean(env.PRICE_MIN || env.PRICE_MAX);
  if (!hasRange && catalogue.size === 0) {
    if (!sandbox) fail('PRODUCTS', 'a real gateway needs a price policy: set PRODUCTS and/or PRICE_MIN and PRICE_MAX');
    // The sandbox out of the box: the demo page's products, and any amount the gateway takes.
    return {
      products: products(JSON.stringify(SANDBOX_DEMO_PRODUCTS), cwd),
      openAmount: { min: MIN_CENTS, max: MAX_CENTS },
    };
  }
  if (!hasRange) return { products: catalogue, openAmount: null };
  const min = env.PRICE_MIN ? amount('PRICE_MIN', env.PRICE_MIN) : MIN_CENTS;
  const max = env.PRICE_MAX ? amount('PRICE_MAX', env.PRICE_MAX) : MAX_CENTS;
  if (min > max) fail('PRICE_MIN', `(${formatCents(min)}) is above PRICE_MAX (${formatCents(max)})`);
  return { products: catalogue, openAmount: { min, max } };
}

function origins(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      if (entry === '*') return entry;
      try {
        const url = new URL(entry);
        if (url.origin === 'null' || url.href.replace(/\/$/, '') !== url.origin) throw new Error();
        return url.origin;
      } catch {
        return fail('ALLOWED_ORIGINS', `"${entry}" is not an origin like https://shop.example.com`);
      }
    });
}

function retrySchedule(raw: string | undefined): number[] | undefined {
  if (!raw) return undefined;
  try {
    return parseRetrySchedule(raw);
  } catch {
    return fail('SANDBOX_RETRY_SCHEDULE', `must be seconds separated by commas, got "${raw}"`);
  }
}

const MAX_PROXY_HOPS = 10;

/** `1`, `true` (one proxy), `0`, `false` or unset (none), a hop count, or `127.0.0.1, 10.0.0.0/8, ::1`. */
function proxyTrust(raw: string | undefined): ProxyTrust {
  const text = (raw ?? '').trim().toLowerCase();
  if (text === '' || text === 'false') return { hops: 0 };
  if (text === 'true') return { hops: 1 };
  if (/^\d+$/.test(text)) {
    if (Number(text) > MAX_PROXY_HOPS) {
      fail('TRUST_PROXY', `must be a hop count from 0 to ${MAX_PROXY_HOPS} or a list of proxy addresses, got "${raw}"`);
    }
    return { hops: Number(text) };
  }
  const proxies = new BlockList();
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    const validPrefix = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    const valid = family !== 0 && extra === undefined && validPrefix;
    if (!valid) fail('TRUST_PROXY', `"${entry}" is neither a hop count nor an IP address or network like 10.0.0.0/8`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) proxies.addAddress(address, type);
    else proxies.addSubnet(address, Number(prefix), type);
  }
  return { proxies };
}

function databaseUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  if (!/^postgres(ql)?:\/\/./.test(raw))
    fail('DATABASE_URL', 'must be a postgres:// URL (leave it unset for SQLite in DATA_DIR)');
  return raw;
}

function webhook(env: Env): Config['webhook'] {
  if (!env.MERCHANT_WEBHOOK_URL) {
    if (env.MERCHANT_WEBHOOK_SECRET) fail('MERCHANT_WEBHOOK_URL', 'is needed when MERCHANT_WEBHOOK_SECRET is set');
    return null;
  }
  const url = httpUrl('MERCHANT_WEBHOOK_URL', env.MERCHANT_WEBHOOK_URL);
  const secret = env.MERCHANT_WEBHOOK_SECRET ?? '';
  if (secret.length < 16)
    fail('MERCHANT_WEBHOOK_SECRET', 'must be at least 16 characters long (it signs every webhook)');
  return { url, secret };
}

/** CodePay serves ispay beside creat_order: https://host:port/creat_order/ -> https://host:port/ispay */
function ispayUrl(env: Env, gatewayUrl: string): string | null {
  if (env.CODEPAY_ISPAY_URL === 'off') return null;
  if (env.CODEPAY_ISPAY_URL) return httpUrl('CODEPAY_ISPAY_URL', env.CODEPAY_ISPAY_URL);
  const url = new URL(gatewayUrl);
  url.pathname = url.pathname.replace(/creat_order\/?$/, 'ispay');
  url.search = '';
  return url.pathname.endsWith('/ispay') ? url.href : null;
}

function returnUrls(env: Env): Config['returnUrls'] {
  if (!env.RETURN_SUCCESS_URL && !env.RETURN_FAILURE_URL) return null;
  if (!env.RETURN_SUCCESS_URL) fail('RETURN_SUCCESS_URL', 'is needed when RETURN_FAILURE_URL is set');
  const success = httpUrl('RETURN_SUCCESS_URL', env.RETURN_SUCCESS_URL);
  return { success, failure: env.RETURN_FAILURE_URL ? httpUrl('RETURN_FAILURE_URL', env.RETURN_FAILURE_URL) : success };
}

const MERCHANT_NAME_LENGTH = 64;

/** Shown to buyers as it is written (escaped): one line of visible text, not too long for a phone. */
function merchantName(raw: string | undefined): string | null {
  const name = raw?.trim();
  if (!name) return null;
  if (UNSAFE_TEXT.test(name)) fail('MERCHANT_NAME', 'must be one line of text, without control characters');
  if ([...name].length > MERCHANT_NAME_LENGTH)
    fail('MERCHANT_NAME', `must be at most ${MERCHANT_NAME_LENGTH} characters long`);
  return name;
}

function gatewayName(raw: string | undefined): GatewayName {
  const name = (raw || 'codepay').trim().toLowerCase();
  if (!GATEWAYS.includes(name as GatewayName)) fail('GATEWAY', `unknown gateway "${raw}" (use ${GATEWAYS.join(', ')})`);
  return name as GatewayName;
}

/** CodePay: a real gateway with CODEPAY_GATEWAY, else the sandbox with its documented test merchant. */
function codepayGateway(env: Env): GatewayConfig {
  const url = env.CODEPAY_GATEWAY ? httpUrl('CODEPAY_GATEWAY', env.CODEPAY_GATEWAY) : null;
  const sandbox = url === null;
  const merchantId =
    env.CODEPAY_ID ||
    (sandbox ? SANDBOX_MERCHANT_ID : fail('CODEPAY_ID', 'is required with a real gateway (CODEPAY_GATEWAY)'));
  if (!/^\d{1,20}$/.test(merchantId)) fail('CODEPAY_ID', 'must be the numeric CodePay merchant id');
  const merchantKey =
    env.CODEPAY_KEY ||
    (sandbox ? SANDBOX_MERCHANT_KEY : fail('CODEPAY_KEY', 'is required with a real gateway (CODEPAY_GATEWAY)'));
  if (merchantKey.length < 6 || merchantKey.length > 100) fail('CODEPAY_KEY', 'must be 6 to 100 characters long');
  const merchant = { provider: 'codepay' as const, merchantId, merchantKey };
  if (url === null) {
    const merchantToken = env.CODEPAY_TOKEN || (env.CODEPAY_KEY ? null : SANDBOX_MERCHANT_TOKEN);
    return {
      ...merchant,
      kind: 'sandbox',
      merchantToken,
      retrySchedule: retrySchedule(env.SANDBOX_RETRY_SCHEDULE),
      moneySpanCents: shift(env, 'SANDBOX_MONEY_SPAN'),
    };
  }
  return { ...merchant, kind: 'remote', url, ispayUrl: ispayUrl(env, url), merchantToken: env.CODEPAY_TOKEN || null };
}

/** The hash never appears in the message: it is as good as the password to an offline guess. */
function adminPasswordHash(raw: string | undefined): PasswordHash | null {
  if (!raw) return null;
  return (
    parsePasswordHash(raw) ??
    fail(
      'ADMIN_PASSWORD_HASH',
      'is not a scrypt hash as `npm run admin -- password` writes it (scrypt$N$r$p$salt$hash)',
    )
  );
}

/** The secrets of a gateway's settings, to mask in every log line. */
export function gatewaySecrets(gateway: GatewayConfig): string[] {
  return [gateway.merchantKey, gateway.merchantToken ?? ''];
}

/** Each gateway's settings; adding a provider adds its reader here. */
const GATEWAY_SETTINGS: Record<GatewayName, (env: Env) => GatewayConfig> = { codepay: codepayGateway };

export function loadConfig(processEnv: Env = process.env, cwd = process.cwd()): Config {
  const env: Env = { ...readDotEnv(resolve(cwd, '.env')), ...processEnv };
  const gateway = GATEWAY_SETTINGS[gatewayName(env.GATEWAY)](env);
  const sandbox = gateway.kind === 'sandbox';
  const apiSecret = env.API_SECRET || null;
  if (apiSecret !== null && apiSecret.length < 16) fail('API_SECRET', 'must be at least 16 characters long');
  const publicUrl = env.PUBLIC_URL ? httpUrl('PUBLIC_URL', env.PUBLIC_URL).replace(/\/+$/, '') : null;
  if (!sandbox && publicUrl === null)
    fail('PUBLIC_URL', 'is required with a real gateway: the gateway must reach PUBLIC_URL/api/notify');
  return {
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 8787, 0, 65535),
    dataDir: resolve(cwd, env.DATA_DIR || 'data'),
    databaseUrl: databaseUrl(env.DATABASE_URL),
    publicUrl,
    gateway,
    channels: channels(env.CHANNELS),
    pricePolicy: pricePolicy(env, sandbox, cwd),
    allowedOrigins: origins(env.ALLOWED_ORIGINS),
    apiSecret,
    orderTtlSeconds: integer(env, 'ORDER_TTL', 360, 1, 86_400),
    gatewayTimeoutMs: integer(env, 'GATEWAY_TIMEOUT_MS', 10_000, 100, 120_000),
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 30, 1, 1_000_000),
    moneyTolerance: {
      below: shift(env, 'MONEY_TOLERANCE_BELOW') ?? 10,
      above: shift(env, 'MONEY_TOLERANCE_ABOVE') ?? 10,
    },
    openOrderLimits: {
      perClient: integer(env, 'OPEN_ORDERS_PER_CLIENT', 10, 1, 1_000_000),
      total: integer(env, 'OPEN_ORDERS_TOTAL', 1000, 1, 10_000_000),
    },
    trustProxy: proxyTrust(env.TRUST_PROXY),
    webhook: webhook(env),
    webhookRetryBaseMs: integer(env, 'WEBHOOK_RETRY_BASE_MS', 10_000, 1, 3_600_000),
    reconcileIntervalSeconds: integer(env, 'RECONCILE_INTERVAL', 30, 0, 86_400),
    returnUrls: returnUrls(env),
    merchantName: merchantName(env.MERCHANT_NAME),
    streams: {
      perClient: integer(env, 'SSE_MAX_PER_CLIENT', 100, 1, 1_000_000),
      total: integer(env, 'SSE_MAX_STREAMS', 10_000, 1, 1_000_000),
      maxAgeSeconds: integer(env, 'SSE_MAX_AGE', 900, 1, 86_400),
    },
    requestTimeoutSeconds: integer(env, 'REQUEST_TIMEOUT', 60, 1, 3_600),
    adminPasswordHash: adminPasswordHash(env.ADMIN_PASSWORD_HASH),
  };
}
