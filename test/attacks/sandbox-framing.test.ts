/**
 * Issue 13, finding 7 (first point): the sandbox's HTML pages sent no CSP, no framing refusal, no
 * nosniff and no Referrer-Policy, so one click on an invisibly framed pay page paid the order. They
 * now get the signer's headers (and its log line), as every other answer does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder } from '../support/http.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop({ removeData: true }));

describe('the sandbox pay page', () => {
  it('cannot be framed, is not sniffed, sends no Referer, and is logged with its request id', async () => {
    const order = await createOrder(stack.url, { price: '2.40' });
    const page = await fetch(order.qr!.payload!, { headers: { 'x-request-id': 'sandbox-page-0001' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const path = new URL(order.qr!.payload!).pathname;
    const lines = stack.logs
      .filter((line) => line.includes('"requestId":"sandbox-page-0001"'))
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([expect.objectContaining({ msg: 'request', method: 'GET', path, status: 200 })]);
  });

  it('the QR image is not sniffed either', async () => {
    const order = await createOrder(stack.url, { price: '2.50' });
    const qr = await fetch(order.qr!.payload!.replace('/pay/', '/qr/') + '.png');
    expect([qr.status, qr.headers.get('content-type'), qr.headers.get('x-content-type-options')]).toEqual([
      200,
      'image/png',
      'nosniff',
    ]);
  });
});
