/**
 * The V免签 sandbox: a V免签 server and its monitor phone in one, for one merchant key. Its routes
 * are a @koa/router router under basePath, served by the signer at /sandbox (GATEWAY=vmq without
 * VMQ_URL) or alone by `GATEWAY=vmq npm run sandbox`; `_control/*` switches its faults.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { formatCents } from '../../../shared/money.ts';
import { listing, readJson, readOrRefuse, registerControlRoutes } from '../control.ts';
import { FaultTable } from '../faults.ts';
import { sandboxHandle, type Sandbox } from '../handle.ts';
import type { SandboxLog } from '../log.ts';
import { Notifier } from '../notifier.ts';
import { httpTransport, type GatewayTransport } from '../../providers/transport.ts';
import { readText } from '../body.ts';
import { sendReply } from '../reply.ts';
import { appPush, checkOrder, closeOrder, createOrder, getOrder, getState } from './api.ts';
import { registerVmqCashierRoutes } from './cashier.ts';
import { DEFAULT_SWITCHES, parseSwitches, VMQ_FAULTS } from './faults.ts';
import { vmqNotify, type VmqLabels } from './notify.ts';
import { stateOf, type VmqReply, type VmqRuntime } from './runtime.ts';
import { VmqSandboxState, type VmqSandboxOrder } from './state.ts';

export type { VmqSwitches } from './faults.ts';
export type { VmqNotifyAttempt } from './notify.ts';

export interface VmqSandboxOptions {
  /** The communication key (通讯密钥); never printed nor returned. */
  merchantKey: string;
  /** Where the app lives, e.g. '/sandbox'; default '' (the root). */
  basePath?: string;
  /** The sandbox's public URL, basePath included: payUrl starts with it. Default: from the request. */
  publicBaseUrl?: string;
  /** V免签's notify URL setting, for orders created without one. */
  defaultNotifyUrl?: string;
  /** V免签's order timeout setting (minutes); default 5. */
  timeOutMinutes?: number;
  notifyTimeoutMs?: number;
  now?: () => number;
  log?: SandboxLog;
}

type Call = (params: Record<string, string>, base: string, runtime: VmqRuntime) => VmqReply;

/** The calls that answer at once (createOrder may wait: a fault). */
const CALLS: Record<string, Call> = {
  getOrder,
  checkOrder,
  closeOrder: (params, _base, runtime) => closeOrder(params, runtime),
  getState: (params, _base, runtime) => getState(params, runtime),
  appPush: (params, _base, runtime) => appPush(params, runtime),
};

function send(ctx: Context, reply: VmqReply): void {
  if (reply.location) ctx.set('Location', reply.location);
  sendReply(ctx, reply);
}

const MAX_FORM = 64 * 1024;

/** GET query or POST form, as V免签 takes both. */
async function paramsOf(ctx: Context): Promise<Record<string, string>> {
  const form = ctx.method === 'POST' && ctx.is('application/x-www-form-urlencoded');
  return Object.fromEntries(new URLSearchParams(form ? await readText(ctx, MAX_FORM) : ctx.querystring));
}

function orderView(order: VmqSandboxOrder, runtime: VmqRuntime) {
  return {
    orderId: order.orderId,
    payId: order.payId,
    type: order.type,
    price: formatCents(order.price),
    reallyPrice: formatCents(order.reallyPrice),
    isAuto: order.isAuto,
    state: stateOf(order, runtime),
    notifyUrl: order.notifyUrl,
    notify: runtime.notifier.state(order.payId) ?? null,
    createdAt: order.createdAt,
    paidAt: order.paidAt,
  };
}

/** The shared `_control` (orders, attempts, faults, reset) and `_control/switches`: the phone and the QR codes. */
function registerControl(router: Router, runtime: VmqRuntime): void {
  registerControlRoutes(router, {
    faults: runtime.faults,
    dialect: VMQ_FAULTS,
    listings: {
      orders: listing(
        () => runtime.state.listOrders(),
        (order) => orderView(order, runtime),
      ),
    },
    attempts: (keep) => runtime.notifier.list(keep),
    filters: { payId: 'payId', orderId: 'orderId' },
    resetSwitches: () => {
      runtime.switches = { ...DEFAULT_SWITCHES };
    },
    async forgetState() {
      await runtime.notifier.clear();
      runtime.state.clear();
    },
  });
  router.get('/_control/switches', (ctx) => {
    ctx.body = runtime.switches;
  });
  router.post('/_control/switches', async (ctx) => {
    runtime.switches = readOrRefuse(ctx, await readJson(ctx), (body) => parseSwitches(body, runtime.switches));
    ctx.body = runtime.switches;
  });
}

/** The API in-process for the signer that mounts the sandbox: the same answers, without a loopback request. */
function inProcessTransport(runtime: VmqRuntime, callerBase: string): GatewayTransport {
  const base = runtime.publicBaseUrl ?? callerBase;
  return {
    async get(url, timeoutMs) {
      const ours = [base, callerBase].some((prefix) => url.startsWith(`${prefix}/`));
      if (!ours) return httpTransport.get(url, timeoutMs);
      const { pathname, searchParams } = new URL(url);
      const name = pathname.slice(pathname.lastIndexOf('/') + 1);
      const params = Object.fromEntries(searchParams);
      if (name === 'createOrder') {
        const timeout = AbortSignal.timeout(timeoutMs);
        const reply = await createOrder(params, base, runtime, timeout);
        if (!reply) throw timeout.reason ?? new Error('the sandbox closed the connection without an answer');
        return { status: reply.status, text: reply.body };
      }
      const call = CALLS[name];
      return call ? { status: 200, text: call(params, base, runtime).body } : httpTransport.get(url, timeoutMs);
    },
    post: httpTransport.post,
    readQr: httpTransport.readQr,
  };
}

export function createVmqSandbox(options: VmqSandboxOptions): Sandbox {
  if (!options.merchantKey) throw new TypeError('createVmqSandbox: merchantKey is required');
  const timeOut = options.timeOutMinutes ?? 5;
  if (!Number.isInteger(timeOut) || timeOut < 1)
    throw new TypeError('createVmqSandbox: timeOutMinutes must be 1 or more');
  const now = options.now ?? Date.now;
  const log = options.log ?? { info() {}, warn() {}, error() {} };
  const basePath = options.basePath ?? '';
  const closing = new AbortController();
  const faults = new FaultTable('byPayId');
  // V免签 sends once: no retry schedule.
  const notifier = new Notifier<VmqSandboxOrder, VmqLabels>({
    protocol: vmqNotify(options.merchantKey, faults),
    retrySchedule: [],
    timeoutMs: options.notifyTimeoutMs ?? 10_000,
    now,
    log,
  });
  const runtime: VmqRuntime = {
    merchantKey: options.merchantKey,
    basePath,
    publicBaseUrl: options.publicBaseUrl?.replace(/\/+$/, ''),
    defaultNotifyUrl: options.defaultNotifyUrl ?? '',
    state: new VmqSandboxState(timeOut, now, notifier),
    faults,
    switches: { ...DEFAULT_SWITCHES },
    notifier,
    closing: closing.signal,
    log,
  };
  const base = (ctx: Context) => runtime.publicBaseUrl ?? `${ctx.protocol}://${ctx.host}${basePath}`;
  const router = new Router(basePath ? { prefix: basePath } : {});
  router.all('/createOrder', async (ctx) => {
    const caller = new AbortController();
    ctx.res.once('close', () => caller.abort());
    const reply = await createOrder(await paramsOf(ctx), base(ctx), runtime, caller.signal);
    if (reply) return send(ctx, reply);
    ctx.respond = false;
    ctx.req.socket.destroy();
  });
  for (const [name, call] of Object.entries(CALLS)) {
    router.all(`/${name}`, async (ctx) => send(ctx, call(await paramsOf(ctx), base(ctx), runtime)));
  }
  registerVmqCashierRoutes(router, runtime);
  registerControl(router, runtime);
  return sandboxHandle({
    router,
    basePath,
    inProcess: (callerBase) => inProcessTransport(runtime, callerBase),
    closing,
    notifier,
  });
}
