import { describe, expect, it } from 'vitest';
import type { OrderRecord, PaymentRecord, RefundRecord } from '../model/index.ts';
import { judgeRefund, paidMoney, parseRefundMoney, parseRequestKey } from './refund-rules.ts';

const order = (overrides: Partial<OrderRecord> = {}): OrderRecord => ({
  id: 'o1',
  status: 'paid',
  price: 990,
  money: 989,
  type: 1,
  product: null,
  param: null,
  reference: null,
  gatewayOrderId: 'G1',
  qrPayload: null,
  qrImageUrl: null,
  qrLink: null,
  qrEnterAmount: false,
  errorCode: null,
  late: false,
  createdAt: 0,
  updatedAt: 0,
  expiresAt: 0,
  paidAt: 0,
  refunded: 0,
  ...overrides,
});
const payment = (outcome: PaymentRecord['outcome'], money: number): PaymentRecord => ({
  payNo: `p-${outcome}`,
  orderId: 'o1',
  outcome,
  money,
  fields: {},
  receivedAt: 0,
});
const refund = (money: number, status: RefundRecord['status'], requestKey: string | null = null): RefundRecord => ({
  id: `rf-${money}-${status}`,
  orderId: 'o1',
  money,
  actor: 'api',
  requestKey,
  createdAt: 0,
  status,
  message: null,
  settledAt: null,
});
const ask = (money: number | undefined, requestKey: string | null = null) => ({ money, requestKey });

describe('refund rules', () => {
  it('counts what the buyer paid: the paying payment, one accepted from review, else what the gateway asked', () => {
    expect(paidMoney(order(), [payment('extra', 5000), payment('paid', 989)])).toBe(989);
    expect(paidMoney(order(), [payment('review', 900)])).toBe(900);
    expect(paidMoney(order(), [])).toBe(989);
  });

  it('refunds what is left by default; pending refunds hold their money', () => {
    expect(judgeRefund(order({ refunded: 300 }), [], [], ask(undefined))).toEqual({ refund: 689, paid: 989 });
    const held = judgeRefund(order({ refunded: 300 }), [], [refund(600, 'pending')], ask(100));
    expect(held).toMatchObject({ refusal: { code: 'REFUND_TOO_LARGE' } });
    expect('refusal' in held && held.refusal.message).toBe(
      "Only 0.89 of 9.89 is left to refund (6.00 more waits for the gateway's answer).",
    );
    expect(judgeRefund(order({ refunded: 300 }), [], [refund(600, 'failed')], ask(689))).toEqual({
      refund: 689,
      paid: 989,
    });
  });

  it('refuses orders not paid, and a refunded one with nothing left', () => {
    for (const status of ['creating', 'pending', 'expired', 'failed', 'review'] as const) {
      expect(judgeRefund(order({ status }), [], [], ask(1))).toMatchObject({ refusal: { code: 'ORDER_NOT_PAID' } });
    }
    const none = judgeRefund(order({ status: 'refunded', refunded: 989 }), [], [], ask(undefined));
    expect('refusal' in none && none.refusal.message).toBe('Nothing is left to refund: 9.89 of 9.89 was given back.');
  });

  it('answers a known Idempotency-Key with its refund, whatever became of the order, unless the amount differs', () => {
    const earlier = refund(989, 'succeeded', 'k1');
    const refunded = order({ status: 'refunded', refunded: 989 });
    expect(judgeRefund(refunded, [], [earlier], ask(undefined, 'k1'))).toEqual({ earlier });
    expect(judgeRefund(refunded, [], [earlier], ask(989, 'k1'))).toEqual({ earlier });
    expect(judgeRefund(refunded, [], [earlier], ask(100, 'k1'))).toMatchObject({
      refusal: { code: 'IDEMPOTENCY_KEY_REUSED' },
    });
    expect(judgeRefund(order(), [], [refund(100, 'succeeded')], ask(100, 'k2'))).toEqual({ refund: 100, paid: 989 });
  });

  it('reads an amount and a key, or refuses them', () => {
    expect([parseRefundMoney(undefined), parseRefundMoney(''), parseRefundMoney('1.5')]).toEqual([
      undefined,
      undefined,
      150,
    ]);
    for (const bad of ['0', '0.00', '-1', '1.001', 'all', 1, '100000.00']) {
      expect(() => parseRefundMoney(bad), String(bad)).toThrow(expect.objectContaining({ code: 'INVALID_MONEY' }));
    }
    expect([parseRequestKey(undefined), parseRequestKey('order-42/refund-1')]).toEqual([null, 'order-42/refund-1']);
    for (const bad of ['a b', 'x'.repeat(101), 'é']) expect(() => parseRequestKey(bad)).toThrow(/Idempotency-Key/);
  });
});
