/**
 * The README's nginx example (deploy/nginx-codepay.conf), run by Debian's nginx in front of two
 * signers on one PostgreSQL: orders, live status and notifies go through it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOrder, payAtSandbox } from '../support/http.ts';
import { startNginx, type Nginx } from '../support/nginx.ts';
import { startPostgres, type Postgres } from '../support/postgres.ts';
import { SANDBOX_MERCHANT_ID, SANDBOX_MERCHANT_KEY } from '../../server/sandbox/credentials.ts';
import { freePort, killAll, startSandboxProcess } from '../support/processes.ts';
import { openEvents } from '../support/sse.ts';
import { startStack, type Stack } from '../support/stack.ts';

let postgres: Postgres;
let signers: Stack[] = [];
let nginx: Nginx | undefined;
let proxyUrl = '';

beforeAll(async () => {
  postgres = await startPostgres();
  const databaseUrl = await postgres.createDatabase();
  const port = await freePort();
  proxyUrl = `http://127.0.0.1:${port}`;
  // One gateway for both signers, as in production: the sandbox as its own process.
  const gateway = await startSandboxProcess({ SANDBOX_RETRY_SCHEDULE: '0.2,0.5,1' });
  const env = {
    DATABASE_URL: databaseUrl,
    TRUST_PROXY: '1',
    PUBLIC_URL: proxyUrl,
    CODEPAY_GATEWAY: `${gateway.url}/creat_order/`,
    CODEPAY_ID: SANDBOX_MERCHANT_ID,
    CODEPAY_KEY: SANDBOX_MERCHANT_KEY,
    PRICE_MIN: '0.01',
    PRICE_MAX: '1000',
  };
  signers = await Promise.all([startStack({ env }), startStack({ env })]);
  nginx = await startNginx(
    signers.map((signer) => new URL(signer.url).host),
    port,
  );
});
afterAll(async () => {
  await nginx?.stop();
  await Promise.all(signers.map((signer) => signer.stop({ removeData: true })));
  await killAll();
  await postgres?.stop();
});

it('serves orders and unbuffered live status through nginx, from either signer', async () => {
  for (let round = 0; round < 4; round++) {
    const order = await createOrder(proxyUrl, { price: '9.90' });
    expect(order.qr?.payload).toMatch(/\/pay\//);
    const events = await openEvents(`${proxyUrl}/api/orders/${order.id}/events`);
    // Unbuffered: the first event arrives while the stream is still open.
    expect((await events.next()).event).toBe('pending');
    // The gateway's notify goes to PUBLIC_URL: through nginx, to either signer.
    await payAtSandbox(order.qr!.payload!);
    expect((await events.next()).event).toBe('paid');
    events.close();
  }
  // nginx spread the work over both signers.
  for (const signer of signers) expect(signer.logs.some((line) => line.includes('"path":"/api/'))).toBe(true);
});
