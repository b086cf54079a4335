/**
 * The busiest routes (order creation, reads and events, the notify) at a real signer, at the edges
 * users and gateways reach: HEAD, wrong methods, preflights, compressed and oversized bodies,
 * refusals by language, the client address behind a proxy.
 */
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { createOrder, eventually, requestJson } from '../support/http.ts';
import { notifyFor, signedForm } from '../support/notify.ts';
import { startStack, type Stack } from '../support/stack.ts';

const SHOP = 'https://shop.example.com';
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const API_SECRET = 'merchant-backend-secret-0001';
let stack: Stack;
let order: OrderView;

beforeAll(async () => {
  stack = await startStack({ env: { ALLOWED_ORIGINS: SHOP, API_SECRET } });
  order = await createOrder(stack.url, { price: '4.20' });
});
afterAll(() => stack.stop({ removeData: true }));

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request over `agent` (keep-alive: the next request on it sees what this one left behind). */
function send(
  agent: Agent,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer | Buffer[],
  base = stack.url,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = request(`${base}${path}`, { method, agent, headers }, (response) => {
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
      expect(head.headers).toMatchObject({
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
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
    // The notify comes as a POST (CodePay) or a GET (epay, V免签).
    ['PUT', '/api/notify', 'POST, HEAD, GET'],
  ])('%s %s: 405 METHOD_NOT_ALLOWED, Allow: %s', async (method, path, allow) => {
    await withAgent(async (agent) => {
      const answer = await send(agent, method, path.replace('ORDER', order.id));
      expect([answer.status, errorCode(answer), answer.headers.allow]).toEqual([405, 'METHOD_NOT_ALLOWED', allow]);
    });
  });

  it("answers an allowed shop's preflight for the event stream", async () => {
    await withAgent(async (agent) => {
      const preflight = await send(agent, 'OPTIONS', `/api/orders/${order.id}/events`, {
        origin: SHOP,
        'access-control-request-method': 'GET',
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(SHOP);
      const read = await send(agent, 'GET', `/api/orders/${order.id}`, { origin: SHOP });
      expect(read.headers).toMatchObject({
        'access-control-allow-origin': SHOP,
        'access-control-expose-headers': 'X-Request-Id, Retry-After',
        vary: 'Origin',
      });
    });
  });
});

describe('the notify body', () => {
  it('takes a gzipped signed notify', async () => {
    const paid = await createOrder(stack.url, { price: '4.30' });
    await withAgent(async (agent) => {
      const body = gzipSync(signedForm(notifyFor(paid)));
      const answer = await send(
        agent,
        'POST',
        '/api/notify',
        { 'content-type': FORM, 'content-encoding': 'gzip' },
        body,
      );
      expect([answer.status, answer.text]).toEqual([200, 'success']);
    });
    await eventually(async () =>
      (await requestJson(`${stack.url}/api/orders/${paid.id}`)).body.status === 'paid' ? true : undefined,
    );
  });

  it.each([
    ['an unsupported Content-Encoding', { 'content-encoding': 'compress' }, 'a=1', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [
      'over 16 KB without a Content-Length',
      {},
      [Buffer.alloc(10_000, 'a'), Buffer.alloc(10_000, 'a')],
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'over 16 KB once unzipped',
      { 'content-encoding': 'gzip' },
      gzipSync(Buffer.alloc(100_000, 'a')),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ] as const)(
    '%s: a JSON refusal, and the connection still serves the next request',
    async (_name, headers, body, status, code) => {
      await withAgent(async (agent) => {
        const refused = await send(
          agent,
          'POST',
          '/api/notify',
          { 'content-type': FORM, ...headers },
          body as string | Buffer | Buffer[],
        );
        expect([refused.status, errorCode(refused)]).toEqual([status, code]);
        const next = await send(agent, 'POST', '/api/notify', { 'content-type': FORM }, 'pay_no=1');
        expect([next.status, next.text]).toEqual([400, 'fail']);
      });
    },
  );

  it('answers fail to a body that is not a form, without reading it', async () => {
    await withAgent(async (agent) => {
      const answer = await send(
        agent,
        'POST',
        '/api/notify',
        { 'content-type': 'application/json' },
        signedForm(notifyFor(order)),
      );
      expect([answer.status, answer.text, answer.headers['content-type']]).toEqual([
        400,
        'fail',
        'text/plain; charset=utf-8',
      ]);
    });
  });
});

describe('request log', () => {
  it('logs one line per answer, with its request id', async () => {
    await withAgent((agent) =>
      send(agent, 'GET', `/api/orders/${order.id}?probe=1`, { 'x-request-id': 'edges-read-0001' }),
    );
    const lines = stack.logs
      .filter((line) => line.includes('"requestId":"edges-read-0001"'))
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'request',
        method: 'GET',
        path: `/api/orders/${order.id}`,
        status: 200,
        ms: expect.any(Number),
      }),
    ]);
  });
});

describe('order creation', () => {
  const ORDER = '{"price":"1.00"}';
  const post = (headers: Record<string, string>, body?: string | Buffer | Buffer[]) =>
    withAgent((agent) => send(agent, 'POST', '/api/orders', headers, body));

  it('answers 201 with the order, its Location, no-store, and a log line', async () => {
    const created = await post({ 'content-type': JSON_TYPE, 'x-request-id': 'edges-create-0001' }, ORDER);
    const view = JSON.parse(created.text);
    expect([created.status, view.status, view.price]).toEqual([201, 'pending', '1.00']);
    expect(created.headers).toMatchObject({
      location: `/api/orders/${view.id}`,
      'cache-control': 'no-store',
      'content-type': 'application/json; charset=utf-8',
    });
    const lines = stack.logs
      .filter((line) => line.includes('"requestId":"edges-create-0001"'))
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'request', method: 'POST', path: '/api/orders', status: 201 }),
    ]);
  });

  it.each([
    ['gzip', gzipSync(ORDER)],
    ['deflate', deflateSync(ORDER)],
    ['br', brotliCompressSync(ORDER)],
  ])('takes a %s body', async (encoding, body) => {
    const created = await post({ 'content-type': JSON_TYPE, 'content-encoding': encoding }, body);
    expect([created.status, JSON.parse(created.text).price]).toEqual([201, '1.00']);
  });

  it('takes a body of exactly 16 KB, with a byte-order mark, and with JSON parameters in its type', async () => {
    const padded = ORDER + ' '.repeat(16 * 1024 - ORDER.length);
    for (const [type, body] of [
      [JSON_TYPE, padded],
      [JSON_TYPE, `\ufeff${ORDER}`],
      ['Application/JSON; charset=utf-8', ORDER],
    ]) {
      expect((await post({ 'content-type': type }, body)).status, JSON.stringify(body.slice(0, 20))).toBe(201);
    }
  });

  it.each([
    ['over 16 KB', {}, ORDER + ' '.repeat(16 * 1024), 413, 'PAYLOAD_TOO_LARGE'],
    [
      'over 16 KB in chunks, without a Content-Length',
      {},
      [Buffer.from(ORDER), Buffer.alloc(10_000, ' '), Buffer.alloc(10_000, ' ')],
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'over 16 KB once unzipped',
      { 'content-encoding': 'gzip' },
      gzipSync(ORDER + ' '.repeat(16 * 1024)),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    ['whitespace only', {}, '  \n', 400, 'BAD_REQUEST'],
    ['a number at the top', {}, '42', 400, 'BAD_REQUEST'],
    ['a "__proto__" key', {}, '{"__proto__":{"trusted":true},"price":"1.00"}', 400, 'BAD_REQUEST'],
    ['a nested, escaped "__proto__" key', {}, '{"price":"1.00","param":{"\\u005f_proto__":{}}}', 400, 'BAD_REQUEST'],
    ['an empty body (an empty object, as before)', {}, '', 400, 'INVALID_PRICE'],
  ] as const)(
    '%s: %i %s, and the connection still serves the next order',
    async (_name, headers, body, status, code) => {
      const before = await stack.signer.store.counts();
      await withAgent(async (agent) => {
        const refused = await send(
          agent,
          'POST',
          '/api/orders',
          { 'content-type': JSON_TYPE, ...headers },
          body as string | Buffer[],
        );
        expect([refused.status, errorCode(refused)]).toEqual([status, code]);
        expect(await stack.signer.store.counts()).toEqual(before);
        expect((await send(agent, 'POST', '/api/orders', { 'content-type': JSON_TYPE }, ORDER)).status).toBe(201);
      });
    },
  );

  it('refuses a request with no body at all as not JSON', async () => {
    const answer = await new Promise<string>((resolve) => {
      const { port } = new URL(stack.url);
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write(
          'POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n',
        ),
      );
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('end', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 415 /);
    expect(answer).toContain('"UNSUPPORTED_MEDIA_TYPE"');
  });

  it('answers a body cut off mid-way as a refusal, not an unexpected error', async () => {
    const { port } = new URL(stack.url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.write(
      'POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Request-Id: edges-cut-off-0001\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n',
    );
    // "100 Continue" comes once the request is being served: then send part of the body and hang up.
    await new Promise((resolve) => socket.once('data', resolve));
    socket.end('{"pri', () => socket.destroy());
    const lines = await eventually(() => {
      const found = stack.logs.filter((line) => line.includes('edges-cut-off-0001')).map((line) => JSON.parse(line));
      return found.length ? found : undefined;
    });
    expect(lines).toEqual([expect.objectContaining({ msg: 'request', status: 400 })]);
  });

  it('checks the secret first, then the type; refusals speak Chinese when asked', async () => {
    const wrongSecret = await post(
      { 'content-type': 'text/plain', authorization: 'Bearer not-the-secret', 'accept-language': 'zh-TW' },
      ORDER,
    );
    expect([wrongSecret.status, JSON.parse(wrongSecret.text).error]).toEqual([
      401,
      { code: 'UNAUTHORIZED', message: '未經授權的請求。' },
    ]);
    const notJson = await post({ 'content-type': 'text/plain', 'accept-language': 'zh-CN' }, ORDER);
    expect([notJson.status, JSON.parse(notJson.text).error]).toEqual([
      415,
      { code: 'UNSUPPORTED_MEDIA_TYPE', message: '请求内容类型不正确。' },
    ]);
    expect(notJson.headers.vary).toBe('Origin, Accept-Language');
    const trusted = await post(
      { 'content-type': JSON_TYPE, authorization: `Bearer ${API_SECRET}` },
      '{"price":"123.45","reference":"r-1"}',
    );
    expect([trusted.status, JSON.parse(trusted.text).reference]).toEqual([201, 'r-1']);
  });

  it("answers an allowed shop's preflight and order with CORS headers, in any case of the path", async () => {
    await withAgent(async (agent) => {
      const preflight = await send(agent, 'OPTIONS', '/api/orders', {
        origin: SHOP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers).toMatchObject({
        'access-control-allow-origin': SHOP,
        'access-control-allow-headers': 'Content-Type, Authorization, X-Request-Id',
      });
      for (const path of ['/api/orders', '/API/Orders/']) {
        const created = await send(agent, 'POST', path, { origin: SHOP, 'content-type': JSON_TYPE }, ORDER);
        expect(created.status).toBe(201);
        expect(created.headers).toMatchObject({
          'access-control-allow-origin': SHOP,
          'access-control-expose-headers': 'X-Request-Id, Retry-After',
          vary: 'Origin',
        });
        const refused = await send(
          agent,
          'POST',
          path,
          { origin: 'https://evil.example', 'content-type': JSON_TYPE },
          ORDER,
        );
        expect([refused.status, errorCode(refused)]).toEqual([403, 'FORBIDDEN_ORIGIN']);
      }
    });
  });

  it.each(['GET', 'HEAD', 'PUT', 'DELETE'])('%s: 405, Allow: POST', async (method) => {
    const answer = await withAgent((agent) => send(agent, method, '/api/orders'));
    expect([answer.status, answer.headers.allow]).toEqual([405, 'POST']);
  });

  it('answers OPTIONS that is no preflight with Allow: POST', async () => {
    const answer = await withAgent((agent) => send(agent, 'OPTIONS', '/api/orders'));
    expect([answer.status, answer.headers.allow]).toEqual([200, 'POST']);
  });
});

describe('the rate limit behind a trusted proxy (TRUST_PROXY)', () => {
  let proxied: Stack;
  beforeAll(async () => {
    proxied = await startStack({ env: { TRUST_PROXY: '1', RATE_LIMIT_PER_MINUTE: '2', API_SECRET } });
  });
  afterAll(() => proxied.stop({ removeData: true }));

  const postFrom = (forwardedFor: string | undefined, headers: Record<string, string> = {}) =>
    withAgent((agent) =>
      send(
        agent,
        'POST',
        '/api/orders',
        { 'content-type': JSON_TYPE, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}), ...headers },
        '{"price":"1.00"}',
        proxied.url,
      ),
    );

  it('gives each client the proxy saw (the last X-Forwarded-For entry) its own budget; the trusted backend has none', async () => {
    const statuses = async (forwardedFor: string | undefined) => [
      (await postFrom(forwardedFor)).status,
      (await postFrom(forwardedFor)).status,
    ];
    expect(await statuses('203.0.113.1')).toEqual([201, 201]);
    // The proxy appends the peer it saw after what the client wrote: the client is the last entry.
    const limited = await postFrom('10.0.0.1, 203.0.113.1');
    expect([limited.status, errorCode(limited)]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await statuses('198.51.100.7')).toEqual([201, 201]);
    // Without the header, the socket's peer (127.0.0.1) is the client.
    expect(await statuses(undefined)).toEqual([201, 201]);
    expect((await postFrom(undefined)).status).toBe(429);
    expect((await postFrom('203.0.113.1', { authorization: `Bearer ${API_SECRET}` })).status).toBe(201);
  });
});
