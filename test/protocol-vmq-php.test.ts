/** Our V免签 protocol module against our own PHP merchant and server peers, run by php. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  closeOrderUrl,
  createOrderParams,
  createOrderSign,
  getStateUrl,
  notifySign,
  readNotify,
  type VmqType,
} from '../server/vmq/protocol.ts';
import { runPeer } from './support/peers.ts';
import { VMQ_VECTOR } from './support/vectors.ts';

const value = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constantFrom('', ' ', '会员充值 第2期', '😀👍🏽', `Tom's "VIP"`, 'a=b&c=d'),
);
const key = fc.oneof(fc.stringMatching(/^[a-f0-9]{32}$/), fc.string({ unit: 'binary', minLength: 6, maxLength: 40 }));
const type = fc.constantFrom<VmqType>(1, 2);
const cents = fc.integer({ min: 1, max: 9_999_999 });

describe('createOrder, against create_order.php', () => {
  it('reproduces the test vector', () => {
    const { key: vectorKey, order, sign } = VMQ_VECTOR;
    const [php] = runPeer<{ sign: string }>('vmq', 'create_order.php', [{ key: vectorKey, order }]);
    expect(php.sign).toBe(sign);
    expect(createOrderSign(order.payId, order.param, order.type, order.price, vectorKey)).toBe(php.sign);
  });

  it('our request is the one a PHP merchant signs, for Chinese, emoji and empty values', () => {
    const orders = fc.sample(
      fc.record({ key, payId: value.filter((id) => id !== ''), param: value, type, price: cents }),
      60,
    );
    const ours = orders.map((order) => createOrderParams(order, order.key));
    const answers = runPeer<{ sign: string; query: string }>(
      'vmq',
      'create_order.php',
      ours.map((params, i) => ({
        key: orders[i].key,
        order: { payId: params.payId, param: params.param, type: params.type, price: params.price },
      })),
    );
    ours.forEach((params, i) => {
      expect(answers[i].sign).toBe(params.sign);
      expect(Object.fromEntries(new URLSearchParams(answers[i].query))).toEqual(params);
    });
  });
});

describe('the notify', () => {
  // V免签 appends the values unencoded: only values without &, +, %, # survive that as themselves.
  const plain = value.filter((text) => !/[&+%#]/.test(text));

  it('as V免签 signs and sends it (prices from DOUBLE columns, unencoded), verifies here', () => {
    const cases = fc.sample(
      fc.record({ key, payId: plain.filter((id) => id !== ''), param: plain, type, price: cents, really: cents }),
      60,
    );
    const queries = runPeer<{ query: string }>(
      'vmq',
      'sign_notify.php',
      cases.map((c) => ({
        key: c.key,
        notify: {
          payId: c.payId,
          param: c.param,
          type: c.type,
          price: (c.price / 100).toFixed(2),
          reallyPrice: (c.really / 100).toFixed(2),
        },
      })),
    );
    cases.forEach((c, i) => {
      const received = Object.fromEntries(new URLSearchParams(queries[i].query));
      expect(received.reallyPrice).toBe(String(c.really / 100));
      expect(readNotify(received, c.key)).toEqual({
        ok: true,
        payment: { payId: c.payId, param: c.param, type: c.type, price: c.price, reallyPrice: c.really },
      });
    });
  });

  it('as our sandbox would sign it, verifies in a PHP merchant handler; tampered, it does not', () => {
    const cases = fc.sample(fc.record({ key, payId: value, param: value, type, price: cents, really: cents }), 40);
    const queries = cases.flatMap((c) => {
      const fields = {
        payId: c.payId,
        param: c.param,
        type: String(c.type),
        price: String(c.price / 100),
        reallyPrice: String(c.really / 100),
      };
      const sent = { ...fields, sign: notifySign(fields, c.key) };
      const tampered = { ...sent, reallyPrice: String((c.really + 1) / 100) };
      return [sent, tampered].map((query) => ({ key: c.key, query: new URLSearchParams(query).toString() }));
    });
    const answers = runPeer<{ verified: boolean }>('vmq', 'verify_notify.php', queries);
    cases.forEach((_, i) => {
      expect(answers[2 * i]).toEqual({ verified: true });
      expect(answers[2 * i + 1]).toEqual({ verified: false });
    });
  });
});

it('closeOrder and getState carry the signs a PHP merchant computes', () => {
  const cases = fc.sample(fc.record({ key, orderId: fc.stringMatching(/^\d{14,20}$/), t: fc.nat() }), 20);
  const signs = runPeer<{ sign: string }>(
    'vmq',
    'sign_call.php',
    cases.flatMap((c) => [
      { key: c.key, value: c.orderId },
      { key: c.key, value: String(c.t) },
    ]),
  );
  cases.forEach((c, i) => {
    expect(new URL(closeOrderUrl('http://vmq.example', c.orderId, c.key)).searchParams.get('sign')).toBe(
      signs[2 * i].sign,
    );
    expect(new URL(getStateUrl('http://vmq.example', c.key, c.t)).searchParams.get('sign')).toBe(signs[2 * i + 1].sign);
  });
});
