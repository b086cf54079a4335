/** createApp builds the signer's Koa app from its config and dependencies; it never listens. */
import Koa from 'koa';
import Router from '@koa/router';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { apiRouter, type ApiDeps } from './api.ts';
import { assetRouter, type AssetDirs } from './assets.ts';
import { cors, originPolicy } from './cors.ts';
import { errorMiddleware } from './errors.ts';
import { requestLog } from './request-log.ts';
import { securityHeaders } from './security.ts';

export interface AppDeps extends Omit<ApiDeps, 'config'> {
  log: Logger;
  assets: AssetDirs;
  /** The signer's own origin, always allowed by CORS. */
  selfOrigin: () => string;
  /** Extra facts for /healthz (watchers, streams). */
  health: () => Record<string, unknown>;
}

export function createApp(config: Config, deps: AppDeps): Koa {
  const app = new Koa({ proxy: config.trustProxy });
  // Errors are answered and logged by errorMiddleware; Koa's own printing would duplicate them.
  app.silent = true;
  const api = apiRouter({ config, ...deps });
  const allowCors = cors(originPolicy(deps.selfOrigin, config.allowedOrigins));
  const health = new Router().get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ok: true, ...deps.health() };
  });
  const assets = assetRouter(deps.assets);

  app.use(requestLog(deps.log));
  app.use(securityHeaders());
  app.use(errorMiddleware());
  // The notify comes from the gateway's server, not a browser: CORS is for the widget's calls.
  app.use((ctx, next) => (ctx.path.startsWith('/api/') && ctx.path !== '/api/notify' ? allowCors(ctx, next) : next()));
  app.use(api.routes());
  app.use(api.allowedMethods({ throw: true }));
  app.use(health.routes());
  app.use(assets.routes());
  app.use(assets.allowedMethods({ throw: true }));
  return app;
}
