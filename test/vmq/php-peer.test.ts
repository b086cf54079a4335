/**
 * Our PHP V免签 peers (test/peers/vmq/, written from PROTOCOLS.md) against the real thing over HTTP:
 * a PHP merchant creating at the V免签 sandbox and verifying its notify in a handler under `php -S`,
 * and V免签's side of a notify, signed in PHP, sent to our signer's GET /api/notify.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { createApp, withChain } from '../../server/http/app.ts';
import { createLogger } from '../../server/log.ts';
import { SANDBOX_VMQ_KEY } from '../../server/sandbox/credentials.ts';
import { createVmqSandbox } from '../../server/sandbox/vmq/index.ts';
import { createOrder, eventually, requestJson } from '../support/http.ts';
import { runPeer } from '../support/peers.ts';
import { startPhpServer, type PhpServer } from '../support/php.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { VMQ_VECTOR } from '../support/vectors.ts';

describe('a PHP merchant at the V免签 sandbox', () => {
  const log = join(mkdtempSync(join(tmpdir(), 'vmq-notify-')), 'notify.log');
  const sandbox = createVmqSandbox({ merchantKey: VMQ_VECTOR.key });
  const server = createServer(
    createApp(withChain(createLogger({ secrets: [VMQ_VECTOR.key], write: () => {} }), [sandbox.router])).callback(),
  );
  let url = '';
  let php: PhpServer;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const script = fileURLToPath(new URL('../peers/vmq/notify.php', import.meta.url));
    php = await startPhpServer(script, { VMQ_KEY: VMQ_VECTOR.key, NOTIFY_LOG: log });
  });
  afterAll(async () => {
    await php?.close();
    await sandbox.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("creates the test vector's order, pays it, and its handler verifies V免签's notify GET", async () => {
    const notifyUrl = `${php.url}/notify.php`;
    const [signed] = runPeer<{ sign: string; query: string }>('vmq', 'create_order.php', [
      { key: VMQ_VECTOR.key, order: { ...VMQ_VECTOR.order, notifyUrl } },
    ]);
    expect(signed.sign).toBe(VMQ_VECTOR.sign);
    const created = (await requestJson(`${url}/createOrder?${signed.query}`)).body;
    expect(created).toMatchObject({ code: 1, data: { payId: '1547129707139', price: 0.1, reallyPrice: 0.1 } });
    const paid = await requestJson(created.data.payUrl, { method: 'POST', headers: { accept: 'application/json' } });
    expect(paid.body).toMatchObject({ paid: true });
    const verified = await eventually(() =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line))
        : undefined,
    );
    expect(verified).toEqual([
      {
        payId: '1547129707139',
        param: 'vone666',
        type: '2',
        price: '0.1',
        reallyPrice: '0.1',
        sign: expect.any(String),
      },
    ]);
    // The sandbox records the attempt once it has read the answer, just after the handler logged.
    const attempts = await eventually(async () => {
      const list = (await requestJson(`${url}/_control/attempts?payId=1547129707139`)).body;
      return list.length > 0 ? list : undefined;
    });
    expect(attempts).toMatchObject([{ success: true, body: 'success' }]);
  });

  it('a PHP-signed createOrder with another key is refused (签名错误)', async () => {
    const [signed] = runPeer<{ query: string }>('vmq', 'create_order.php', [
      { key: 'another-key', order: { payId: 'X1', param: '', type: '1', price: '1.00' } },
    ]);
    expect((await requestJson(`${url}/createOrder?${signed.query}`)).body).toEqual({
      code: -1,
      msg: '签名错误',
      data: null,
    });
  });
});

describe("V免签's side of the notify, signed in PHP, at our signer", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { GATEWAY: 'vmq', RECONCILE_INTERVAL: '0' } });
  });
  afterAll(() => stack?.stop({ removeData: true }));

  it('GET /api/notify verifies it (prices as DOUBLE columns print them) and pays the order; tampered, fail', async () => {
    const orders = [
      await createOrder(stack.url, { price: '9.90', type: 1 }),
      await createOrder(stack.url, { price: '0.10', type: 3 }),
    ];
    const notify = (order: OrderView, type: string, reallyPrice = order.money!) => ({
      key: SANDBOX_VMQ_KEY,
      notify: { payId: order.id, param: '', type, price: order.price, reallyPrice },
    });
    const [alipay, wechat, tampered] = runPeer<{ query: string }>('vmq', 'sign_notify.php', [
      notify(orders[0], '2'),
      notify(orders[1], '1'),
      notify(orders[0], '2'),
    ]);
    expect(alipay.query).toContain('&price=9.9&reallyPrice=9.9&');
    const forged = await fetch(
      `${stack.url}/api/notify?${tampered.query.replace('reallyPrice=9.9', 'reallyPrice=0.99')}`,
    );
    expect([forged.status, await forged.text()]).toEqual([400, 'fail']);
    for (const signed of [alipay, wechat]) {
      const answer = await fetch(`${stack.url}/api/notify?${signed.query}`);
      expect([answer.status, await answer.text()]).toEqual([200, 'success']);
    }
    for (const order of orders) {
      expect((await requestJson<OrderView>(`${stack.url}/api/orders/${order.id}`)).body.status).toBe('paid');
    }
  });
});
