import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalString,
  createRequest,
  cutName,
  deviceOf,
  gatewayEscape,
  gatewayUnescape,
  orderQuery,
  readCreateAnswer,
  readNotify,
  readOrderAnswer,
  readRefundAnswer,
  refundRequest,
  sign,
  signed,
  verify,
  type CreateInput,
  type Params,
  type Received,
} from './protocol.ts';
import { EPAY_VECTOR } from '../../test/support/vectors.ts';

const VECTOR_KEY = EPAY_VECTOR.key;
const VECTOR: Params = EPAY_VECTOR.fields;

describe('the sign', () => {
  it('reproduces the test vector', () => {
    expect(canonicalString(VECTOR)).toBe(EPAY_VECTOR.signed);
    expect(sign(VECTOR, VECTOR_KEY)).toBe(EPAY_VECTOR.sign);
    expect(verify({ ...VECTOR, sign: EPAY_VECTOR.sign }, VECTOR_KEY)).toBe(true);
  });

  it('leaves out sign, sign_type, arrays and values of only PHP-trim whitespace; keeps other spaces raw', () => {
    const fields: Received = {
      b: ' 2 ',
      a: 'x y&z',
      sign: 'abc',
      sign_type: 'MD5',
      c: '',
      d: ' \t\r\n\0\x0B',
      e: ['1', '2'],
      f: undefined,
    };
    expect(canonicalString(fields)).toBe('a=x y&z&b= 2 ');
    // A no-break or ideographic space is not PHP whitespace: it is signed.
    expect(canonicalString({ a: '\u00a0', b: '\u3000' })).toBe('a=\u00a0&b=\u3000');
  });

  it('sorts keys by byte order: capitals first, then by UTF-8 bytes', () => {
    expect(canonicalString({ b: '1', B: '2', a_b: '3', ab: '4', '\u{10000}': '5', '\uffff': '6' })).toBe(
      'B=2&a_b=3&ab=4&b=1&\uffff=6&\u{10000}=5',
    );
  });

  it('refuses an upper-case sign (the gateway compares md5() output with ===), a short one, or RSA', () => {
    const fields = { ...VECTOR, sign: sign(VECTOR, VECTOR_KEY) };
    expect(verify({ ...fields, sign: fields.sign.toUpperCase() }, VECTOR_KEY)).toBe(false);
    expect(verify({ ...fields, sign: fields.sign.slice(1) }, VECTOR_KEY)).toBe(false);
    expect(verify({ ...fields, sign: [fields.sign] }, VECTOR_KEY)).toBe(false);
    expect(verify({ ...fields, sign_type: 'RSA' }, VECTOR_KEY)).toBe(false);
    expect(verify(VECTOR, VECTOR_KEY)).toBe(false);
  });

  it('signs unknown fields too, and an added array or blank field changes nothing', () => {
    const fields = signed({ pid: '1', money: '1', extra: '新字段' }, 'key-123456');
    expect(verify(fields, 'key-123456')).toBe(true);
    expect(verify({ ...fields, extra: '改' }, 'key-123456')).toBe(false);
    expect(verify({ ...fields, list: ['a'], blank: '  ' }, 'key-123456')).toBe(true);
  });

  // Any code point (what a buyer may type into a name), astral ones included.
  const text = fc.string({ unit: 'binary', maxLength: 20 });
  const fields = fc.dictionary(fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), text, { maxKeys: 10 });
  const key = fc.string({ unit: 'binary', minLength: 6, maxLength: 40 });
  const signedNames = (params: Params) =>
    Object.keys(params).filter((name) => canonicalString({ [name]: params[name] }) !== '');

  it('verifies what it signs, for any Unicode, and not under another key', () => {
    fc.assert(
      fc.property(fields, key, (params, secret) => {
        const sent = signed(params, secret);
        expect(verify(sent, secret)).toBe(true);
        expect(verify(sent, `${secret}.`)).toBe(false);
      }),
    );
  });

  it('orders by UTF-8 bytes for any keys', () => {
    fc.assert(
      fc.property(fields, (params) => {
        const hex = (name: string) => Buffer.from(name).toString('hex');
        const names = signedNames(params).sort((a, b) => (hex(a) < hex(b) ? -1 : hex(a) > hex(b) ? 1 : 0));
        expect(canonicalString(params)).toBe(names.map((name) => `${name}=${params[name]}`).join('&'));
      }),
    );
  });

  it('refuses a signed set with one signed field changed, removed or added', () => {
    const change = fc
      .tuple(
        fields,
        key,
        fc.nat(),
        text.filter((value) => value.trim() !== ''),
        fc.constantFrom('change', 'remove', 'add'),
      )
      .filter(([params]) => signedNames(params).filter((name) => name !== 'sign' && name !== 'sign_type').length > 0);
    fc.assert(
      fc.property(change, ([params, secret, pick, value, how]) => {
        const sent = signed(params, secret);
        const names = signedNames(params).filter((name) => name !== 'sign' && name !== 'sign_type');
        const name = names[pick % names.length];
        const tampered: Params = { ...sent };
        if (how === 'remove') delete tampered[name];
        else if (how === 'change') tampered[name] = params[name] === value ? `${value}x` : value;
        else tampered[`${name}\u0001`] = value;
        expect(verify(tampered, secret)).toBe(false);
      }),
    );
  });
});

describe('the mapi.php create request', () => {
  const input: CreateInput = {
    pid: '1001',
    type: 'alipay',
    outTradeNo: 'Ord_1.a-b|c',
    notifyUrl: 'https://shop.example/api/notify',
    name: 'VIP会员',
    money: 100,
    clientIp: '203.0.113.7',
  };

  it('is signed, money with two decimals, device pc by default, optional fields left out', () => {
    const request = createRequest(input, VECTOR_KEY);
    expect(request).toEqual({
      ok: true,
      form: {
        pid: '1001',
        type: 'alipay',
        out_trade_no: 'Ord_1.a-b|c',
        notify_url: 'https://shop.example/api/notify',
        name: 'VIP会员',
        money: '1.00',
        clientip: '203.0.113.7',
        device: 'pc',
        sign: expect.stringMatching(/^[0-9a-f]{32}$/),
        sign_type: 'MD5',
      },
    });
    if (request.ok) expect(verify(request.form, VECTOR_KEY)).toBe(true);
    const full = createRequest(
      { ...input, returnUrl: 'https://shop.example/back', device: 'wechat', param: 'o-1', clientIp: '2001:db8::1' },
      VECTOR_KEY,
    );
    expect(full).toMatchObject({
      ok: true,
      form: { return_url: 'https://shop.example/back', device: 'wechat', param: 'o-1', clientip: '2001:db8::1' },
    });
  });

  it('refuses what mapi.php refuses, naming the field', () => {
    const refused = (change: Partial<CreateInput>) => createRequest({ ...input, ...change }, VECTOR_KEY);
    expect(refused({ outTradeNo: 'a b' })).toMatchObject({ ok: false, field: 'out_trade_no' });
    expect(refused({ outTradeNo: '订单1' })).toMatchObject({ ok: false, field: 'out_trade_no' });
    expect(refused({ money: 0 })).toMatchObject({ ok: false, field: 'money' });
    expect(refused({ money: 1.5 })).toMatchObject({ ok: false, field: 'money' });
    expect(refused({ clientIp: '' })).toMatchObject({ ok: false, field: 'clientip' });
    expect(refused({ clientIp: '999.1.1.1' })).toMatchObject({ ok: false, field: 'clientip' });
    expect(refused({ device: 'tv' as never })).toMatchObject({ ok: false, field: 'device' });
    expect(refused({ name: ' \t' })).toMatchObject({ ok: false, field: 'name' });
    expect(refused({ name: '0' })).toMatchObject({ ok: false, field: 'name' });
    expect(refused({ notifyUrl: '/relative' })).toMatchObject({ ok: false, field: 'notify_url' });
    expect(refused({ pid: 'x1' })).toMatchObject({ ok: false, field: 'pid' });
    expect(refused({ type: 'Ali pay' })).toMatchObject({ ok: false, field: 'type' });
  });

  it('cuts the name at 127 bytes of UTF-8 without splitting a character', () => {
    const cut = cutName('会'.repeat(50));
    expect(cut).toBe('会'.repeat(42));
    expect(Buffer.byteLength(cut)).toBe(126);
    expect(cutName('a'.repeat(200))).toBe('a'.repeat(127));
    expect(cutName('😀'.repeat(40))).toBe('😀'.repeat(31));
  });

  it('cuts so that the escaped form the gateway stores fits too: no half entity', () => {
    // `&` is stored as `&amp;` (5 bytes): 25 of them fill 125 bytes, a 26th would not fit.
    expect(cutName('&'.repeat(30))).toBe('&'.repeat(25));
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (name) => {
        const cut = cutName(name);
        expect(name.startsWith(cut)).toBe(true);
        expect(Buffer.byteLength(gatewayEscape(cut))).toBeLessThanOrEqual(127);
        expect(Buffer.from(cut).toString()).toBe(cut);
      }),
    );
  });
});

describe("mapi.php's answer", () => {
  it('reads each kind of pay instruction', () => {
    expect(readCreateAnswer({ code: 1, trade_no: '2024', qrcode: 'weixin://wxpay/bizpayurl?pr=x' })).toEqual({
      ok: true,
      tradeNo: '2024',
      pay: { kind: 'qrcode', value: 'weixin://wxpay/bizpayurl?pr=x' },
    });
    expect(
      readCreateAnswer({ code: '1', msg: 'ok', trade_no: 2024, payurl: 'https://pay.example/pay/1' }),
    ).toMatchObject({ ok: true, tradeNo: '2024', pay: { kind: 'payurl' } });
    expect(readCreateAnswer({ code: 1, trade_no: '1', urlscheme: 'alipays://x' })).toMatchObject({
      ok: true,
      pay: { kind: 'urlscheme', value: 'alipays://x' },
    });
  });

  it('keeps the pay page that comes with an app link, for the desktop', () => {
    expect(
      readCreateAnswer({ code: 1, trade_no: '1', urlscheme: 'alipays://x', payurl: 'https://pay.example/p/1' }),
    ).toEqual({
      ok: true,
      tradeNo: '1',
      pay: { kind: 'urlscheme', value: 'alipays://x', payurl: 'https://pay.example/p/1' },
    });
  });

  it('picks the device from the User-Agent', () => {
    const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';
    expect(deviceOf(`${iphone} MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI`)).toBe('wechat');
    expect(deviceOf(`${iphone} AlipayClient/10.5.60.6000`)).toBe('alipay');
    expect(deviceOf(`${iphone} QQ/9.0.0.611 V1_IPH_SQ_9.0.0_1_APP_A`)).toBe('qq');
    expect(deviceOf(iphone)).toBe('mobile');
    expect(deviceOf('Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/120.0 Mobile Safari/537.36')).toBe('mobile');
    expect(deviceOf('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36')).toBe('pc');
    expect(deviceOf(null)).toBe('pc');
  });

  it('refuses code 1 with none or two of payurl, qrcode, urlscheme, or only an HTML form', () => {
    expect(readCreateAnswer({ code: 1, trade_no: '1' })).toMatchObject({ ok: false, code: 'GATEWAY_BAD_RESPONSE' });
    expect(readCreateAnswer({ code: 1, trade_no: '1', payurl: 'a', qrcode: 'b' })).toMatchObject({
      ok: false,
      code: 'GATEWAY_BAD_RESPONSE',
    });
    expect(readCreateAnswer({ code: 1, trade_no: '1', html: '<form>' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('HTML form'),
    });
    expect(readCreateAnswer({ code: 1, qrcode: 'b' })).toMatchObject({ ok: false, code: 'GATEWAY_BAD_RESPONSE' });
  });

  it('turns errors into our codes with the gateway message', () => {
    expect(readCreateAnswer({ code: -2, msg: '支付通道未开启' })).toEqual({
      ok: false,
      code: 'GATEWAY_REJECTED',
      message: expect.stringContaining('支付通道未开启'),
    });
    expect(readCreateAnswer({ code: -3, msg: '签名校验失败' })).toMatchObject({ ok: false, code: 'GATEWAY_SIGN_FAIL' });
    expect(readCreateAnswer({ code: -1, msg: '金额不合法' })).toMatchObject({ ok: false, code: 'GATEWAY_REJECTED' });
    expect(readCreateAnswer('<html>')).toMatchObject({ ok: false, code: 'GATEWAY_BAD_RESPONSE' });
    expect(readCreateAnswer({ code: 0 })).toMatchObject({ ok: false, code: 'GATEWAY_BAD_RESPONSE' });
  });
});

describe('the notify', () => {
  const KEY = 'notify-key-0123456789';
  const sent = (fields: Params) => signed(fields, KEY);
  const base = {
    pid: '1001',
    trade_no: '2024120212000012345',
    out_trade_no: 'o-1',
    type: 'alipay',
    name: 'VIP会员',
    money: '1',
    trade_status: 'TRADE_SUCCESS',
  };

  it('reads money in cents whatever its float form', () => {
    for (const [money, cents] of [
      ['1', 100],
      ['1.0', 100],
      ['1.00', 100],
      ['0.1', 10],
      ['0.01', 1],
      ['9.9', 990],
      ['12345.67', 1234567],
    ] as const) {
      const reading = readNotify(sent({ ...base, money }), KEY, '1001');
      expect(reading).toMatchObject({ ok: true, payment: { money: cents } });
    }
  });

  it('verifies over the raw strings: the same amount re-formatted is a different signature', () => {
    const notify = sent({ ...base, money: '1' });
    expect(readNotify({ ...notify, money: '1.00' }, KEY, '1001')).toMatchObject({ ok: false, reason: 'bad-sign' });
  });

  it('tolerates unknown fields and gives a payment with the raw fields', () => {
    const reading = readNotify(
      sent({ ...base, api_trade_no: '4200001', buyer: 'o_abc', param: 'p-1', timestamp: '1733140800' }),
      KEY,
      '1001',
    );
    expect(reading).toMatchObject({
      ok: true,
      payment: {
        pid: '1001',
        tradeNo: '2024120212000012345',
        outTradeNo: 'o-1',
        type: 'alipay',
        money: 100,
        param: 'p-1',
        fields: { buyer: 'o_abc' },
      },
    });
  });

  it('unescapes the stored name and param for display, after verifying the escaped form', () => {
    const stored = gatewayEscape(`Tom's "VIP" <会员> & a\\b`);
    expect(stored).toBe('Tom\\&#039;s \\&quot;VIP\\&quot; &lt;会员&gt; &amp; a\\\\b');
    const reading = readNotify(sent({ ...base, name: stored, param: gatewayEscape('a&b') }), KEY, '1001');
    expect(reading).toMatchObject({
      ok: true,
      payment: { name: `Tom's "VIP" <会员> & a\\b`, param: 'a&b', fields: { name: stored } },
    });
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        expect(gatewayUnescape(gatewayEscape(value))).toBe(value);
      }),
    );
  });

  it('refuses another merchant, a status other than TRADE_SUCCESS, a missing field or money that is no amount', () => {
    expect(readNotify(sent(base), KEY, '1002')).toMatchObject({ ok: false, reason: 'wrong-merchant' });
    expect(readNotify(sent({ ...base, trade_status: 'TRADE_CLOSED' }), KEY, '1001')).toMatchObject({
      ok: false,
      reason: 'not-success',
    });
    const { trade_no: _, ...withoutTradeNo } = base;
    expect(readNotify(sent(withoutTradeNo), KEY, '1001')).toMatchObject({ ok: false, reason: 'missing-field' });
    for (const money of ['1e2', '-1', '0', '1.001', 'abc']) {
      expect(readNotify(sent({ ...base, money }), KEY, '1001')).toMatchObject({ ok: false, reason: 'bad-money' });
    }
    // A money repeated (an array to the parser) is unsigned and so absent.
    expect(readNotify({ ...sent(base), money: ['1', '100'] }, KEY, '1001')).toMatchObject({ ok: false });
  });

  it('never accepts what a stranger sends', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...Object.keys(base), 'sign', 'sign_type', 'param'), fc.string()),
        (fields) => {
          expect(readNotify(fields, KEY, '1001').ok).toBe(false);
        },
      ),
    );
  });
});

describe('the order query and refund', () => {
  const KEY = 'k&y=+/ ~*secret';

  it('builds act=order with the key in the URL, which prints only redacted', () => {
    const query = orderQuery('https://pay.example/sub', '1001', KEY, { outTradeNo: 'o-1' });
    const url = new URL(query.reveal());
    expect(url.origin + url.pathname).toBe('https://pay.example/sub/api.php');
    expect(Object.fromEntries(url.searchParams)).toEqual({ act: 'order', pid: '1001', key: KEY, out_trade_no: 'o-1' });
    for (const printed of [String(query), `${query}`, JSON.stringify({ query }), inspect(query), query.redacted]) {
      expect(printed).not.toContain('secret');
      expect(printed).toContain('key=***');
    }
    expect(
      new URL(orderQuery('https://pay.example/', '1', KEY, { tradeNo: 't-9' }).reveal()).searchParams.get('trade_no'),
    ).toBe('t-9');
  });

  it('reads the order answer with values as strings or numbers', () => {
    const row = {
      code: 1,
      msg: 'succ',
      trade_no: '2024',
      out_trade_no: 'o-1',
      api_trade_no: '',
      type: 'alipay',
      pid: '1001',
      name: 'a &amp; b',
      money: '1.00',
      param: '',
      buyer: '',
      status: '1',
      payurl: '',
    };
    expect(readOrderAnswer(row)).toEqual({
      found: true,
      state: 'paid',
      tradeNo: '2024',
      outTradeNo: 'o-1',
      type: 'alipay',
      money: 100,
      name: 'a & b',
      param: '',
      fields: {
        trade_no: '2024',
        out_trade_no: 'o-1',
        type: 'alipay',
        pid: '1001',
        name: 'a &amp; b',
        money: '1.00',
        status: '1',
      },
    });
    expect(readOrderAnswer({ ...row, status: 0, money: 0.1 })).toMatchObject({
      found: true,
      state: 'unpaid',
      money: 10,
    });
    expect(readOrderAnswer({ ...row, status: 2 })).toMatchObject({ state: 'refunded' });
    expect(readOrderAnswer({ code: -1, msg: '订单号不存在' })).toEqual({ found: false, message: '订单号不存在' });
    expect(readOrderAnswer({ code: -3, msg: '商户密钥错误' })).toMatchObject({ ok: false, code: 'GATEWAY_SIGN_FAIL' });
    expect(readOrderAnswer({ code: 1 })).toMatchObject({ ok: false, code: 'GATEWAY_BAD_RESPONSE' });
  });

  it('builds act=refund as a POST whose URL has no key and whose body prints redacted', () => {
    const request = refundRequest('https://pay.example', '1001', KEY, { tradeNo: '2024' }, 50);
    expect(request.url).toBe('https://pay.example/api.php?act=refund');
    expect(Object.fromEntries(new URLSearchParams(request.body.reveal()))).toEqual({
      pid: '1001',
      key: KEY,
      trade_no: '2024',
      money: '0.50',
    });
    expect(`${request.body}`).not.toContain('secret');
  });

  it('reads code 0 as the refund done, and code 1 as not', () => {
    expect(readRefundAnswer({ code: 0, money: '0.50', msg: '退款成功！退款金额¥0.50' })).toEqual({
      ok: true,
      money: 50,
    });
    expect(readRefundAnswer({ code: 1, msg: 'ok' })).toMatchObject({ ok: false, code: 'GATEWAY_BAD_RESPONSE' });
    expect(readRefundAnswer({ code: -1, msg: '该订单已退款！' })).toMatchObject({
      ok: false,
      code: 'GATEWAY_REJECTED',
      message: expect.stringContaining('该订单已退款'),
    });
    expect(readRefundAnswer({ code: -4, msg: '未开启商户后台自助退款' })).toMatchObject({
      ok: false,
      code: 'GATEWAY_REJECTED',
    });
  });
});
