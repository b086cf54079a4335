/**
 * Issue 13, finding 7: "`/api/orders/:id/qr.png` fetches the gateway's image on every request" (442
 * fetches a second from one client). The signer talks to a real sandbox over HTTP; the sandbox's
 * server counts the image requests that reach it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../server/sandbox/index.ts';
import { createOrder } from '../support/http.ts';
import { freePort } from '../support/processes.ts';
import { MERCHANT_ID, MERCHANT_KEY, sandboxHandler } from '../support/sandbox.ts';
import { startStack, type Stack } from '../support/stack.ts';

let sandbox: Sandbox;
let server: Server;
let stack: Stack;
let imageFetches = 0;
beforeAll(async () => {
  sandbox = createSandbox({ merchantId: MERCHANT_ID, merchantKey: MERCHANT_KEY });
  const handle = sandboxHandler(sandbox);
  server = createServer((req, res) => {
    if (req.url?.startsWith('/qr/')) imageFetches++;
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const gateway = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const port = String(await freePort());
  stack = await startStack({
    env: {
      PORT: port,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      CODEPAY_GATEWAY: `${gateway}/creat_order/`,
      CODEPAY_ID: MERCHANT_ID,
      CODEPAY_KEY: MERCHANT_KEY,
      PRICE_MIN: '0.01',
      PRICE_MAX: '100',
    },
  });
});
afterAll(async () => {
  await stack.stop({ removeData: true });
  await sandbox.close();
  server.closeAllConnections();
  server.close();
});

const image = (id: string) => fetch(`${stack.url}/api/orders/${id}/qr.png`);

it("qr.png fetches the gateway's image on every request: no longer, once an order is enough", async () => {
  const order = await createOrder(stack.url, { price: '1.00' });
  const afterCreation = imageFetches;
  const first = await image(order.id);
  expect([first.status, first.headers.get('content-type')]).toEqual([200, 'image/png']);
  const body = Buffer.from(await first.arrayBuffer());
  // One client asking again and again, and many at once.
  for (let i = 0; i < 50; i++) expect(Buffer.from(await (await image(order.id)).arrayBuffer())).toEqual(body);
  const together = await Promise.all(Array.from({ length: 50 }, () => image(order.id)));
  expect(together.every((answer) => answer.status === 200)).toBe(true);
  expect(imageFetches - afterCreation).toBeLessThanOrEqual(1);
  // Another order is another image.
  const other = await createOrder(stack.url, { price: '1.00' });
  const before = imageFetches;
  expect((await image(other.id)).status).toBe(200);
  expect(imageFetches - before).toBeLessThanOrEqual(1);
});
