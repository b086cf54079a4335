/**
 * The console of a signer mounted in a merchant's own Koa app under /shop, an app with cookie keys
 * of its own (app.keys): the console's cookie and URLs follow the prefix, and its cookie is read as sent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import mount from 'koa-mount';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/log.ts';
import { createSigner, type Signer } from '../../server/signer.ts';
import { adminPasswordHash, signIn } from '../support/console.ts';
import { requestJson } from '../support/http.ts';

const PREFIX = '/shop';
let server: Server;
let base: string;
let signer: Signer;
let dataDir: string;

beforeAll(async () => {
  const app = new Koa();
  app.keys = ['the shop’s own cookie key'];
  app.use(mount(PREFIX, (ctx, next) => signer.middleware(ctx, next)));
  server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${PREFIX}`;
  dataDir = mkdtempSync(join(tmpdir(), 'codepay-console-mount-'));
  const config = loadConfig(
    { DATA_DIR: dataDir, PUBLIC_URL: base, ADMIN_PASSWORD_HASH: await adminPasswordHash() },
    dataDir,
  );
  signer = await createSigner(config, {
    log: createLogger({ secrets: [config.gateway.merchantKey], write: () => {} }),
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await signer.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the console of a signer mounted at /shop', () => {
  it('sets its cookie for /shop/admin, reads it back, and makes its links under /shop', async () => {
    const redirect = await fetch(`${base}/admin`, { redirect: 'manual' });
    expect(redirect.headers.get('location')).toBe(`${PREFIX}/admin/`);
    const answer = await signIn(base);
    expect(answer.status).toBe(200);
    const setCookie = answer.headers.get('set-cookie')!;
    expect(setCookie).toContain(`Path=${PREFIX}/admin;`);
    const cookie = setCookie.split(';')[0];
    const overview = await requestJson(`${base}/admin/api/overview`, { headers: { cookie } });
    expect(overview.status).toBe(200);
    const products = await requestJson(`${base}/admin/api/products`, { headers: { cookie } });
    const [first] = products.body.products;
    expect(first.link).toBe(`${base}/pay/${first.id}`);
  });
});
