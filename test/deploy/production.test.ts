/**
 * A production install as the README's deployment steps make one: the checkout copied, built with
 * `npm run build`, its dev dependencies pruned (`npm prune --omit=dev`), the built server run with
 * `node` (`npm run start:prod`). It serves /healthz, creates orders, serves the widget and runs the
 * admin CLI, with no build tool installed.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { postJson, requestJson } from '../support/http.ts';
import { ROOT, startProcess, waitForOutput, type Child } from '../support/processes.ts';

const run = promisify(execFile);
/** Made here, or the machine's own: not part of what a clone holds. */
const NOT_COPIED = new Set(['.git', 'node_modules', 'dist', 'data', '.env', 'test/output', 'bench/results']);

const folder = mkdtempSync(join(tmpdir(), 'codepay-production-'));
const app = join(folder, 'app');
const env = { ...process.env, NODE_ENV: 'production' };
let signer: Child;
let url: string;

beforeAll(async () => {
  cpSync(ROOT, app, { recursive: true, filter: (path) => !NOT_COPIED.has(relative(ROOT, path)) });
  // What `npm ci` installed; `cp -a` keeps node_modules/.bin's links as they are.
  await run('cp', ['-a', join(ROOT, 'node_modules'), app]);
  await run('npm', ['run', '--silent', 'build'], { cwd: app, env });
  await run('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], { cwd: app, env });
  const settings = { NODE_ENV: 'production', PORT: '0', DATA_DIR: join(folder, 'data') };
  signer = startProcess('npm', ['run', '--silent', 'start:prod'], settings, { cwd: app });
  [, url] = await waitForOutput(signer, /codepay-checkout signer: (http:\/\/127\.0\.0\.1:\d+)\//);
}, 180_000);

afterAll(async () => {
  await signer?.kill('SIGTERM');
  rmSync(folder, { recursive: true, force: true });
});

it('has no build tool installed: neither vite, tsx, typescript nor vitest', () => {
  expect(existsSync(join(app, 'node_modules', 'koa'))).toBe(true);
  for (const tool of ['vite', 'tsx', 'typescript', 'vitest', 'magic-string']) {
    expect(existsSync(join(app, 'node_modules', tool)), tool).toBe(false);
  }
});

it('answers /healthz', async () => {
  const { status, body } = await requestJson<{ ok: boolean }>(`${url}/healthz`);
  expect(status).toBe(200);
  expect(body.ok).toBe(true);
});

it('creates an order for a product and for a price', async () => {
  const tea = await postJson<OrderView>(`${url}/api/orders`, { product: 'tea' });
  expect(tea.status).toBe(201);
  expect(tea.body).toMatchObject({ status: 'pending', price: '9.90', product: 'tea' });
  expect(tea.body.qr?.payload).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sandbox\/pay\//);
  const priced = await postJson<OrderView>(`${url}/api/orders`, { price: '12.30' });
  expect(priced).toMatchObject({ status: 201, body: { status: 'pending', price: '12.30' } });
});

it('serves the widget it built', async () => {
  const response = await fetch(`${url}/codepay-checkout.js`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/javascript/);
  const body = await response.text();
  expect(body).toBe(readFileSync(join(app, 'dist', 'codepay-checkout.js'), 'utf8'));
  expect(body).toContain('codepay-checkout');
});

it('serves a payment link page, with what it needs at run time kept by the prune', async () => {
  const response = await fetch(`${url}/pay/tea`);
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('<codepay-checkout product="tea"');
});

it('runs the admin CLI from the build', async () => {
  const { stdout } = await run(process.execPath, ['bin/codepay-checkout.js', 'orders', '--json'], {
    cwd: app,
    env: { ...env, DATA_DIR: join(folder, 'data') },
  });
  const orders = JSON.parse(stdout) as { price: string }[];
  expect(orders.map((order) => order.price).sort()).toEqual(['12.30', '9.90']);
});
