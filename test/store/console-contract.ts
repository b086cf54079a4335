/** What the console asks of every store, on real SQLite and PostgreSQL databases alike. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../shared/api.ts';
import type { IncomingPayment } from '../../server/model/index.ts';
import { settlePayment } from '../../server/orders/settle.ts';
import type { Store } from '../../server/store/types.ts';

let sequence = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${sequence++}`;

export function consoleStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`${name} store: the console's queries`, () => {
    let store: Store;
    const ids: Record<string, string> = {};

    async function order(
      key: string,
      price: number,
      type: Channel,
      createdAt: number,
      text: { param?: string; reference?: string } = {},
    ) {
      const id = unique(key);
      ids[key] = id;
      await store.insertOrder({
        id,
        price,
        type,
        product: null,
        param: text.param ?? null,
        reference: text.reference ?? null,
        createdAt,
      });
      await store.markPending(
        id,
        {
          money: price + 1,
          gatewayOrderId: `G-${id}`,
          qrPayload: 'x',
          qrImageUrl: null,
          qrLink: null,
          qrEnterAmount: false,
          expiresAt: createdAt + 60_000,
        },
        createdAt + 10,
      );
      return id;
    }
    async function pay(id: string, money: number | null, receivedAt: number) {
      const incoming: IncomingPayment = { payNo: unique('pay'), payId: id, money, fields: { pay_id: id }, receivedAt };
      return store.recordPayment(incoming, (current) => settlePayment(current, incoming));
    }

    beforeAll(async () => {
      store = await open();
      await order('tea', 990, 1, 1_000, { param: 'green-tea', reference: 'INV-9' });
      await order('coffee', 1500, 3, 2_000, { reference: 'INV-10' });
      await order('open', 100, 2, 3_000);
      await order('odd', 500, 1, 4_000);
      await pay(ids.tea, 991, 10_000);
      await pay(ids.coffee, 1501, 20_000);
      // Not what the gateway asked: in review.
      await pay(ids.odd, 499, 30_000);
      await pay('nobody', 200, 40_000);
    });
    afterAll(() => store.close());

    it('searches by status, channel, time and text, counting all that match', async () => {
      const search = async (filter: object) => {
        const found = await store.console.searchOrders({ offset: 0, limit: 50, ...filter });
        return { ids: found.orders.map((row) => row.id), total: found.total };
      };
      expect(await search({ status: 'paid' })).toEqual({ ids: [ids.coffee, ids.tea], total: 2 });
      expect(await search({ type: 3 })).toEqual({ ids: [ids.coffee], total: 1 });
      expect(await search({ since: 2_000, until: 4_000 })).toEqual({ ids: [ids.open, ids.coffee], total: 2 });
      expect(await search({ text: 'green' })).toEqual({ ids: [ids.tea], total: 1 });
      expect(await search({ text: 'INV-1' })).toEqual({ ids: [ids.coffee], total: 1 });
      expect(await search({ text: ids.open.slice(0, 6) })).toMatchObject({ ids: [ids.open] });
      // A LIKE wildcard is only a character here.
      expect(await search({ text: '%' })).toEqual({ ids: [], total: 0 });
      const page = await store.console.searchOrders({ offset: 1, limit: 2 });
      expect([page.orders.map((row) => row.id), page.total]).toEqual([[ids.open, ids.coffee], 4]);
    });

    it('sums what paid orders took in each range of paid time', async () => {
      const sums = await store.console.takings([
        { start: 0, end: 15_000 },
        { start: 15_000, end: 25_000 },
        { start: 0, end: 100_000 },
        { start: 100_000, end: 200_000 },
      ]);
      expect(sums).toEqual([
        { cents: 991, count: 1 },
        { cents: 1501, count: 1 },
        { cents: 2492, count: 2 },
        { cents: 0, count: 0 },
      ]);
    });

    it('finds the payments that need a look: in review and orphan', async () => {
      const look = await store.console.needingLook(10);
      expect(look.count).toBe(2);
      expect(look.payments.map((payment) => [payment.outcome, payment.orderId])).toEqual([
        ['orphan', null],
        ['review', ids.odd],
      ]);
    });

    it('keeps every status change of an order', async () => {
      expect(await store.console.statusChanges(ids.tea)).toEqual([
        { at: 1_000, from: null, to: 'creating' },
        { at: 1_010, from: 'creating', to: 'pending' },
        { at: 10_000, from: 'pending', to: 'paid' },
      ]);
      await store.expireDue(70_000);
      expect((await store.console.statusChanges(ids.open)).at(-1)).toEqual({
        at: 70_000,
        from: 'pending',
        to: 'expired',
      });
    });

    it('records actions and lists them newest first, by order', async () => {
      const action = { actor: 'admin@127.0.0.1', target: null, result: 'ok' as const, detail: 'done' };
      await store.console.recordAction({ ...action, id: unique('act'), at: 1, action: 'reconcile', orderId: ids.tea });
      await store.console.recordAction({ ...action, id: unique('act'), at: 2, action: 'signin', orderId: null });
      const forTea = await store.console.listActions({ orderId: ids.tea, limit: 10 });
      expect(forTea.map((entry) => [entry.action, entry.at, entry.orderId])).toEqual([['reconcile', 1, ids.tea]]);
      expect((await store.console.listActions({ limit: 10 })).map((entry) => entry.action)).toEqual([
        'signin',
        'reconcile',
      ]);
    });

    it('tells the outbox backlog and the newest payment', async () => {
      expect(await store.console.outboxBacklog()).toEqual({ backlog: 0, givenUp: 0, oldestDueAt: null });
      expect(await store.console.lastPaymentAt()).toBe(40_000);
    });
  });
}
