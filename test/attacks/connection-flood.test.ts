/**
 * Issue 13, finding 4 ("no cap on connections or streams"): one address could hold event streams
 * until the signer ran out of file descriptors, streams on orders that can no longer change never
 * ended, and slow bodies were held for minutes. Each cap answers clearly and leaves the rest served.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOrder, eventually, postForm, requestJson } from '../support/http.ts';
import { openEvents, type SseClient } from '../support/sse.ts';
import { startStack, type Stack } from '../support/stack.ts';

const stacks: Stack[] = [];
const streams: SseClient[] = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  for (const stack of stacks.splice(0)) await stack.stop({ removeData: true });
});

async function stackWith(
  env: Record<string, string>,
  options: { heartbeatMs?: number; sweepIntervalMs?: number } = {},
): Promise<Stack> {
  const stack = await startStack({ env, ...options });
  stacks.push(stack);
  return stack;
}

async function watch(stack: Stack, orderId: string): Promise<SseClient> {
  const stream = await openEvents(`${stack.url}/api/orders/${orderId}/events`);
  streams.push(stream);
  return stream;
}

const refusal = async (stack: Stack, orderId: string) => {
  const answer = await fetch(`${stack.url}/api/orders/${orderId}/events`, { headers: { accept: 'text/event-stream' } });
  return {
    status: answer.status,
    retryAfter: answer.headers.get('retry-after'),
    code: (await answer.json()).error.code,
  };
};

describe('event streams per client address', () => {
  it('refuses a stream past SSE_MAX_PER_CLIENT with 429 TOO_MANY_STREAMS, and admits one again when one ends', async () => {
    const stack = await stackWith({ SSE_MAX_PER_CLIENT: '2' });
    const order = await createOrder(stack.url, { price: '1.10' });
    const [first] = [await watch(stack, order.id), await watch(stack, order.id)];
    expect(await refusal(stack, order.id)).toEqual({
      status: 429,
      retryAfter: expect.stringMatching(/^\d+$/),
      code: 'TOO_MANY_STREAMS',
    });
    // The address is still served everything else.
    expect((await requestJson(`${stack.url}/healthz`)).body).toMatchObject({ ok: true, streams: 2 });
    expect((await createOrder(stack.url, { price: '1.20' })).status).toBe('pending');
    first.close();
    const again = await eventually(async () => {
      const answer = await fetch(`${stack.url}/api/orders/${order.id}/events`);
      if (answer.status !== 200) return undefined;
      await answer.body!.cancel();
      return answer.status;
    });
    expect(again).toBe(200);
  });
});

describe('event streams in total', () => {
  it('refuses a stream past SSE_MAX_STREAMS with 503 SERVER_BUSY, while orders, notifies and /healthz are answered', async () => {
    const stack = await stackWith({ SSE_MAX_STREAMS: '2', SSE_MAX_PER_CLIENT: '100' });
    const order = await createOrder(stack.url, { price: '1.30' });
    await watch(stack, order.id);
    await watch(stack, order.id);
    expect(await refusal(stack, order.id)).toEqual({
      status: 503,
      retryAfter: expect.stringMatching(/^\d+$/),
      code: 'SERVER_BUSY',
    });
    expect((await requestJson(`${stack.url}/healthz`)).status).toBe(200);
    expect((await createOrder(stack.url, { price: '1.40' })).status).toBe('pending');
    expect(await postForm(`${stack.url}/api/notify`, 'pay_no=1')).toEqual({ status: 400, text: 'fail' });
  });
});

describe('a stream whose order can no longer change', () => {
  it('ends once the order has expired, and a new stream on it is answered 204 (EventSource stops reconnecting)', async () => {
    const stack = await stackWith({ ORDER_TTL: '1' });
    const order = await createOrder(stack.url, { price: '1.50' });
    const stream = await watch(stack, order.id);
    expect((await stream.next()).event).toBe('pending');
    expect((await stream.next(5_000)).event).toBe('expired');
    await stream.ended;
    const again = await fetch(`${stack.url}/api/orders/${order.id}/events`, {
      headers: { accept: 'text/event-stream' },
    });
    expect([again.status, await again.text()]).toEqual([204, '']);
    expect((await requestJson(`${stack.url}/healthz`)).body).toMatchObject({ watchers: 0, streams: 0 });
  });

  it('ends a stream on a pending order past its expiry that nothing has marked expired yet', async () => {
    const stack = await stackWith({ ORDER_TTL: '1' }, { sweepIntervalMs: 3_600_000 });
    const order = await createOrder(stack.url, { price: '1.60' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const answer = await fetch(`${stack.url}/api/orders/${order.id}/events`, {
      headers: { accept: 'text/event-stream' },
    });
    expect(answer.status).toBe(204);
    expect((await requestJson(`${stack.url}/api/orders/${order.id}`)).body.status).toBe('pending');
  });
});

describe('a stream past its maximum age', () => {
  it('is ended by the signer after SSE_MAX_AGE seconds; reconnecting gets the current state again', async () => {
    const stack = await stackWith({ SSE_MAX_AGE: '1' }, { heartbeatMs: 200 });
    const order = await createOrder(stack.url, { price: '1.70' });
    const stream = await watch(stack, order.id);
    expect((await stream.next()).event).toBe('pending');
    await stream.ended;
    const again = await watch(stack, order.id);
    expect((await again.next()).event).toBe('pending');
  });
});

/** A raw connection that sends `text` and reports what it got until the server closed it. */
function heldConnection(stack: Stack, text: string): { socket: Socket; closed: Promise<string> } {
  const socket = connect(Number(new URL(stack.url).port), '127.0.0.1', () => socket.write(text));
  let received = '';
  socket.on('data', (chunk) => (received += chunk));
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  return { socket, closed };
}

describe('slow requests', () => {
  it('a body that never ends is cut at REQUEST_TIMEOUT with 408, and creates nothing', async () => {
    const stack = await stackWith({ REQUEST_TIMEOUT: '1' });
    const before = await stack.signer.store.counts();
    const { closed } = heldConnection(
      stack,
      'POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"price":',
    );
    expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
    expect(await stack.signer.store.counts()).toEqual(before);
  });

  it('headers that never end are cut at REQUEST_TIMEOUT', async () => {
    const stack = await stackWith({ REQUEST_TIMEOUT: '1' });
    const { closed } = heldConnection(stack, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
  });
});
