/**
 * What every store must do, whatever the database: the same suite runs against SQLite and
 * PostgreSQL, on real databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../shared/api.ts';
import type { IncomingPayment, NewOrder } from '../../server/model/index.ts';
import { settlePayment, settleReview } from '../../server/orders/settle.ts';
import { outboxRows, paymentEvent } from '../../server/outbox/events.ts';
import type { DecideChange, DecidePayment, Store } from '../../server/store/types.ts';

export interface StoreFactory {
  /** A store on a fresh, empty database. */
  open(): Promise<Store>;
  /** Another store on the same database as the last one opened (a restart, or another instance). */
  reopen(): Promise<Store>;
}

let sequence = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now()}-${sequence++}`;

function newOrder(overrides: Partial<NewOrder> = {}): NewOrder {
  return {
    id: unique('order'),
    price: 990,
    type: 1 as Channel,
    product: null,
    param: 'p',
    reference: 'R-1',
    createdAt: 1_000,
    ...overrides,
  };
}

function payment(payId: string, money: number | null, overrides: Partial<IncomingPayment> = {}): IncomingPayment {
  return {
    payNo: unique('pay'),
    payId,
    money,
    fields: { pay_id: payId, money: String(money) },
    receivedAt: 5_000,
    ...overrides,
  };
}

/** The order service's rules for a payment, with one webhook event for each (the store runs them). */
const webhookEvents =
  (paid: IncomingPayment): DecidePayment =>
  (order) => {
    const { outcome, change } = settlePayment(order, paid);
    const summary = { payNo: paid.payNo, money: paid.money, outcome, payTime: null, param: null };
    return {
      outcome,
      change,
      events: (settled) =>
        outboxRows(paymentEvent(summary, settled, { now: 5_000, livemode: false }), ['webhook'], 5_000),
    };
  };
const record = (store: Store, paid: IncomingPayment) => store.recordPayment(paid, webhookEvents(paid));
const withoutEvents =
  (paid: IncomingPayment): DecidePayment =>
  (order) =>
    settlePayment(order, paid);
/** The merchant's review decision, with the paid event on accept. */
const review =
  (decision: 'accept' | 'reject'): DecideChange =>
  (order, payments) => {
    const settled = settleReview(order, payments, decision, 6_000);
    if (!settled) return undefined;
    const summary = {
      payNo: settled.paying?.payNo ?? '',
      money: settled.paying?.money ?? null,
      outcome: 'paid' as const,
      payTime: null,
      param: null,
    };
    const events =
      settled.paying &&
      ((accepted: typeof order) =>
        outboxRows(paymentEvent(summary, accepted, { now: 6_000, livemode: false }), ['webhook'], 6_000));
    return { change: settled.change, events };
  };

const gatewayAnswer = {
  money: 989,
  gatewayOrderId: 'G1',
  qrPayload: 'https://pay/1',
  qrImageUrl: 'https://qr/1.png',
  qrLink: null,
  qrEnterAmount: false,
  expiresAt: 10_000,
};

export function storeContract(name: string, factory: StoreFactory): void {
  describe(`${name} store`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await factory.open();
    });
    afterAll(() => store.close());

    async function pendingOrder(overrides: Partial<NewOrder> = {}) {
      const order = await store.insertOrder(newOrder(overrides));
      return (await store.markPending(order.id, gatewayAnswer, 2_000))!;
    }

    it('creates an order as creating, then pending with the gateway answer', async () => {
      const inserted = await store.insertOrder(newOrder({ product: 'tea' }));
      expect(inserted).toMatchObject({
        status: 'creating',
        price: 990,
        money: null,
        product: 'tea',
        late: false,
        paidAt: null,
      });
      const pending = await store.markPending(inserted.id, gatewayAnswer, 2_000);
      expect(pending).toMatchObject({
        status: 'pending',
        money: 989,
        qrPayload: 'https://pay/1',
        expiresAt: 10_000,
        updatedAt: 2_000,
      });
      expect(await store.getOrder(inserted.id)).toEqual(pending);
      expect(await store.getOrder('missing')).toBeUndefined();
    });

    it('keeps the link a phone opens and whether the buyer types the amount', async () => {
      const order = await store.insertOrder(newOrder());
      const answer = { ...gatewayAnswer, qrLink: 'alipays://platformapi/startapp?x=1', qrEnterAmount: true };
      await store.markPending(order.id, answer, 2_000);
      expect(await store.getOrder(order.id)).toMatchObject({
        qrLink: 'alipays://platformapi/startapp?x=1',
        qrEnterAmount: true,
      });
      expect((await pendingOrder()).qrEnterAmount).toBe(false);
    });

    it('fails only orders still creating', async () => {
      const creating = await store.insertOrder(newOrder());
      expect(await store.markFailed(creating.id, 'GATEWAY_TIMEOUT', 3_000)).toMatchObject({
        status: 'failed',
        errorCode: 'GATEWAY_TIMEOUT',
      });
      const pending = await pendingOrder();
      expect(await store.markFailed(pending.id, 'GATEWAY_TIMEOUT', 3_000)).toBeUndefined();
      expect((await store.getOrder(pending.id))?.status).toBe('pending');
    });

    it('records a payment and moves its order, with its events, once', async () => {
      const order = await pendingOrder();
      const paid = payment(order.id, 989);
      const first = await record(store, paid);
      expect(first).toMatchObject({
        duplicate: false,
        outcome: 'paid',
        statusChanged: true,
        order: { status: 'paid', paidAt: 5_000 },
      });
      const again = await record(store, paid);
      expect(again).toMatchObject({ duplicate: true, outcome: 'paid', statusChanged: false });
      expect(await store.getPayment(paid.payNo)).toMatchObject({
        orderId: order.id,
        outcome: 'paid',
        money: 989,
        fields: paid.fields,
      });
      expect(await store.listEvents({ orderId: order.id })).toHaveLength(1);
    });

    it('applies the decision it is given, under the lock, and none for a pay_no it knows', async () => {
      const order = await pendingOrder();
      const paid = payment(order.id, 989);
      const seen: (string | undefined)[] = [];
      // Not the order service's rules: whatever the decision says is what the store writes.
      const decide: DecidePayment = (found) => {
        seen.push(found?.status);
        return { outcome: 'review', change: { status: 'review', late: true, paidAt: 7, errorCode: 'CHECK' } };
      };
      expect(await store.recordPayment(paid, decide)).toMatchObject({
        duplicate: false,
        outcome: 'review',
        statusChanged: true,
        order: { status: 'review', late: true, paidAt: 7, errorCode: 'CHECK' },
      });
      expect(seen).toEqual(['pending']);
      const again = await store.recordPayment(paid, () => ({ outcome: 'paid', change: undefined }));
      expect(again).toMatchObject({ duplicate: true, outcome: 'review', order: { status: 'review' } });
      expect(await store.getPayment(paid.payNo)).toMatchObject({ outcome: 'review' });
      expect(await store.changeOrder(order.id, 8_000, () => undefined)).toBeUndefined();
      expect(await store.getOrder(order.id)).toMatchObject({ status: 'review', errorCode: 'CHECK' });
    });

    it('counts the same pay_no arriving many times at once exactly once', async () => {
      const order = await pendingOrder();
      const paid = payment(order.id, 989);
      const results = await Promise.all(Array.from({ length: 10 }, () => record(store, paid)));
      expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
      expect(await store.listPayments({ orderId: order.id })).toHaveLength(1);
      expect(await store.listEvents({ orderId: order.id })).toHaveLength(1);
    });

    it('settles orphan, review, late and extra payments, and keeps every one', async () => {
      const stray = payment('nobody', 100);
      const orphan = await record(store, stray);
      expect(orphan).toMatchObject({ outcome: 'orphan', order: undefined, statusChanged: false });
      const reviewed = await pendingOrder();
      expect(await record(store, payment(reviewed.id, 990))).toMatchObject({
        outcome: 'review',
        order: { status: 'review' },
      });
      const expiring = await pendingOrder();
      expect((await store.expireDue(20_000)).map((order) => order.id)).toContain(expiring.id);
      expect(await record(store, payment(expiring.id, 989))).toMatchObject({
        outcome: 'late',
        order: { status: 'paid', late: true },
      });
      expect(await record(store, payment(expiring.id, 989))).toMatchObject({ outcome: 'extra', statusChanged: false });
      expect((await store.listPayments({ orderId: expiring.id })).map((each) => each.outcome).sort()).toEqual([
        'extra',
        'late',
      ]);
      expect((await store.listPayments({ outcome: 'orphan' })).map((each) => each.payNo)).toContain(stray.payNo);
    });

    it('resolves a review: accept pays it with an event, reject fails it', async () => {
      const accepted = await pendingOrder();
      await record(store, payment(accepted.id, 1));
      expect(await store.changeOrder(accepted.id, 6_000, review('accept'))).toMatchObject({
        status: 'paid',
        paidAt: 6_000,
      });
      expect((await store.listEvents({ orderId: accepted.id })).map((event) => event.type).sort()).toEqual([
        'order.paid',
        'order.review',
      ]);
      const rejected = await pendingOrder();
      await record(store, payment(rejected.id, 1));
      expect(await store.changeOrder(rejected.id, 6_000, review('reject'))).toMatchObject({ status: 'failed' });
      expect(await store.changeOrder(rejected.id, 6_000, review('accept'))).toBeUndefined();
    });

    it('fails orders left creating, and expires only pending orders that are due', async () => {
      const stale = await store.insertOrder(newOrder({ createdAt: 100 }));
      const fresh = await pendingOrder();
      expect((await store.failStaleCreating(500, 7_000)).map((order) => order.id)).toContain(stale.id);
      expect((await store.getOrder(stale.id))?.status).toBe('failed');
      expect((await store.expireDue(9_999)).map((order) => order.id)).not.toContain(fresh.id);
    });

    it('claims due events once, retries failures later, and re-sends on request', async () => {
      const order = await pendingOrder();
      await record(store, payment(order.id, 989));
      const [event] = await store.listEvents({ orderId: order.id });
      const claimed = await store.claimDueEvents(1e12, 1000, 60_000);
      expect(claimed.map((each) => each.id)).toContain(event.id);
      expect((await store.claimDueEvents(1e12, 1000, 60_000)).map((each) => each.id)).not.toContain(event.id);
      await store.markEventFailed(event.id, 'webhook', 'HTTP 500', 2e12, 1e12);
      expect((await store.listEvents({ orderId: order.id }))[0]).toMatchObject({
        attempts: 1,
        lastError: 'HTTP 500',
        nextAttemptAt: 2e12,
      });
      expect((await store.claimDueEvents(1.5e12, 1000, 60_000)).map((each) => each.id)).not.toContain(event.id);
      expect((await store.claimDueEvents(2e12, 1000, 60_000)).map((each) => each.id)).toContain(event.id);
      await store.markEventDelivered(event.id, 'webhook', 2e12);
      expect(await store.listEvents({ orderId: order.id, undelivered: true })).toHaveLength(0);
      expect(await store.requeueEvent(event.id, 3e12)).toBe(1);
      expect((await store.claimDueEvents(3e12, 1000, 60_000)).map((each) => each.id)).toContain(event.id);
      await store.markEventFailed(event.id, 'webhook', 'gone', null, 3e12);
      expect((await store.listEvents({ orderId: order.id }))[0].givenUpAt).toBe(3e12);
    });

    it('lists orders by filter, and the orders worth asking the gateway about', async () => {
      const late = await store.insertOrder(newOrder({ createdAt: 50_000 }));
      await store.markPending(late.id, { ...gatewayAnswer, expiresAt: 60_000 }, 50_000);
      const found = await store.listOrders({ status: 'pending', since: 50_000, until: 50_001 });
      expect(found.map((order) => order.id)).toEqual([late.id]);
      expect((await store.listOrders({ limit: 2 })).length).toBe(2);
      const toCheck = await store.ordersToCheck(45_000, 60_000, 45_000, 1000);
      expect(toCheck.map((order) => order.id)).toContain(late.id);
      await store.markChecked([late.id], 45_000);
      expect((await store.ordersToCheck(45_000, 60_000, 45_000, 1000)).map((order) => order.id)).not.toContain(late.id);
    });

    it('reads every change after it was read: its own writes, and those of another instance or process', async () => {
      const paidHere = await pendingOrder();
      expect((await store.getOrder(paidHere.id))?.status).toBe('pending');
      const here = payment(paidHere.id, 989);
      await store.recordPayment(here, withoutEvents(here));
      expect((await store.getOrder(paidHere.id))?.status).toBe('paid');

      const expiring = await pendingOrder();
      expect((await store.getOrder(expiring.id))?.status).toBe('pending');
      await store.expireDue(expiring.expiresAt! + 1);
      expect((await store.getOrder(expiring.id))?.status).toBe('expired');

      const paidElsewhere = await pendingOrder();
      expect((await store.getOrder(paidElsewhere.id))?.status).toBe('pending');
      const other = await factory.reopen();
      try {
        const elsewhere = payment(paidElsewhere.id, 989);
        await other.recordPayment(elsewhere, withoutEvents(elsewhere));
      } finally {
        await other.close();
      }
      expect((await store.getOrder(paidElsewhere.id))?.status).toBe('paid');
    });

    it('keeps everything across a reopen', async () => {
      const order = await pendingOrder();
      const paid = payment(order.id, 989);
      await record(store, paid);
      const again = await factory.reopen();
      try {
        expect(await again.getOrder(order.id)).toMatchObject({ status: 'paid' });
        expect(await again.getPayment(paid.payNo)).toMatchObject({ outcome: 'paid' });
        expect((await record(again, paid)).duplicate).toBe(true);
        const counts = await again.counts();
        expect(counts.orders.paid).toBeGreaterThan(0);
        expect(counts.payments.paid).toBeGreaterThan(0);
      } finally {
        await again.close();
      }
    });
  });
}
