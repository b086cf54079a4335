/**
 * The routes served outside Koa (order reads and events, the notify) at a real signer: what they
 * answer beyond the other suites: HEAD, wrong methods, preflights, compressed and oversized notifies.
 */
import { Agent, request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { createOrder, eventually, requestJson } from '../support/http.ts';
import { notifyFor, signedForm } from '../support/notify.ts';
import { startStack, type Stack } from '../support/stack.ts';

const SHOP = 'https://shop.example.com';
const FORM = 'application/x-www-form-urlencoded';
let stack: Stack;
let order: OrderView;

beforeAll(async () => {
  stack = await startStack({ env: { ALLOWED_ORIGINS: SHOP } });
  order = await createOrder(stack.url, { price: '4.20' });
});
afterAll(() => stack.stop({ removeData: true }));

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request over `agent` (keep-alive: the next request on it sees what this one left behind). */
function send(agent: Agent, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer | Buffer[]): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = request(`${stack.url}${path}`, { method, agent, headers }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, text }));
    });
    sent.on('error', reject);
    // An array is sent as chunks, without a Content-Length.
    if (Array.isArray(body)) for (const chunk of body) sent.write(chunk);
    else if (body !== undefined) sent.write(body);
    sent.end();
  });
}

async function withAgent<T>(use: (agent: Agent) => Promise<T>): Promise<T> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    return await use(agent);
  } finally {
    agent.destroy();
  }
}

const errorCode = (answer: Answer) => JSON.parse(answer.text).error.code;

describe('HEAD', () => {
  it('answers an order read with its head only', async () => {
    await withAgent(async (agent) => {
      const head = await send(agent, 'HEAD', `/api/orders/${order.id}`);
      expect(head).toMatchObject({ status: 200, text: '' });
      expect(head.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      expect(Number(head.headers['content-length'])).toBeGreaterThan(100);
      expect((await send(agent, 'HEAD', '/api/orders/0000000000000000000000000000000000ff')).status).toBe(404);
    });
  });

  it('answers an event stream with its head, and holds no watcher', async () => {
    await withAgent(async (agent) => {
      const head = await send(agent, 'HEAD', `/api/orders/${order.id}/events`);
      expect(head).toMatchObject({ status: 200, text: '' });
      expect(head.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    });
    expect((await requestJson(`${stack.url}/healthz`)).body).toMatchObject({ watchers: 0, streams: 0 });
  });
});

describe('methods', () => {
  it.each([
    ['DELETE', `/api/orders/ORDER`, 'HEAD, GET'],
    ['POST', `/api/orders/ORDER/events`, 'HEAD, GET'],
    ['GET', '/api/notify', 'POST'],
    ['PUT', '/api/notify', 'POST'],
  ])('%s %s: 405 METHOD_NOT_ALLOWED, Allow: %s', async (method, path, allow) => {
    await withAgent(async (agent) => {
      const answer = await send(agent, method, path.replace('ORDER', order.id));
      expect([answer.status, errorCode(answer), answer.headers.allow]).toEqual([405, 'METHOD_NOT_ALLOWED', allow]);
    });
  });

  it("answers an allowed shop's preflight for the event stream", async () => {
    await withAgent(async (agent) => {
      const preflight = await send(agent, 'OPTIONS', `/api/orders/${order.id}/events`, { origin: SHOP, 'access-control-request-method': 'GET' });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(SHOP);
      const read = await send(agent, 'GET', `/api/orders/${order.id}`, { origin: SHOP });
      expect(read.headers).toMatchObject({ 'access-control-allow-origin': SHOP, 'access-control-expose-headers': 'X-Request-Id, Retry-After', vary: 'Origin' });
    });
  });
});

describe('the notify body', () => {
  it('takes a gzipped signed notify', async () => {
    const paid = await createOrder(stack.url, { price: '4.30' });
    await withAgent(async (agent) => {
      const body = gzipSync(signedForm(notifyFor(paid)));
      const answer = await send(agent, 'POST', '/api/notify', { 'content-type': FORM, 'content-encoding': 'gzip' }, body);
      expect([answer.status, answer.text]).toEqual([200, 'success']);
    });
    await eventually(async () => ((await requestJson(`${stack.url}/api/orders/${paid.id}`)).body.status === 'paid' ? true : undefined));
  });

  it.each([
    ['an unsupported Content-Encoding', { 'content-encoding': 'compress' }, 'a=1', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['over 16 KB without a Content-Length', {}, [Buffer.alloc(10_000, 'a'), Buffer.alloc(10_000, 'a')], 413, 'PAYLOAD_TOO_LARGE'],
    ['over 16 KB once unzipped', { 'content-encoding': 'gzip' }, gzipSync(Buffer.alloc(100_000, 'a')), 413, 'PAYLOAD_TOO_LARGE'],
  ] as const)('%s: a JSON refusal, and the connection still serves the next request', async (_name, headers, body, status, code) => {
    await withAgent(async (agent) => {
      const refused = await send(agent, 'POST', '/api/notify', { 'content-type': FORM, ...headers }, body as string | Buffer | Buffer[]);
      expect([refused.status, errorCode(refused)]).toEqual([status, code]);
      const next = await send(agent, 'POST', '/api/notify', { 'content-type': FORM }, 'pay_no=1');
      expect([next.status, next.text]).toEqual([400, 'fail']);
    });
  });

  it('answers fail to a body that is not a form, without reading it', async () => {
    await withAgent(async (agent) => {
      const answer = await send(agent, 'POST', '/api/notify', { 'content-type': 'application/json' }, signedForm(notifyFor(order)));
      expect([answer.status, answer.text, answer.headers['content-type']]).toEqual([400, 'fail', 'text/plain; charset=utf-8']);
    });
  });
});

describe('request log', () => {
  it('logs one line per answer, with its request id', async () => {
    await withAgent((agent) => send(agent, 'GET', `/api/orders/${order.id}?probe=1`, { 'x-request-id': 'lane-test-0001' }));
    const lines = stack.logs.filter((line) => line.includes('"requestId":"lane-test-0001"')).map((line) => JSON.parse(line));
    expect(lines).toEqual([expect.objectContaining({ msg: 'request', method: 'GET', path: `/api/orders/${order.id}`, status: 200, ms: expect.any(Number) })]);
  });
});
