/**
 * `_control/*`, for every sandbox: what tests and developers use to look inside it and switch faults.
 * JSON in and out; never the merchant key. Served to this machine only (see refusalOf): the
 * listings hold every order id, and a switch or a reset reaches every buyer.
 */
import type { Context } from 'koa';
import type Router from '@koa/router';
import { readText } from './body.ts';
import { parseFaultRequest, type FaultDialect, type FaultTable } from './faults.ts';

const MAX_BODY = 64 * 1024;

/** A control body read by `parse`; its TypeError (a bad field) is the client's 400. */
export function readOrRefuse<T>(ctx: Context, body: unknown, parse: (body: unknown) => T): T {
  try {
    return parse(body);
  } catch (error) {
    if (error instanceof TypeError) ctx.throw(400, error.message);
    throw error;
  }
}

export async function readJson(ctx: Context): Promise<unknown> {
  const text = await readText(ctx, MAX_BODY);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    ctx.throw(400, 'body is not JSON');
  }
}

/** Query names a listing filters on, each with the record field it compares. */
export type Filters = Record<string, string>;

function matcher(ctx: Context, filters: Filters): (record: object) => boolean {
  const wanted = Object.entries(filters).flatMap(([query, field]) => {
    const value = ctx.query[query];
    return value === undefined ? [] : [[field, value] as const];
  });
  return (record) => wanted.every(([field, value]) => (record as Record<string, unknown>)[field] === value);
}

/** A listing: its records, filtered, then shown. */
export type Listing = (keep: (record: object) => boolean) => unknown[];

export function listing<R extends object>(records: () => R[], view: (record: R) => unknown): Listing {
  return (keep) => records().filter(keep).map(view);
}

/** What a sandbox shows and switches under `_control`. */
export interface ControlSpec {
  faults: FaultTable;
  dialect: FaultDialect;
  /** `orders`, `payments`, …: each served at `_control/<name>`. */
  listings: Record<string, Listing>;
  /** The notify attempts, as the notifier records them. */
  attempts(keep: (record: object) => boolean): unknown[];
  filters: Filters;
  /** `reset`: switches other than the faults back to their defaults. */
  resetSwitches?(): void;
  /** `reset` with `{"state": true}`: forgets orders, payments and attempts, stops pending notifies. */
  forgetState(): Promise<void>;
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses (a dual-stack socket's peers). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** Headers a proxy adds: a request carrying one came from elsewhere, even through a proxy on loopback. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];
/** The names this machine goes by: another in Host is a page whose name was rebound to 127.0.0.1. */
const LOCAL_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i;

/**
 * Why a control request is refused, or undefined to serve it: the peer must be this machine, not
 * by way of a proxy; no web page may send it (a browser names a page's Origin and Sec-Fetch-Site);
 * and a POST must say it is JSON, which a page cannot send elsewhere without CORS asking first.
 */
function refusalOf(ctx: Context): { status: number; error: string } | undefined {
  if (!isLoopback(ctx.req.socket.remoteAddress) || FORWARDING_HEADERS.some((name) => ctx.get(name) !== '')) {
    return { status: 403, error: 'the sandbox control answers requests from this machine only' };
  }
  const site = ctx.get('sec-fetch-site');
  const origin = ctx.get('origin');
  const selfOrigin = `${ctx.protocol}://${ctx.host}`;
  if (
    !LOCAL_HOST.test(ctx.host) ||
    (site !== '' && site !== 'same-origin' && site !== 'none') ||
    (origin !== '' && origin !== selfOrigin)
  ) {
    return { status: 403, error: 'the sandbox control does not answer web pages of other sites' };
  }
  if (ctx.method === 'POST' && ctx.request.type !== 'application/json') {
    return { status: 415, error: 'send the sandbox control JSON (Content-Type: application/json)' };
  }
  return undefined;
}

/** Every `_control` route of the router, guarded by refusalOf, with JSON errors. */
export function registerControlRoutes(router: Router, spec: ControlSpec): void {
  router.use('/_control', async (ctx, next) => {
    const refusal = refusalOf(ctx);
    if (refusal) {
      ctx.status = refusal.status;
      ctx.body = { error: refusal.error };
      return;
    }
    try {
      await next();
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500;
      ctx.status = status;
      ctx.body = { error: error instanceof Error ? error.message : String(error) };
    }
  });
  for (const [name, list] of Object.entries(spec.listings)) {
    router.get(`/_control/${name}`, (ctx) => {
      ctx.body = list(matcher(ctx, spec.filters));
    });
  }
  router.get('/_control/attempts', (ctx) => {
    ctx.body = spec.attempts(matcher(ctx, spec.filters));
  });
  router.get('/_control/faults', (ctx) => {
    ctx.body = spec.faults.view();
  });
  router.post('/_control/faults', async (ctx) => {
    spec.faults.set(readOrRefuse(ctx, await readJson(ctx), (body) => parseFaultRequest(body, spec.dialect)));
    ctx.body = spec.faults.view();
  });
  // `{"state": true}` also forgets orders, payments and attempts, and stops pending notifies.
  router.post('/_control/reset', async (ctx) => {
    const body = await readJson(ctx);
    spec.faults.clear();
    spec.resetSwitches?.();
    if (typeof body === 'object' && body !== null && (body as { state?: unknown }).state === true) {
      await spec.forgetState();
    }
    ctx.body = { reset: true };
  });
}
