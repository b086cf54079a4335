/** The README's PHP webhook receiver (examples/webhook-receiver.php), run by php, takes our webhooks. */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOrder, eventually, payAtSandbox } from '../support/http.ts';
import { startPhpServer, type PhpServer } from '../support/php.ts';
import { startStack, type Stack } from '../support/stack.ts';

const SECRET = 'whsec-php-0123456789abcdef';
const API_SECRET = 'merchant-backend-secret-0123456789';
const RECEIVER = fileURLToPath(new URL('../../examples/webhook-receiver.php', import.meta.url));

let php: PhpServer;
let stack: Stack;
const folder = mkdtempSync(join(tmpdir(), 'php-webhook-'));
const fulfilled = join(folder, 'fulfilled.log');

beforeAll(async () => {
  php = await startPhpServer(RECEIVER, {
    MERCHANT_WEBHOOK_SECRET: SECRET,
    SEEN_FILE: join(folder, 'seen'),
    FULFILLED_LOG: fulfilled,
  });
  stack = await startStack({
    dispatchIntervalMs: 50,
    env: { MERCHANT_WEBHOOK_URL: php.url, MERCHANT_WEBHOOK_SECRET: SECRET, API_SECRET },
  });
});
afterAll(async () => {
  await stack.stop({ removeData: true });
  await php.close();
});

it('verifies the signature in PHP, fulfils once, and answers 2xx so the event is delivered', async () => {
  const order = await createOrder(
    stack.url,
    { price: '19.90', reference: 'SKU-9' },
    { authorization: `Bearer ${API_SECRET}` },
  );
  await payAtSandbox(order.qr!.payload!);
  // PHP creates the file before it writes the line: wait for the whole line, not the file.
  await eventually(
    () => (existsSync(fulfilled) && readFileSync(fulfilled, 'utf8').endsWith('\n') ? true : undefined),
    10_000,
    'fulfilment',
  );
  expect(readFileSync(fulfilled, 'utf8')).toBe(`${order.id} SKU-9\n`);
  await eventually(async () =>
    (await stack.signer.store.listEvents({ orderId: order.id }))[0]?.deliveredAt ? true : undefined,
  );
  // Sent again (the CLI's resend): PHP drops the duplicate by its id.
  const [event] = await stack.signer.store.listEvents({ orderId: order.id });
  await stack.signer.store.requeueEvent(event.id, Date.now());
  stack.signer.dispatcher.kick();
  await eventually(async () =>
    (await stack.signer.store.listEvents({ orderId: order.id }))[0]?.attempts === 2 ? true : undefined,
  );
  expect(readFileSync(fulfilled, 'utf8')).toBe(`${order.id} SKU-9\n`);
});

it('refuses a webhook signed with another secret', async () => {
  const response = await fetch(php.url, {
    method: 'POST',
    headers: { 'codepay-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
    body: '{"id":"evt_forged","type":"order.paid","data":{"order":{"id":"x","reference":"free"}}}',
  });
  expect(response.status).toBe(400);
  expect(readFileSync(fulfilled, 'utf8')).not.toContain('free');
});
