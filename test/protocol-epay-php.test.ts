/** Our epay protocol module against our own PHP merchant and gateway peers, run by php. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalString, createRequest, readNotify, sign, signed, type Params } from '../server/epay/protocol.ts';
import { runPeer } from './support/peers.ts';
import { EPAY_VECTOR } from './support/vectors.ts';

type Signed = { signed: string; sign: string; body: string };

// eslint-disable-next-line no-control-regex -- PHP's trim() strips NUL and \x0B too; JavaScript's trim() keeps NUL
const PHP_BLANK = /^[ \t\n\r\0\x0B]*$/;

const { key: VECTOR_KEY, fields: VECTOR } = EPAY_VECTOR;

// Values a buyer or a shop may put in a name or param: Chinese, emoji, empty, blank, quotes, `&` and `=`.
const value = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constantFrom('', ' ', ' \t\n', '会员充值 第2期', '😀👍🏽', `Tom's "VIP" & <b>`, 'a=b&c=d', '0', '\u3000'),
);
const key = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9]{32}$/),
  fc.string({ unit: 'binary', minLength: 6, maxLength: 40 }),
);
const names = fc.constantFrom(
  'pid',
  'type',
  'out_trade_no',
  'name',
  'money',
  'param',
  'notify_url',
  'device',
  'extra_field',
  'Z',
);
const fields = fc.dictionary(names, value, { minKeys: 1 });

describe('the create request, against create_order.php', () => {
  it('reproduces the test vector', () => {
    const [php] = runPeer<Signed>('epay', 'create_order.php', [{ key: VECTOR_KEY, order: VECTOR }]);
    expect(php.sign).toBe(EPAY_VECTOR.sign);
    expect(php.signed).toBe(EPAY_VECTOR.signed);
    expect(canonicalString(VECTOR)).toBe(php.signed);
    expect(sign(VECTOR, VECTOR_KEY)).toBe(php.sign);
  });

  it('signs any fields byte for byte as PHP does: Chinese, emoji, empty and blank values', () => {
    const cases = fc.sample(fc.record({ key, order: fields }), 60);
    const answers = runPeer<Signed>('epay', 'create_order.php', cases);
    cases.forEach(({ key: secret, order }, i) => {
      expect(answers[i].signed).toBe(canonicalString(order));
      expect(answers[i].sign).toBe(sign(order, secret));
      // What PHP sends is what we would send, and it verifies here.
      expect(Object.fromEntries(new URLSearchParams(answers[i].body))).toEqual(signed(order, secret));
    });
  });

  it('our mapi.php request is the one a PHP merchant signs', () => {
    const orders = fc.sample(
      // A name mapi.php takes: not "0", and not only what PHP's trim() strips.
      fc.record({
        name: value.filter((name) => !PHP_BLANK.test(name) && name !== '0'),
        param: value,
        secret: key,
      }),
      40,
    );
    const ours = orders.map(({ name, param, secret }) => {
      const request = createRequest(
        {
          pid: '1001',
          type: 'wxpay',
          outTradeNo: 'o.1-2|3',
          notifyUrl: 'https://商店.example/通知?a=1',
          name,
          param,
          money: 1990,
          clientIp: '198.51.100.4',
          device: 'mobile',
        },
        secret,
      );
      if (!request.ok) throw new Error(request.message);
      return { key: secret, form: request.form };
    });
    const answers = runPeer<Signed>(
      'epay',
      'create_order.php',
      ours.map(({ key: secret, form }) => ({ key: secret, order: unsigned(form) })),
    );
    ours.forEach(({ form }, i) => {
      expect(answers[i].sign).toBe(form.sign);
      expect(answers[i].signed).toBe(canonicalString(form));
    });
  });
});

function unsigned(form: Params): Params {
  const { sign: _sign, sign_type: _signType, ...rest } = form;
  return rest;
}

describe('the notify', () => {
  const notify = (name: string, param: string, money: string): Params => ({
    pid: '1001',
    trade_no: '2024120214300012345',
    out_trade_no: 'o-1',
    type: 'alipay',
    name,
    money,
    trade_status: 'TRADE_SUCCESS',
    param,
  });
  const cents = fc.integer({ min: 1, max: 9_999_999 });

  it('as the gateway signs it (money a float: 1.00 as 1, 0.10 as 0.1), verifies here, in cents', () => {
    const cases = fc.sample(fc.record({ key, name: value, param: value, cents }), 60);
    // Amounts the gateway holds as decimal(10,2) strings, some of them with trailing zeros.
    const sent = cases.map((c) => ({ key: c.key, notify: notify(c.name, c.param, (c.cents / 100).toFixed(2)) }));
    const queries = runPeer<{ query: string }>('epay', 'sign_notify.php', sent);
    cases.forEach((c, i) => {
      const received = Object.fromEntries(new URLSearchParams(queries[i].query));
      expect(received.money).toBe(String(c.cents / 100));
      expect(readNotify(received, c.key, '1001')).toMatchObject({ ok: true, payment: { money: c.cents } });
    });
  });

  it('with unknown fields added by the gateway, still verifies here', () => {
    const extra = {
      ...notify('VIP会员', '', '1.00'),
      api_trade_no: '4200001234',
      buyer: 'o_x',
      timestamp: '1733149850',
    };
    const [{ query }] = runPeer<{ query: string }>('epay', 'sign_notify.php', [{ key: VECTOR_KEY, notify: extra }]);
    expect(query).not.toContain('param=');
    expect(readNotify(Object.fromEntries(new URLSearchParams(query)), VECTOR_KEY, '1001')).toMatchObject({
      ok: true,
      payment: { money: 100, fields: { buyer: 'o_x' } },
    });
  });

  it('as our sandbox would sign it, verifies in a PHP merchant handler; tampered, it does not', () => {
    const cases = fc.sample(fc.record({ key, name: value, param: value, cents }), 40);
    const queries = cases.flatMap((c) => {
      const sent = signed(notify(c.name, c.param, String(c.cents / 100)), c.key);
      const tampered = { ...sent, money: String((c.cents + 1) / 100) };
      return [new URLSearchParams(sent).toString(), new URLSearchParams(tampered).toString()].map((query) => ({
        key: c.key,
        query,
      }));
    });
    const answers = runPeer<{ verified: boolean; signed: string; cents: number | null }>(
      'epay',
      'verify_notify.php',
      queries,
    );
    cases.forEach((c, i) => {
      const [good, bad] = [answers[2 * i], answers[2 * i + 1]];
      expect(good).toEqual({
        verified: true,
        signed: canonicalString(Object.fromEntries(new URLSearchParams(queries[2 * i].query))),
        cents: c.cents,
      });
      expect(bad.verified).toBe(false);
    });
  });
});
