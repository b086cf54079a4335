/**
 * createApp builds the signer's Koa app from its config and dependencies; it never listens.
 * createHandler puts the hot lane (lane/) in front of it: the node:http request handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import Koa from 'koa';
import Router from '@koa/router';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { StatusPublisher } from '../orders/publisher.ts';
import { apiRouter, type ApiDeps } from './api.ts';
import { clientAddress } from './client-address.ts';
import { assetRouter, type AssetDirs } from './assets.ts';
import { cors, originPolicy } from './cors.ts';
import { errorMiddleware } from './errors.ts';
import { hotLane } from './lane/index.ts';
import { requestLog } from './request-log.ts';
import { securityHeaders } from './security.ts';
import type { EventStreams } from './sse.ts';

export interface AppDeps extends Omit<ApiDeps, 'config'> {
  now: () => number;
  log: Logger;
  publisher: StatusPublisher;
  streams: EventStreams;
  assets: AssetDirs;
  /** The signer's own origin, always allowed by CORS. */
  selfOrigin: () => string;
  /** /healthz: `ok` (false: answered 503, e.g. while the store's writes fail) and facts (watchers, streams). */
  health: () => { ok: boolean } & Record<string, unknown>;
}

export function createApp(config: Config, deps: AppDeps): Koa {
  const app = new Koa({ proxy: 'proxies' in config.trustProxy || config.trustProxy.hops > 0 });
  // ctx.ip as the lane reads it: Koa's own would take X-Forwarded-For's leftmost entry, which the client wrote.
  Object.defineProperty(app.request, 'ip', {
    get(this: Koa.Request) {
      const forwardedFor = this.get('x-forwarded-for') || undefined;
      return clientAddress(forwardedFor, this.socket.remoteAddress ?? '', config.trustProxy);
    },
  });
  // Errors are answered and logged by errorMiddleware; Koa's own printing would duplicate them.
  app.silent = true;
  const api = apiRouter({ config, ...deps });
  const allowCors = cors(originPolicy(deps.selfOrigin, config.allowedOrigins));
  const health = new Router().get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const health = deps.health();
    ctx.status = health.ok ? 200 : 503;
    ctx.body = health;
  });
  const assets = assetRouter(deps.assets);

  app.use(requestLog(deps.log));
  app.use(securityHeaders());
  app.use(errorMiddleware());
  app.use((ctx, next) => (ctx.path.startsWith('/api/') ? allowCors(ctx, next) : next()));
  app.use(api.routes());
  app.use(api.allowedMethods({ throw: true }));
  app.use(health.routes());
  app.use(assets.routes());
  app.use(assets.allowedMethods({ throw: true }));
  return app;
}

export function createHandler(config: Config, deps: AppDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const lane = hotLane({ ...deps, config, isAllowedOrigin: originPolicy(deps.selfOrigin, config.allowedOrigins) });
  const koa = createApp(config, deps).callback();
  return (req, res) => {
    if (!lane(req, res)) void koa(req, res);
  };
}
