/**
 * Issue 13, finding 6: "The sandbox's `_control` is open to the network". With HOST=0.0.0.0 (the way to
 * pay from a phone) another machine, a local reverse proxy's clients or a hostile web page in the
 * developer's browser could list every order, switch faults or reset the sandbox; the pay page of a
 * paid order showed its signed return link to anyone. And the start-up lines must say, in words,
 * that whoever reaches /sandbox can fake payments.
 */
import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, payAtSandbox, postJson, requestJson } from '../support/http.ts';
import { freePort, killAll, startSignerProcess } from '../support/processes.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { isLoopback } from '../../server/sandbox/control.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { HOST: '0.0.0.0', RETURN_SUCCESS_URL: 'https://shop.example.com/thanks' } });
});
afterAll(async () => {
  await stack.stop({ removeData: true });
  await killAll();
});

const control = (path: string) => `${stack.sandboxUrl}/_control/${path}`;
// A switch a refusal failed to refuse must not spill into the next test.
afterEach(() => postJson(control('reset'), {}));
const faults = async () => (await requestJson(control('faults'))).body;

/** A raw request, for headers fetch will not send as given (Host). */
function rawGet(path: string, headers: Record<string, string>): Promise<number> {
  const { port } = new URL(stack.url);
  return new Promise((resolve, reject) => {
    const sent = request({ host: '127.0.0.1', port, path, headers }, (answer) => {
      answer.resume();
      resolve(answer.statusCode!);
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe("the sandbox's _control is open to the network", () => {
  // Another machine's request cannot be made here: the tests send traffic to loopback only (no
  // machine but this one is ours). So the peer check is shown on the addresses it must tell apart.
  it('no longer: a peer that is not this machine is not local', () => {
    for (const local of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])
      expect([local, isLoopback(local)]).toEqual([local, true]);
    for (const remote of ['192.0.2.2', '10.0.0.7', '::ffff:192.168.1.5', 'fe80::1', '2001:db8::1', '', undefined]) {
      expect([remote, isLoopback(remote)]).toEqual([remote, false]);
    }
  });

  it('no longer: a request a local reverse proxy forwarded (X-Forwarded-For, Forwarded) is not local', async () => {
    for (const [name, value] of [
      ['x-forwarded-for', '203.0.113.9'],
      ['forwarded', 'for=203.0.113.9'],
      ['x-real-ip', '203.0.113.9'],
    ]) {
      const header = { [name]: value };
      expect((await requestJson(control('orders'), { headers: header })).status).toBe(403);
      expect((await postJson(control('faults'), { createOrder: 'fail' }, header)).status).toBe(403);
    }
    expect(await faults()).toEqual({ global: {}, byPayId: {} });
  });

  it('no longer: a web page cannot drive it (text/plain or form POSTs, cross-site fetches, a rebound host name)', async () => {
    const body = JSON.stringify({ createOrder: 'fail' });
    const post = (headers: Record<string, string>) => fetch(control('faults'), { method: 'POST', headers, body });
    // What a page may send cross-site without asking first: refused as not JSON.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      expect([type, (await post({ 'content-type': type })).status]).toEqual([type, 415]);
    }
    expect((await fetch(control('reset'), { method: 'POST' })).status).toBe(415);
    // A browser names where a request comes from.
    expect((await post({ 'content-type': 'application/json', origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post({ 'content-type': 'application/json', 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect(await faults()).toEqual({ global: {}, byPayId: {} });
    // DNS rebinding: a hostile name resolved to 127.0.0.1 makes the page "same-origin"; its Host names it.
    expect(await rawGet('/sandbox/_control/orders', { host: `evil.example:${new URL(stack.url).port}` })).toBe(403);
    // Tests and developers on this machine: JSON, from here.
    expect((await postJson(control('faults'), { pay_id: 'control-test', slowMs: 1 })).status).toBe(200);
    expect((await postJson(control('reset'), {})).status).toBe(200);
    expect(await rawGet('/sandbox/_control/orders', { host: `localhost:${new URL(stack.url).port}` })).toBe(200);
  });
});

describe('the pay page of a paid order', () => {
  it('no longer shows its signed return link to whoever opens it, nor to a second payer', async () => {
    const order = await createOrder(stack.url, { price: '2.00' });
    // The buyer who pays is sent back to the merchant with the signed fields, as by the real gateway.
    const paid = await requestJson(order.qr!.payload!, { method: 'POST', headers: { accept: 'application/json' } });
    expect(paid.body.return_link).toContain('sign=');
    const page = await (await fetch(order.qr!.payload!)).text();
    expect(page).toContain('已支付 Paid');
    expect(page).not.toContain('sign=');
    expect(page).not.toContain('/api/return');
    const again = await payAtSandbox(order.qr!.payload!);
    expect(again).toMatchObject({ duplicate: true, return_link: '' });
    const againPage = await (await fetch(order.qr!.payload!, { method: 'POST' })).text();
    expect(againPage).not.toContain('sign=');
  });
});

describe('start-up in sandbox mode', () => {
  it('says in words that anyone who reaches /sandbox can fake payments', async () => {
    const port = await freePort();
    const child = await startSignerProcess({
      PORT: String(port),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'codepay-banner-')),
    });
    expect(child.output()).toContain(
      `Anyone who can reach http://127.0.0.1:${port}/sandbox can mark any order paid without paying.`,
    );
    await child.kill('SIGTERM');
  });
});
