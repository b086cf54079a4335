/**
 * The CodePay-compatible sandbox gateway. `createSandbox` builds its routes, a @koa/router router
 * under basePath: the signer serves it at /sandbox through its own middleware chain, and `main.ts`
 * (`npm run sandbox`) serves it alone through the same chain.
 */
import Router from '@koa/router';
import { registerCashierRoutes } from './cashier.ts';
import { registerCodePayControl } from './codepay-control.ts';
import { codepayNotify, DEFAULT_RETRY_SCHEDULE } from './codepay-notify.ts';
import { FaultTable } from './faults.ts';
import { sandboxHandle, type Sandbox } from './handle.ts';
import { registerGatewayRoutes } from './gateway.ts';
import { inProcessTransport } from './in-process.ts';
import { Notifier } from './notifier.ts';
import type { SandboxLog } from './log.ts';
import type { Runtime } from './runtime.ts';
import { SandboxState } from './state.ts';

export { SANDBOX_MERCHANT_ID, SANDBOX_MERCHANT_KEY, SANDBOX_MERCHANT_TOKEN } from './credentials.ts';
export { SANDBOX_DEMO_PRODUCTS } from './demo-catalogue.ts';
export { DEFAULT_RETRY_SCHEDULE } from './codepay-notify.ts';
export { parseRetrySchedule } from './notifier.ts';
export type { Faults, CreateOrderFault } from './faults.ts';
export type { NotifyAttempt } from './codepay-notify.ts';
export type { SandboxLog } from './log.ts';
export type { Sandbox } from './handle.ts';

export interface SandboxOptions {
  /** The one merchant this sandbox serves (`id`, digits). */
  merchantId: string;
  /** Its md5 signing key; never printed nor returned. */
  merchantKey: string;
  /** Its plain `token`, accepted instead of `sign`; without it, token requests fail. */
  merchantToken?: string;
  /** Where the app lives, e.g. '/sandbox'; default '' (the root). */
  basePath?: string;
  /**
   * The sandbox's public URL, basePath included (e.g. 'http://192.168.1.20:8787/sandbox'): the QR
   * and page URLs start with it. Default: the request's own `http://<Host header><basePath>`.
   */
  publicBaseUrl?: string;
  /** Where notifies go when an order has no notify_url (CodePay's account setting). */
  defaultNotifyUrl?: string;
  /** Seconds between notify attempts; default DEFAULT_RETRY_SCHEDULE (about a day). */
  retrySchedule?: readonly number[];
  /** How long one notify attempt may take; default 10 s. */
  notifyTimeoutMs?: number;
  /** How far an order's money may move from its price to stay distinct, each way; default 10 cents. */
  moneySpanCents?: number;
  /** The clock, epoch ms; default Date.now. */
  now?: () => number;
  log?: SandboxLog;
}

/**
 * A real gateway shifts the amount by cents to tell open orders of one price apart, within what the
 * merchant allows (CodePay's app: "少1元 多0元", up to 1.00 less, never more), then answers
 * `qrcode too little`. Ten cents each way: 21 buyers of one price at once, within the signer's
 * default tolerance.
 */
const DEFAULT_MONEY_SPAN_CENTS = 10;

function checkOptions(options: SandboxOptions): void {
  if (!/^\d{1,18}$/.test(options.merchantId)) throw new TypeError('createSandbox: merchantId must be digits');
  if (!options.merchantKey) throw new TypeError('createSandbox: merchantKey is required');
  if (options.basePath && !/^(\/[\w.~-]+)+$/.test(options.basePath)) {
    throw new TypeError('createSandbox: basePath must look like "/sandbox" (no trailing slash)');
  }
  for (const [name, url] of [
    ['publicBaseUrl', options.publicBaseUrl],
    ['defaultNotifyUrl', options.defaultNotifyUrl],
  ]) {
    if (url !== undefined && !/^https?:\/\/[^/]/.test(url))
      throw new TypeError(`createSandbox: ${name} must be an http(s) URL`);
  }
  if (options.retrySchedule?.some((seconds) => !Number.isFinite(seconds) || seconds < 0)) {
    throw new TypeError('createSandbox: retrySchedule must be non-negative seconds');
  }
  const span = options.moneySpanCents;
  if (span !== undefined && (!Number.isInteger(span) || span < 0)) {
    throw new TypeError('createSandbox: moneySpanCents must be a non-negative integer');
  }
}

export function createSandbox(options: SandboxOptions): Sandbox {
  checkOptions(options);
  const now = options.now ?? Date.now;
  const log = options.log ?? { info() {}, warn() {}, error() {} };
  const basePath = options.basePath ?? '';
  const faults = new FaultTable();
  const closing = new AbortController();
  const notifier = new Notifier({
    protocol: codepayNotify(options.merchantKey, faults),
    retrySchedule: options.retrySchedule ?? DEFAULT_RETRY_SCHEDULE,
    timeoutMs: options.notifyTimeoutMs ?? 10_000,
    now,
    log,
  });
  const runtime: Runtime = {
    merchantId: options.merchantId,
    merchantKey: options.merchantKey,
    merchantToken: options.merchantToken,
    basePath,
    publicBaseUrl: options.publicBaseUrl?.replace(/\/+$/, ''),
    defaultNotifyUrl: options.defaultNotifyUrl ?? '',
    state: new SandboxState(options.moneySpanCents ?? DEFAULT_MONEY_SPAN_CENTS, now, notifier),
    faults,
    notifier,
    closing: closing.signal,
  };

  const router = new Router(basePath ? { prefix: basePath } : {});
  registerGatewayRoutes(router, runtime);
  registerCashierRoutes(router, runtime);
  registerCodePayControl(router, runtime);

  return sandboxHandle({
    router,
    basePath,
    inProcess: (callerBase) => inProcessTransport(runtime, callerBase),
    closing,
    notifier,
  });
}
