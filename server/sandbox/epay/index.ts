/**
 * The 彩虹易支付 (epay) sandbox gateway: mapi.php, submit.php, api.php (act=order, act=refund), the
 * pay page its QR leads to, the GET notify on the gateway's re-send schedule, and `_control`.
 * `createEpaySandbox` has the CodePay sandbox's shape: a router under basePath, an in-process
 * caller for the signer that mounts it, and close().
 */
import Router from '@koa/router';
import { FaultTable } from '../faults.ts';
import { sandboxHandle, type Sandbox } from '../handle.ts';
import type { SandboxLog } from '../log.ts';
import { Notifier } from '../notifier.ts';
import { AnswerKinds } from './answer-kinds.ts';
import { registerEpayCashierRoutes } from './cashier.ts';
import { registerEpayControl } from './control.ts';
import { registerEpayGatewayRoutes } from './gateway.ts';
import { epayInProcess } from './in-process.ts';
import { EPAY_NOTIFY_TIMEOUT_MS, EPAY_RETRY_SCHEDULE, epayNotify } from './notify.ts';
import type { EpayRuntime } from './runtime.ts';
import { EpayState } from './state.ts';

export { EPAY_SANDBOX_KEY, EPAY_SANDBOX_PID } from './credentials.ts';
export { EPAY_RETRY_SCHEDULE } from './notify.ts';
export type { EpayNotifyAttempt } from './notify.ts';
export type { AnswerKind } from './answer-kinds.ts';

export interface EpaySandboxOptions {
  /** The one merchant this sandbox serves (`pid`, digits). */
  pid: string;
  /** Its md5 signing key; never printed nor returned. */
  key: string;
  /** Where the app lives, e.g. '/sandbox'; default '' (the root). */
  basePath?: string;
  /** The sandbox's public URL, basePath included: the pay page URLs start with it. Default: the request's own. */
  publicBaseUrl?: string;
  /** Seconds between notify attempts; default EPAY_RETRY_SCHEDULE (+1, +2, +16, +36 min, +1 h). */
  retrySchedule?: readonly number[];
  /** How long one notify attempt may take; default 5 s, as the gateway's. */
  notifyTimeoutMs?: number;
  /** The clock, epoch ms; default Date.now. */
  now?: () => number;
  log?: SandboxLog;
}

/** The epay sandbox's handle: mapi.php and api.php are what `inProcess` answers in-process. */
export type EpaySandbox = Sandbox;

function checkOptions(options: EpaySandboxOptions): void {
  if (!/^\d{1,18}$/.test(options.pid)) throw new TypeError('createEpaySandbox: pid must be digits');
  if (!options.key) throw new TypeError('createEpaySandbox: key is required');
  if (options.basePath && !/^(\/[\w.~-]+)+$/.test(options.basePath)) {
    throw new TypeError('createEpaySandbox: basePath must look like "/sandbox" (no trailing slash)');
  }
  if (options.publicBaseUrl !== undefined && !/^https?:\/\/[^/]/.test(options.publicBaseUrl)) {
    throw new TypeError('createEpaySandbox: publicBaseUrl must be an http(s) URL');
  }
  if (options.retrySchedule?.some((seconds) => !Number.isFinite(seconds) || seconds < 0)) {
    throw new TypeError('createEpaySandbox: retrySchedule must be non-negative seconds');
  }
}

export function createEpaySandbox(options: EpaySandboxOptions): EpaySandbox {
  checkOptions(options);
  const now = options.now ?? Date.now;
  const basePath = options.basePath ?? '';
  const faults = new FaultTable('byOutTradeNo');
  const closing = new AbortController();
  const notifier = new Notifier({
    protocol: epayNotify(options.pid, options.key, faults),
    retrySchedule: options.retrySchedule ?? EPAY_RETRY_SCHEDULE,
    timeoutMs: options.notifyTimeoutMs ?? EPAY_NOTIFY_TIMEOUT_MS,
    now,
    log: options.log ?? { info() {}, warn() {}, error() {} },
  });
  const runtime: EpayRuntime = {
    pid: options.pid,
    key: options.key,
    basePath,
    publicBaseUrl: options.publicBaseUrl?.replace(/\/+$/, ''),
    state: new EpayState(now, notifier),
    faults,
    answers: new AnswerKinds(),
    notifier,
    closing: closing.signal,
  };

  const router = new Router(basePath ? { prefix: basePath } : {});
  registerEpayGatewayRoutes(router, runtime);
  registerEpayCashierRoutes(router, runtime);
  registerEpayControl(router, runtime);

  return sandboxHandle({
    router,
    basePath,
    inProcess: (callerBase) => epayInProcess(runtime, callerBase),
    closing,
    notifier,
  });
}
