/**
 * The console's page and its files, from console-ui's bundle in dist/console (index.html and
 * assets/), read once and served with an ETag; while the console is off, a page that says how to
 * turn it on. Every /admin answer carries the console's own strict policy: its own scripts and
 * styles only, nothing inline, nothing framed.
 */
import { extname, join } from 'node:path';
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { ApiError } from '../errors.ts';
import { assetCache } from '../http/assets.ts';

export const CONSOLE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const ASSET_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,100}$/;

const OFF_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Console off · 管理后台未开启</title></head>
<body><main>
<h1>The console is off</h1>
<p>Set its password on the signer's machine, then restart the signer:</p>
<pre><code>npm run admin -- password</code></pre>
<p>It writes ADMIN_PASSWORD_HASH (a scrypt hash, never the password) to .env.</p>
<h1 lang="zh-CN">管理后台未开启</h1>
<p lang="zh-CN">在签名服务器上运行 <code>npm run admin -- password</code> 设置密码（.env 中只保存其 scrypt 哈希），然后重启服务。</p>
<h1 lang="zh-TW">管理後台未開啟</h1>
<p lang="zh-TW">在簽名伺服器上執行 <code>npm run admin -- password</code> 設定密碼（.env 中只保存其 scrypt 雜湊），然後重新啟動服務。</p>
</main></body></html>
`;

/** The console's policy and headers on every /admin answer, whatever it is. */
export const consoleHeaders: Middleware = async (ctx, next) => {
  ctx.set('Content-Security-Policy', CONSOLE_POLICY);
  ctx.set('X-Frame-Options', 'DENY');
  await next();
};

export function registerShellRoutes(router: Router, consoleDir: string, on: boolean, basePath: string): void {
  const load = assetCache();
  const serve = async (ctx: Context, file: string, type: string) => {
    const asset = await load(file);
    if (!asset) throw new ApiError('NOT_FOUND', 'The console has not been built: run `npm run build`.');
    ctx.type = type;
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('ETag', asset.etag);
    if (ctx.get('if-none-match') === asset.etag) ctx.status = 304;
    else ctx.body = asset.body;
  };

  // The page's relative URLs (assets/…, api/…) need the trailing slash.
  router.get('/', (ctx) => {
    if (!ctx.path.endsWith('/')) {
      ctx.status = 308;
      ctx.redirect(`${basePath}/admin/`);
      return;
    }
    if (!on) {
      ctx.type = 'text/html; charset=utf-8';
      ctx.set('Cache-Control', 'no-cache');
      ctx.body = OFF_PAGE;
      return;
    }
    return serve(ctx, join(consoleDir, 'index.html'), 'text/html; charset=utf-8');
  });

  router.get('/assets/:name', (ctx) => {
    const { name } = ctx.params;
    const type = TYPES[extname(name)];
    if (!on || !type || !ASSET_NAME.test(name)) throw new ApiError('NOT_FOUND', 'There is nothing at this address.');
    return serve(ctx, join(consoleDir, 'assets', name), type);
  });
}
