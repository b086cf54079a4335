/**
 * Issue 13, finding 7: "The sandbox never frees orders" (20,000 orders held +104 MB). A real sandbox
 * on a clock the test moves: orders keep coming for a simulated hour, and what it holds stays bounded;
 * a paid order stays until its notify is done, an unpaid one a while after it expired.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { signedQuery } from '../../server/codepay/protocol.ts';
import {
  getJson,
  MERCHANT_ID,
  MERCHANT_KEY,
  startMerchant,
  startSandbox,
  waitFor,
  type RunningSandbox,
} from '../support/sandbox.ts';

let gateway: RunningSandbox | undefined;
afterEach(() => gateway?.close());

let now = Date.parse('2026-05-01T00:00:00Z');
const MINUTE = 60_000;

async function create(params: Record<string, string>): Promise<{ order_id: string }> {
  const query = signedQuery({ id: MERCHANT_ID, type: '1', page: '4', outTime: '60', ...params }, MERCHANT_KEY);
  const answer = await getJson(`${gateway!.url}/creat_order/?${query}`);
  expect(answer.status).toBe(0);
  return answer as unknown as { order_id: string };
}

const held = async () => ((await getJson(`${gateway!.url}/_control/orders`)) as unknown as unknown[]).length;
const payOrder = (orderId: string) =>
  fetch(`${gateway!.url}/pay/${orderId}`, { method: 'POST', headers: { accept: 'application/json' } });

describe('the sandbox never frees orders', () => {
  it('no longer: an hour of orders that expire unpaid leave a bounded number held', async () => {
    gateway = await startSandbox({ now: () => now });
    const first = await create({ price: '1.00', pay_id: 'first' });
    let created = 1;
    for (let minute = 0; minute < 60; minute++) {
      for (let i = 0; i < 20; i++, created++)
        await create({ price: `${1 + (i % 5)}.00`, pay_id: `flood-${minute}-${i}` });
      now += MINUTE;
    }
    // 1,201 orders made over an hour; held: the open ones and those that expired in the last ten minutes or so.
    expect(created).toBe(1201);
    expect(await held()).toBeLessThanOrEqual(20 * 13);
    expect((await fetch(`${gateway.url}/pay/${first.order_id}`)).status).toBe(404);
  });

  it('keeps a paid order until its notify is done, then lets it go with its notify attempts', async () => {
    const refusing = await startMerchant(['fail']);
    const accepting = await startMerchant(['success']);
    try {
      // Retries an hour apart: the refused notify is still being sent when the test ends.
      gateway = await startSandbox({ now: () => now, retrySchedule: [3600] });
      const waiting = await create({ price: '7.00', pay_id: 'waiting', notify_url: refusing.url });
      const done = await create({ price: '8.00', pay_id: 'done', notify_url: accepting.url });
      expect((await payOrder(waiting.order_id)).status).toBe(200);
      expect((await payOrder(done.order_id)).status).toBe(200);
      await waitFor(
        async () => (accepting.received.length && refusing.received.length ? true : undefined),
        'both notifies',
      );
      for (let minute = 0; minute < 30; minute++) {
        await create({ price: '1.00', pay_id: `later-${minute}` });
        now += MINUTE;
      }
      await create({ price: '1.00', pay_id: 'last' });
      const orders = (await getJson(`${gateway.url}/_control/orders`)) as unknown as { order_id: string }[];
      const ids = orders.map((order) => order.order_id);
      expect(ids).toContain(waiting.order_id);
      expect(ids).not.toContain(done.order_id);
      const attempts = (await getJson(`${gateway.url}/_control/attempts`)) as unknown as { orderId: string }[];
      expect(attempts.map((attempt) => attempt.orderId)).toEqual([waiting.order_id]);
      expect((await fetch(`${gateway.url}/pay/${waiting.order_id}`)).status).toBe(200);
    } finally {
      await refusing.close();
      await accepting.close();
    }
  });
});
