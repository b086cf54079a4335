import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalString,
  createOrderParams,
  fieldWithSeparator,
  isPayNo,
  parseCreateOrderAnswer,
  parseForm,
  phpUrlencode,
  sign,
  signedQuery,
  verify,
  type Params,
} from './protocol.ts';

describe('canonical string', () => {
  it('sorts keys by byte order, skips empty values and sign, keeps raw values', () => {
    expect(canonicalString({ b: '2', a: 'x y&z', sign: 'abc', c: '', B: '0' })).toBe('B=0&a=x y&z&b=2');
  });

  it('does not depend on the order the fields came in', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string({ unit: 'binary' })), (params) => {
        const reversed = Object.fromEntries(Object.entries(params).reverse());
        expect(canonicalString(reversed)).toBe(canonicalString(params));
      }),
    );
  });
});

/** Names and values without the canonical string's separators: the only ones verify accepts. */
const unambiguous = (text: string) => !/[&=]/.test(text);

describe('sign and verify', () => {
  it('verifies what it signs, for any Unicode but & and =, and nothing else', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ unit: 'grapheme', minLength: 1 }).filter(unambiguous),
          fc.string({ unit: 'grapheme' }).filter(unambiguous),
        ),
        fc.string({ minLength: 6, maxLength: 100 }),
        (params, key) => {
          const signed = { ...params, sign: sign(params, key) };
          expect(verify(signed, key)).toBe(true);
          expect(verify(signed, `${key}.`)).toBe(false);
        },
      ),
    );
  });

  it('never verifies a set with & or = in a name or a value: a re-cut of it has the same sign', () => {
    const genuine = { pay_no: '20170217200040022100010042408995', pay_tag: '0', pay_time: '1487597795' };
    const recut = { pay_no: '20170217200040022100010042408995&pay_tag=0', pay_time: '1487597795' };
    expect(canonicalString(recut)).toBe(canonicalString(genuine));
    expect(verify({ ...genuine, sign: sign(genuine, 'secret-key') }, 'secret-key')).toBe(true);
    expect(verify({ ...recut, sign: sign(genuine, 'secret-key') }, 'secret-key')).toBe(false);
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1 }), fc.string()),
        fc.constantFrom('&', '='),
        fc.boolean(),
        (params, separator, inName) => {
          const held = inName ? { ...params, [`a${separator}b`]: 'x' } : { ...params, z: `a${separator}b` };
          expect(fieldWithSeparator(held)).toBeDefined();
          expect(verify({ ...held, sign: sign(held, 'secret-key') }, 'secret-key')).toBe(false);
        },
      ),
    );
  });

  it("holds pay_no to the gateway's form: digits", () => {
    expect(['20170217200040022100010042408995', '1'].map(isPayNo)).toEqual([true, true]);
    expect(['', 'TEST1', '1&pay_tag=0', ' 1', '1'.repeat(51), undefined].map(isPayNo)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('refuses a missing or malformed sign', () => {
    expect(verify({ a: '1' }, 'secret-key')).toBe(false);
    expect(verify({ a: '1', sign: 'not hex' }, 'secret-key')).toBe(false);
    expect(verify({ a: '1', sign: sign({ a: '1' }, 'secret-key').slice(1) }, 'secret-key')).toBe(false);
  });

  it('refuses the sign in upper case, as the PHP handler compares strings', () => {
    const params = { a: '1' };
    expect(verify({ ...params, sign: sign(params, 'secret-key').toUpperCase() }, 'secret-key')).toBe(false);
  });
});

describe('form parsing', () => {
  it('decodes + and percent escapes', () => {
    expect(parseForm('a=x+y&b=%E4%B8%AD')).toEqual({ a: 'x y', b: '中' });
  });
  it('refuses a repeated field: which one was signed is ambiguous', () => {
    expect(parseForm('money=1.00&money=100.00')).toBeUndefined();
  });
});

it('phpUrlencode keeps only letters, digits and -_. ', () => {
  expect(phpUrlencode("a b*~!'()-_.中")).toBe('a+b%2A%7E%21%27%28%29-_.%E4%B8%AD');
});

describe('creat_order parameters', () => {
  it('are strings, page=4, with empty or zero optional values left out', () => {
    expect(createOrderParams({ merchantId: '10001', payId: 'p1', type: 3, price: 990, param: '', outTime: 0 })).toEqual(
      {
        id: '10001',
        pay_id: 'p1',
        type: '3',
        price: '9.90',
        page: '4',
      },
    );
  });
});

describe("the gateway's answer", () => {
  const ok = {
    msg: 'ok',
    qrcode: '//codepay.fateqq.com/qr/1/3/100/0.png',
    status: 0,
    order_id: 888888888,
    pay_id: 'admin',
    type: 1,
    price: 111,
    money: '110.99',
    serverTime: 1481453112,
    endTime: 1481453412,
  };

  it('reads amounts given as numbers or strings', () => {
    expect(parseCreateOrderAnswer(ok)).toMatchObject({
      ok: true,
      price: 11100,
      money: 11099,
      gatewayOrderId: '888888888',
    });
    expect(parseCreateOrderAnswer({ ...ok, status: '0', serverTime: '1481453112' })).toMatchObject({
      ok: true,
      serverTime: 1481453112,
    });
  });

  it('maps -1, -2 and sign fail to our codes', () => {
    expect(parseCreateOrderAnswer({ status: -1, msg: 'no qrcode' })).toMatchObject({
      ok: false,
      code: 'GATEWAY_REJECTED',
    });
    expect(parseCreateOrderAnswer({ status: -2, msg: 'price error' })).toMatchObject({
      ok: false,
      code: 'GATEWAY_BAD_PARAMS',
    });
    expect(parseCreateOrderAnswer({ status: '-1', msg: 'sign fail' })).toMatchObject({
      ok: false,
      code: 'GATEWAY_SIGN_FAIL',
    });
  });

  it('refuses garbage and an ok without the fields it needs', () => {
    expect(parseCreateOrderAnswer('<html>')).toMatchObject({ ok: false, code: 'GATEWAY_BAD_RESPONSE' });
    expect(parseCreateOrderAnswer({ ...ok, qrcode: '' })).toMatchObject({ ok: false, code: 'GATEWAY_BAD_RESPONSE' });
    expect(parseCreateOrderAnswer({ ...ok, money: '1e3' })).toMatchObject({ ok: false, code: 'GATEWAY_BAD_RESPONSE' });
    expect(parseCreateOrderAnswer({ ...ok, status: 7 })).toMatchObject({ ok: false, code: 'GATEWAY_BAD_RESPONSE' });
  });
});

describe('properties over any Unicode', () => {
  // Any code point, astral ones included (what a buyer may type into `param`).
  const text = fc.string({ unit: 'binary', maxLength: 20 }).filter(unambiguous);
  const params = fc.dictionary(fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }).filter(unambiguous), text, {
    maxKeys: 12,
  });
  const key = fc.string({ unit: 'binary', minLength: 6, maxLength: 40 });
  const nonEmpty = (fields: Params) => Object.keys(fields).filter((name) => name !== 'sign' && fields[name] !== '');

  it('orders keys by their UTF-8 bytes, not by JavaScript string order', () => {
    // U+FFFF sorts after U+10000 in UTF-16 code units, before it in UTF-8 bytes (and in PHP).
    expect(canonicalString({ '\u{10000}': 'b', '\uffff': 'a' })).toBe('\uffff=a&\u{10000}=b');
    fc.assert(
      fc.property(params, (fields) => {
        const hex = (name: string) => Buffer.from(name, 'utf8').toString('hex');
        const names = nonEmpty(fields).sort((a, b) => (hex(a) < hex(b) ? -1 : hex(a) > hex(b) ? 1 : 0));
        expect(canonicalString(fields)).toBe(names.map((name) => `${name}=${fields[name]}`).join('&'));
      }),
    );
  });

  it('the query string carries exactly the fields signed, and they verify on the other side', () => {
    fc.assert(
      fc.property(params, key, (fields, secret) => {
        const received = parseForm(signedQuery(fields, secret));
        const sent = Object.fromEntries(nonEmpty(fields).map((name) => [name, fields[name]]));
        expect(received).toEqual({ ...sent, sign: sign(fields, secret) });
        expect(verify(received!, secret)).toBe(true);
      }),
      // Found by a CI run: a `+` in a name came back as a space while names went unencoded.
      { examples: [[{ '+\u0000': '\u0000' }, '\u0000'.repeat(6)]] },
    );
  });

  it('refuses a signed set with one field changed, removed or added', () => {
    const signedWithChange = fc
      .tuple(
        params,
        key,
        fc.nat(),
        text.filter((value) => value !== ''),
        fc.constantFrom('change', 'remove', 'add'),
      )
      .filter(([fields]) => nonEmpty(fields).length > 0);
    fc.assert(
      fc.property(signedWithChange, ([fields, secret, pick, value, how]) => {
        const signed: Params = { ...fields, sign: sign(fields, secret) };
        const names = nonEmpty(fields);
        const name = names[pick % names.length];
        const tampered: Params = { ...signed };
        if (how === 'remove') delete tampered[name];
        else if (how === 'change') tampered[name] = fields[name] === value ? `${value}x` : value;
        else tampered[`${name}\u0001`] = value;
        expect(verify(tampered, secret)).toBe(false);
      }),
    );
  });

  it('never throws on what a stranger sends, and accepts nothing unsigned', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), key, (body, secret) => {
        const fields = parseForm(body);
        if (fields) expect(verify(fields, secret)).toBe(false);
      }),
    );
  });
});
