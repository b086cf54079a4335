/** What the fuzzer found once, kept as plain tests: compressed-body errors, and connections left dirty. */
import { Agent, request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop({ removeData: true }));

interface Answer {
  status: number;
  connection: string | undefined;
  text: string;
}

/** POSTs over one keep-alive connection, so a request can see what the one before it left behind. */
function post(agent: Agent, path: string, headers: Record<string, string>, body: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = request(
      `${stack.url}${path}`,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode!, connection: response.headers.connection, text }),
        );
      },
    );
    sent.on('error', reject);
    sent.end(body);
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };
const big = JSON.stringify({ price: '1.00', param: 'x'.repeat(200_000) });

describe('a body that is not what its Content-Encoding says', () => {
  it.each([
    ['/api/orders', JSON_TYPE, 'gzip'],
    ['/api/orders', JSON_TYPE, 'deflate'],
    ['/api/orders', JSON_TYPE, 'br'],
    ['/api/notify', FORM_TYPE, 'gzip'],
  ])('%s %s with %s: 400 BAD_REQUEST, not a 500', async (path, type, encoding) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answer = await post(agent, path, { ...type, 'content-encoding': encoding }, '{"price":"1.00"}');
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text).error.code).toBe('BAD_REQUEST');
    } finally {
      agent.destroy();
    }
  });
});

describe('a request refused before its body was read', () => {
  it.each([
    ['a signer order, falsely gzipped', '/api/orders', { ...JSON_TYPE, 'content-encoding': 'gzip' }, big],
    [
      'a signer order, too large once unzipped',
      '/api/orders',
      { ...JSON_TYPE, 'content-encoding': 'gzip' },
      Buffer.concat([gzipSync(big).subarray(0, 100), Buffer.alloc(200_000, 1)]),
    ],
    ['a notify, too large', '/api/notify', FORM_TYPE, `a=${'x'.repeat(200_000)}`],
    ['a sandbox control call, too large', '/sandbox/_control/faults', JSON_TYPE, big],
  ])(
    '%s: the connection closes with the answer, and the next request is answered',
    async (_name, path, headers, body) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const refused = await post(agent, path, headers, body);
        expect(refused.status).toBeGreaterThanOrEqual(400);
        expect(refused.status).toBeLessThan(500);
        const next = await post(agent, '/api/orders', JSON_TYPE, '{"price":"x"}');
        expect([next.status, JSON.parse(next.text).error.code]).toEqual([400, 'INVALID_PRICE']);
      } finally {
        agent.destroy();
      }
    },
  );
});
