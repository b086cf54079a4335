/**
 * The signer's HTTP side, all of it Koa: one middleware chain (request id and log line, security
 * headers, error answers, CORS on the widget's API) in front of @koa/router routes. It never
 * listens: `signerMiddleware` is what a merchant's own Koa app mounts, `createApp` wraps it (or any
 * other routes, such as the sandbox alone) in a Koa app of its own.
 */
import Koa, { type Middleware } from 'koa';
import Router from '@koa/router';
import compose from 'koa-compose';
import type { Logger } from '../log.ts';
import { apiRouter, type ApiDeps } from './api.ts';
import { assetRouter, type AssetDirs } from './assets.ts';
import { answerChain } from './chain.ts';
import { cors, type CorsPolicy } from './cors.ts';
import { payPageRouter } from './pay-page.ts';

export interface SignerHttpDeps extends ApiDeps {
  log: Logger;
  assets: AssetDirs;
  cors: CorsPolicy;
  /** MERCHANT_NAME, on the payment link pages; null: none. */
  merchantName: string | null;
  /** /healthz: `ok` (false: answered 503, e.g. while the store's writes fail) and facts (watchers, streams). */
  health: () => { ok: boolean } & Record<string, unknown>;
  /** Routers served beside the signer's own, through the same chain (the sandbox at /sandbox). */
  mounted?: readonly Router[];
}

/** The widget's calls; the notify comes from the gateway's server, not a browser. Any case, as the routes match. */
const CORS_PATH = /^\/api\//i;
const NOTIFY_PATH = /^\/api\/notify\/?$/i;

/** The chain every answer passes, then `routers`; a request they don't match is answered 404 (or 405 with Allow). */
export function withChain(log: Logger, routers: readonly Router[], inner: readonly Middleware[] = []): Middleware {
  const handle = compose([
    answerChain(log),
    ...inner,
    ...routers.flatMap((router) => [router.routes(), router.allowedMethods()]),
  ] as Middleware[]);
  // The signer answers everything under where it is mounted: nothing falls through to the host app.
  return (ctx) => handle(ctx);
}

/** Every route of the signer (and what is mounted beside it) behind the one chain: a Koa middleware. */
export function signerMiddleware(deps: SignerHttpDeps): Middleware {
  const allowCors = cors(deps.cors);
  const health = new Router().get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const health = deps.health();
    ctx.status = health.ok ? 200 : 503;
    ctx.body = health;
  });
  const corsOnApi: Middleware = (ctx, next) =>
    CORS_PATH.test(ctx.path) && !NOTIFY_PATH.test(ctx.path) ? allowCors(ctx, next) : next();
  const payPages = payPageRouter({
    pricePolicy: deps.creation.pricePolicy,
    channels: deps.creation.channels,
    merchantName: deps.merchantName,
    basePath: deps.basePath,
  });
  const routers = [apiRouter(deps), health, assetRouter(deps.assets), payPages, ...(deps.mounted ?? [])];
  return withChain(deps.log, routers, [corsOnApi]);
}

export interface AppOptions {
  /** Trust X-Forwarded-Proto/-Host (behind a reverse proxy). */
  proxy?: boolean;
  /** What `ctx.ip` answers, from X-Forwarded-For and the socket's peer; Koa's own takes the leftmost entry, which the client wrote. */
  clientIp?: (forwardedFor: string | undefined, peer: string) => string;
}

/** A Koa app serving `middleware` alone. */
export function createApp(middleware: Middleware, options: AppOptions = {}): Koa {
  const app = new Koa({ proxy: options.proxy ?? false });
  const { clientIp } = options;
  if (clientIp) {
    Object.defineProperty(app.request, 'ip', {
      get(this: Koa.Request) {
        return clientIp(this.get('x-forwarded-for') || undefined, this.socket.remoteAddress ?? '');
      },
    });
  }
  // Errors are answered and logged by the chain (chain.ts); Koa's own printing would duplicate them.
  app.silent = true;
  app.use(middleware);
  return app;
}
