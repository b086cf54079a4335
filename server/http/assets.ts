/** The widget bundle and the demo page, served by the signer itself. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Router from '@koa/router';
import type { Context } from 'koa';
import { ApiError } from '../errors.ts';

export interface AssetDirs {
  /** vite's output: codepay-checkout.js and the chunk it loads lazily. */
  distDir: string;
  /** The demo page and its script. */
  demoDir: string;
}

interface Asset {
  body: Buffer;
  etag: string;
}

/** Files are read once, then served from memory with an ETag. */
export function assetCache() {
  const cache = new Map<string, Promise<Asset | undefined>>();
  return (path: string) => {
    let asset = cache.get(path);
    if (!asset) {
      asset = readFile(path).then(
        (body) => ({ body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` }),
        () => undefined,
      );
      cache.set(path, asset);
      asset.then((found) => found || cache.delete(path));
    }
    return asset;
  };
}

export function assetRouter(dirs: AssetDirs): Router {
  const router = new Router();
  const load = assetCache();

  const serve = (file: string, type: string, cacheControl: string, crossOrigin: boolean) => async (ctx: Context) => {
    const asset = await load(file);
    if (!asset) throw new ApiError('NOT_FOUND', 'This file has not been built: run `npm run build`.');
    ctx.type = type;
    ctx.set('Cache-Control', cacheControl);
    ctx.set('ETag', asset.etag);
    // Module scripts are fetched with CORS: any shop's page must be able to load the widget.
    if (crossOrigin) ctx.set('Access-Control-Allow-Origin', '*');
    if (ctx.get('if-none-match') === asset.etag) {
      ctx.status = 304;
      return;
    }
    ctx.body = asset.body;
  };

  const script = 'application/javascript; charset=utf-8';
  // The entry and the chunk it loads lazily share minified names: always revalidated (a cheap 304
  // with the ETag), so a deploy never pairs a new entry with an old chunk.
  for (const file of ['codepay-checkout.js', 'codepay-checkout-flow.js']) {
    router.get(`/${file}`, serve(join(dirs.distDir, file), script, 'public, no-cache', true));
  }
  router.get('/', serve(join(dirs.demoDir, 'index.html'), 'text/html; charset=utf-8', 'no-cache', false));
  router.get('/demo.js', serve(join(dirs.demoDir, 'demo.js'), script, 'no-cache', false));
  // Browsers ask for it on every page; an empty answer keeps the logs free of 404s.
  router.get('/favicon.ico', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.status = 204;
  });
  return router;
}
