/** How the widget learns the order's status: SSE, polling when a stream can't be held, pauses, drops. */
import { afterEach, expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import { cleanup, mount, pay, waitFor } from './helpers.ts';

const EVENTS_URL = '/api/orders/[^/]+/events';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setHidden(hidden: boolean): void {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event('visibilitychange'));
}

/** Every EventSource the page opens, by URL (a stream has no resource timing entry while open). */
const streamsOpened: string[] = [];
const RealEventSource = window.EventSource;
window.EventSource = class extends RealEventSource {
  constructor(url: string | URL, init?: EventSourceInit) {
    super(url, init);
    streamsOpened.push(String(url));
  }
};

afterEach(async () => {
  cleanup();
  await commands.blockRequests(null);
  delete (document as { hidden?: boolean }).hidden; // back to the prototype's getter
});

/** The order's streams opened and polls answered so far. */
function requests(id: string): { stream: number; poll: number } {
  const polls = performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname);
  return {
    stream: streamsOpened.filter((url) => new URL(url).pathname === `/api/orders/${id}/events`).length,
    poll: polls.filter((path) => path === `/api/orders/${id}`).length,
  };
}

test('SSE: paid arrives over the stream, without polling', async () => {
  const { el, order } = mount({ price: '7.00' });
  await el.start();
  await waitFor(el, 'pending');
  await sleep(300);
  await pay(order());
  await waitFor(el, 'paid', 3000);
  expect(requests(order().id).poll).toBe(0);
});

test('the stream closes while the tab is hidden; back, a new stream brings the state at once', async () => {
  const { el, order } = mount({ price: '7.05' });
  await el.start();
  await waitFor(el, 'pending');
  await expect.poll(() => requests(order().id).stream).toBe(1);
  setHidden(true);
  await pay(order());
  await sleep(1000);
  expect(el.status).toBe('pending'); // nothing held open, nothing heard
  setHidden(false);
  await waitFor(el, 'paid', 1500);
  expect(requests(order().id)).toEqual({ stream: 2, poll: 0 });
});

test('falls back to polling when the stream cannot be held', async () => {
  await commands.blockRequests(EVENTS_URL);
  const { el, order } = mount({ price: '7.10' });
  await el.start();
  await waitFor(el, 'pending');
  await expect.poll(() => requests(order().id).poll, { timeout: 8000 }).toBeGreaterThan(0);
  await pay(order());
  await waitFor(el, 'paid', 15_000);
});

test('polling pauses while the tab is hidden and checks at once when it returns', async () => {
  await commands.blockRequests(EVENTS_URL);
  const { el, order } = mount({ price: '7.20' });
  await el.start();
  await waitFor(el, 'pending');
  await expect.poll(() => requests(order().id).poll, { timeout: 8000 }).toBeGreaterThan(0);
  setHidden(true);
  await sleep(200); // let a poll already in flight land
  const polls = requests(order().id).poll;
  await pay(order());
  await sleep(4000);
  expect(el.status).toBe('pending');
  expect(requests(order().id).poll).toBe(polls);
  setHidden(false);
  await waitFor(el, 'paid', 2000);
});

test('after a network drop, the `online` event reconnects at once instead of waiting out the backoff', async () => {
  await commands.blockRequests(EVENTS_URL);
  const { el, order } = mount({ price: '7.30' });
  await el.start();
  await waitFor(el, 'pending');
  await expect.poll(() => requests(order().id).poll, { timeout: 8000 }).toBeGreaterThan(0); // polling now
  // The network goes: every poll fails and the backoff grows.
  await commands.blockRequests('/api/orders/');
  await sleep(5000);
  await pay(order());
  const streams = requests(order().id).stream;
  await commands.blockRequests(null);
  window.dispatchEvent(new Event('online'));
  await waitFor(el, 'paid', 1500);
  expect(requests(order().id).stream).toBe(streams + 1); // back on the stream, not polling
});
