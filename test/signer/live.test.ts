/** Live status: Server-Sent Events from a real signer as the sandbox pays, and streams that end cleanly. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { createOrder, eventually, payAtSandbox, requestJson } from '../support/http.ts';
import { openEvents } from '../support/sse.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ heartbeatMs: 200 });
});
afterAll(() => stack.stop({ removeData: true }));

const health = async () => (await requestJson(`${stack.url}/healthz`)).body;

describe('GET /api/orders/:id/events', () => {
  it('sends the current state first, then paid, then ends the stream', async () => {
    const order = await createOrder(stack.url, { price: '9.90' });
    const events = await openEvents(`${stack.url}/api/orders/${order.id}/events`);
    expect(events.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(events.headers.get('x-accel-buffering')).toBe('no');
    const first = await events.next();
    expect(first.event).toBe('pending');
    expect(JSON.parse(first.data)).toMatchObject({ id: order.id, status: 'pending', money: order.money });
    await payAtSandbox(order.qr!.payload!);
    const paid = await events.next();
    expect(paid.event).toBe('paid');
    const view: OrderView = JSON.parse(paid.data);
    expect(view).toMatchObject({ id: order.id, status: 'paid', late: false });
    await events.ended;
    expect(await health()).toMatchObject({ watchers: 0, streams: 0 });
  });

  it('sends only the final state for an order already paid, and ends', async () => {
    const order = await createOrder(stack.url, { price: '1.50' });
    await payAtSandbox(order.qr!.payload!);
    await eventually(async () =>
      (await requestJson(`${stack.url}/api/orders/${order.id}`)).body.status === 'paid' ? true : undefined,
    );
    const events = await openEvents(`${stack.url}/api/orders/${order.id}/events`);
    expect((await events.next()).event).toBe('paid');
    await events.ended;
  });

  it('tells every watcher of the same order', async () => {
    const order = await createOrder(stack.url, { price: '2.20' });
    const watchers = await Promise.all([1, 2, 3].map(() => openEvents(`${stack.url}/api/orders/${order.id}/events`)));
    for (const watcher of watchers) expect((await watcher.next()).event).toBe('pending');
    await payAtSandbox(order.qr!.payload!);
    for (const watcher of watchers) expect((await watcher.next()).event).toBe('paid');
  });

  it('sends heartbeats while waiting, and frees the listener when the client leaves', async () => {
    const order = await createOrder(stack.url, { price: '3.30' });
    const raw = await fetch(`${stack.url}/api/orders/${order.id}/events`);
    const reader = raw.body!.getReader();
    let text = '';
    while (!text.includes(': ping')) text += new TextDecoder().decode((await reader.read()).value);
    expect(await health()).toMatchObject({ watchers: 1, streams: 1 });
    await reader.cancel();
    await eventually(
      async () => {
        const now = await health();
        return now.watchers === 0 && now.streams === 0 ? true : undefined;
      },
      5_000,
      'listener freed',
    );
  });

  it('answers 404 as JSON for an unknown order, not a stream', async () => {
    const answer = await requestJson(`${stack.url}/api/orders/no-such-order-0000000000/events`);
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('ORDER_NOT_FOUND');
  });

  it('sends expired when nobody pays in time', async () => {
    const shortLived = await startStack({ env: { ORDER_TTL: '1' } });
    try {
      const order = await createOrder(shortLived.url, { price: '4.40' });
      const events = await openEvents(`${shortLived.url}/api/orders/${order.id}/events`);
      expect((await events.next()).event).toBe('pending');
      expect((await events.next(5_000)).event).toBe('expired');
      events.close();
    } finally {
      await shortLived.stop({ removeData: true });
    }
  });
});

describe('shutdown and restart', () => {
  it('ends open streams on shutdown and keeps every order on the same data', async () => {
    const own = await startStack();
    const order = await createOrder(own.url, { price: '5.50' });
    await payAtSandbox(order.qr!.payload!);
    await eventually(async () =>
      (await requestJson(`${own.url}/api/orders/${order.id}`)).body.status === 'paid' ? true : undefined,
    );
    const pending = await createOrder(own.url, { price: '6.60' });
    const events = await openEvents(`${own.url}/api/orders/${pending.id}/events`);
    expect((await events.next()).event).toBe('pending');
    await own.stop();
    await events.ended;
    const again = await startStack({ dataDir: own.dataDir });
    try {
      expect((await requestJson(`${again.url}/api/orders/${order.id}`)).body).toMatchObject({
        status: 'paid',
        price: '5.50',
      });
      expect((await requestJson(`${again.url}/api/orders/${pending.id}`)).body).toMatchObject({ status: 'pending' });
    } finally {
      await again.stop({ removeData: true });
    }
  });
});
