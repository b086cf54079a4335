/**
 * The signer mounted in a merchant's own Koa app (issue 14.2): under a prefix, behind a middleware
 * of the app's own, with the app's own routes beside it; the whole flow through real HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Koa from 'koa';
import mount from 'koa-mount';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/log.ts';
import { createSigner, type Signer } from '../../server/signer.ts';
import { createOrder, payAtSandbox, requestJson } from '../support/http.ts';
import { openEvents } from '../support/sse.ts';

const PREFIX = '/pay';
let server: Server;
let shop: string;
let signer: Signer;
let dataDir: string;
const logs: string[] = [];
/** What the shop's own middleware saw: method and path of every request, as it reached the app. */
const seen: string[] = [];
/** The requests whose end the shop's logger saw, through on-finished (as morgan-like loggers do). */
const finished: string[] = [];
/** The Koa context of each event stream, held weakly: the signer should not keep it alive either. */
const streamContexts: WeakRef<object>[] = [];
// Koa's own dependency, the one a shop's request logger uses.
const onFinished = createRequire(import.meta.url)('on-finished') as (res: ServerResponse, done: () => void) => void;

/** A full garbage collection, from a test process started without --expose-gc. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

beforeAll(async () => {
  const app = new Koa();
  // The shop's middleware around everything, the signer included: tracing, here.
  app.use(async (ctx, next) => {
    const request = `${ctx.method} ${ctx.path}`;
    seen.push(request);
    onFinished(ctx.res, () => finished.push(request));
    if (ctx.path.endsWith('/events')) streamContexts.push(new WeakRef(ctx));
    ctx.set('X-Shop-Trace', 'seen');
    await next();
  });
  app.use(mount(PREFIX, (ctx, next) => signer.middleware(ctx, next)));
  app.use((ctx) => {
    ctx.body = { shop: true, path: ctx.path };
  });
  server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  shop = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dataDir = mkdtempSync(join(tmpdir(), 'codepay-mount-'));
  const config = loadConfig(
    {
      DATA_DIR: dataDir,
      PUBLIC_URL: `${shop}${PREFIX}`,
      SANDBOX_RETRY_SCHEDULE: '0.1,0.2,0.5',
      RATE_LIMIT_PER_MINUTE: '1000',
    },
    dataDir,
  );
  signer = await createSigner(config, {
    sweepIntervalMs: 100,
    log: createLogger({ secrets: [config.gateway.merchantKey], write: (line) => logs.push(line) }),
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await signer.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a signer mounted at /pay in a Koa app', () => {
  it('creates an order, streams it, takes the sandbox payment and its notify, all through the shop middleware', async () => {
    const base = `${shop}${PREFIX}`;
    const created = await fetch(`${base}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"price":"6.60"}',
    });
    expect([
      created.status,
      created.headers.get('x-shop-trace'),
      created.headers.get('x-content-type-options'),
    ]).toEqual([201, 'seen', 'nosniff']);
    const order = await created.json();
    expect(created.headers.get('location')).toBe(`${PREFIX}/api/orders/${order.id}`);
    // The QR's pay page is the mounted sandbox's, under the prefix (PUBLIC_URL includes it).
    expect(order.qr.payload).toBe(`${base}/sandbox/pay/${new URL(order.qr.payload).pathname.split('/').pop()}`);

    const events = await openEvents(`${base}/api/orders/${order.id}/events`);
    expect(events.headers.get('x-shop-trace')).toBe('seen');
    expect((await events.next()).event).toBe('pending');
    await payAtSandbox(order.qr.payload);
    expect(JSON.parse((await events.next()).data)).toMatchObject({ id: order.id, status: 'paid' });
    await events.ended;
    expect((await requestJson(`${base}/api/orders/${order.id}`)).body).toMatchObject({
      status: 'paid',
      money: order.money,
    });

    // Every request the signer answered passed the shop's middleware first: the notify too.
    const signerPaths = logs
      .map((line) => JSON.parse(line))
      .filter((line) => line.msg === 'request')
      .map((line) => `${line.method} ${PREFIX}${line.path}`);
    expect(signerPaths).toEqual(
      expect.arrayContaining([
        `POST ${PREFIX}/api/orders`,
        `GET ${PREFIX}/api/orders/${order.id}/events`,
        `POST ${PREFIX}/api/notify`,
      ]),
    );
    expect(seen).toEqual(expect.arrayContaining(signerPaths));
    expect(seen.filter((entry) => entry.includes(`${PREFIX}/`))).toEqual(signerPaths);
  });

  it("holds an event stream without its Koa context, and the shop's logger still sees the stream end", async () => {
    const order = await createOrder(`${shop}${PREFIX}`, { price: '2.20' });
    const request = `GET ${PREFIX}/api/orders/${order.id}/events`;
    const events = await openEvents(`${shop}${request.slice(4)}`);
    expect((await events.next()).event).toBe('pending');
    const held = streamContexts.at(-1)!;
    collectGarbage();
    expect(held.deref()).toBeUndefined();
    expect(finished).not.toContain(request);
    await payAtSandbox(order.qr!.payload!);
    await events.ended;
    await expect.poll(() => finished).toContain(request);
  });

  it('answers everything under the prefix itself, and leaves the shop its other routes', async () => {
    const missing = await requestJson(`${shop}${PREFIX}/no-such-page`);
    expect([missing.status, missing.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const own = await requestJson(`${shop}/catalogue`);
    expect([own.status, own.body, own.headers.get('x-request-id')]).toEqual([
      200,
      { shop: true, path: '/catalogue' },
      null,
    ]);
    expect((await createOrder(`${shop}${PREFIX}`, { price: '1.00' })).status).toBe('pending');
  });
});

it('refuses to be mounted without PUBLIC_URL, naming it: the gateway and the buyer must reach the mount', async () => {
  const elsewhere = mkdtempSync(join(tmpdir(), 'codepay-mount-'));
  try {
    const attempt = createSigner(loadConfig({ DATA_DIR: elsewhere }, elsewhere));
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(/^PUBLIC_URL: /);
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});
