import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkOrderUrl,
  closeOrderUrl,
  createOrderParams,
  createOrderSign,
  createOrderUrl,
  getOrderUrl,
  getStateUrl,
  notifySign,
  readCheckOrderAnswer,
  readCloseOrderAnswer,
  readCreateOrderAnswer,
  readGetOrderAnswer,
  readNotify,
  readStateAnswer,
  type Params,
} from './protocol.ts';
import { VMQ_VECTOR } from '../../test/support/vectors.ts';

const KEY = VMQ_VECTOR.key;
const md5 = (text: string) => createOrderSign(text, '', '', '', '');

describe('createOrder', () => {
  it('reproduces the test vector', () => {
    const { payId, param, type, price } = VMQ_VECTOR.order;
    expect(createOrderSign(payId, param, type, price, KEY)).toBe(VMQ_VECTOR.sign);
  });

  it('sends isHtml=0 and signs the price exactly as sent', () => {
    const params = createOrderParams(
      { payId: 'o-1', type: 2, price: 10, param: 'vone666', notifyUrl: 'https://shop.example/n' },
      KEY,
    );
    expect(params).toEqual({
      payId: 'o-1',
      type: '2',
      price: '0.10',
      param: 'vone666',
      isHtml: '0',
      notifyUrl: 'https://shop.example/n',
      sign: createOrderSign('o-1', 'vone666', '2', '0.10', KEY),
    });
    const url = new URL(createOrderUrl('http://vmq.example/sub', { payId: 'o-1', type: 1, price: 990 }, KEY));
    expect(url.origin + url.pathname).toBe('http://vmq.example/sub/createOrder');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      payId: 'o-1',
      type: '1',
      price: '9.90',
      param: '',
      isHtml: '0',
    });
  });

  const answer = {
    code: 1,
    msg: '成功',
    data: {
      payId: 'o-1',
      orderId: '2024120214305012345',
      payType: '2',
      price: '0.10',
      reallyPrice: '0.11',
      payUrl: 'HTTPS://QR.ALIPAY.COM/FKX0',
      isAuto: 0,
      state: 0,
      timeOut: '5',
      date: 1733149850,
    },
  };

  it('reads reallyPrice, payUrl, isAuto and timeOut in minutes', () => {
    expect(readCreateOrderAnswer(answer)).toEqual({
      ok: true,
      order: {
        payId: 'o-1',
        orderId: '2024120214305012345',
        type: 2,
        price: 10,
        reallyPrice: 11,
        payUrl: 'HTTPS://QR.ALIPAY.COM/FKX0',
        buyerTypesAmount: false,
        state: 0,
        timeOutMinutes: 5,
        createdAt: 1733149850,
      },
    });
    expect(readCreateOrderAnswer({ ...answer, data: { ...answer.data, isAuto: '1' } })).toMatchObject({
      ok: true,
      order: { buyerTypesAmount: true },
    });
  });

  it('turns a stopped phone, a bad sign and other refusals into clear errors', () => {
    expect(readCreateOrderAnswer({ code: -1, msg: '监控端状态异常，请检查', data: null })).toMatchObject({
      ok: false,
      code: 'GATEWAY_MONITOR_OFFLINE',
      message: expect.stringContaining('phone is offline'),
    });
    expect(readCreateOrderAnswer({ code: -1, msg: '签名错误', data: null })).toMatchObject({
      code: 'GATEWAY_SIGN_FAIL',
    });
    expect(readCreateOrderAnswer({ code: -1, msg: '商户订单号已存在', data: null })).toMatchObject({
      code: 'GATEWAY_REJECTED',
      message: expect.stringContaining('商户订单号已存在'),
    });
    expect(readCreateOrderAnswer({ code: 1, data: { ...answer.data, reallyPrice: 'x' } })).toMatchObject({
      code: 'GATEWAY_BAD_RESPONSE',
    });
    expect(readCreateOrderAnswer({ code: 1, data: { ...answer.data, timeOut: '0' } })).toMatchObject({
      code: 'GATEWAY_BAD_RESPONSE',
    });
    expect(readCreateOrderAnswer('<html>')).toMatchObject({ code: 'GATEWAY_BAD_RESPONSE' });
  });

  it('getOrder is unsigned and answers the same order with its state', () => {
    expect(getOrderUrl('http://vmq.example/', 'X 1')).toBe('http://vmq.example/getOrder?orderId=X+1');
    expect(readGetOrderAnswer({ ...answer, data: { ...answer.data, state: '1' } })).toMatchObject({
      ok: true,
      order: { state: 1 },
    });
    expect(readGetOrderAnswer({ code: -1, msg: '云端订单编号不存在' })).toMatchObject({
      ok: false,
      code: 'GATEWAY_REJECTED',
    });
  });
});

describe('the notify', () => {
  type Fields = Parameters<typeof notifySign>[0];
  const sent = (values: Fields): Params => ({ ...values, sign: notifySign(values, KEY) });
  const fields: Fields = { payId: '1547129707139', param: 'vone666', type: '2', price: '0.1', reallyPrice: '0.11' };

  it('signs the plain concatenation of payId, param, type, price and reallyPrice', () => {
    expect(notifySign(fields, KEY)).toBe(md5(`1547129707139vone66620.10.11${KEY}`));
  });

  it('verifies over the raw strings, prices in cents whatever their form', () => {
    expect(readNotify(sent(fields), KEY)).toEqual({
      ok: true,
      payment: { payId: '1547129707139', param: 'vone666', type: 2, price: 10, reallyPrice: 11 },
    });
    expect(readNotify(sent({ ...fields, price: '1', reallyPrice: '1.00' }), KEY)).toMatchObject({
      ok: true,
      payment: { price: 100, reallyPrice: 100 },
    });
    // The same amount written differently is a different signature.
    expect(readNotify({ ...sent(fields), price: '0.10' }, KEY)).toMatchObject({ ok: false, reason: 'bad-sign' });
  });

  it('tolerates unknown fields and an empty param; refuses an upper-case sign, a missing or repeated field', () => {
    expect(readNotify({ ...sent(fields), extra: 'x' }, KEY)).toMatchObject({ ok: true });
    expect(readNotify(sent({ ...fields, param: '' }), KEY)).toMatchObject({ ok: true, payment: { param: '' } });
    const notify = sent(fields);
    expect(readNotify({ ...notify, sign: notify.sign.toUpperCase() }, KEY)).toMatchObject({
      ok: false,
      reason: 'bad-sign',
    });
    const { param: _, ...withoutParam } = notify;
    expect(readNotify(withoutParam, KEY)).toMatchObject({ ok: false, reason: 'bad-fields' });
    expect(readNotify({ ...notify, price: ['0.1', '100'] }, KEY)).toMatchObject({ ok: false, reason: 'bad-fields' });
  });

  it('refuses a signed notify whose type or prices V免签 would never send', () => {
    expect(readNotify(sent({ ...fields, type: '3' }), KEY)).toMatchObject({ ok: false, reason: 'bad-fields' });
    expect(readNotify(sent({ ...fields, reallyPrice: '-0.1' }), KEY)).toMatchObject({
      ok: false,
      reason: 'bad-fields',
    });
  });

  const text = fc.string({ unit: 'binary', maxLength: 30 });
  const cents = fc.integer({ min: 1, max: 9_999_999 });
  // The forms a price arrives in: PHP's float (`0.1`, `1`) or two decimals (`0.10`, `1.00`).
  const price = fc
    .tuple(cents, fc.boolean())
    .map(([amount, float]) => [amount, float ? String(amount / 100) : (amount / 100).toFixed(2)] as const);
  const notifyFields = fc.record({
    payId: text,
    param: text,
    type: fc.constantFrom('1', '2'),
    price: text,
    reallyPrice: text,
  });

  it('sign and verify round-trip for any Unicode, prices in cents, and not under another key', () => {
    const valid = fc.record({
      payId: text.filter((id) => id !== ''),
      param: text,
      type: fc.constantFrom('1', '2'),
      price,
      reallyPrice: price,
    });
    fc.assert(
      fc.property(valid, fc.string({ unit: 'binary', minLength: 6 }), (values, secret) => {
        const signedFields = { ...values, price: values.price[1], reallyPrice: values.reallyPrice[1] };
        const notify = { ...signedFields, sign: notifySign(signedFields, secret) };
        expect(readNotify(notify, secret)).toEqual({
          ok: true,
          payment: {
            payId: values.payId,
            param: values.param,
            type: Number(values.type),
            price: values.price[0],
            reallyPrice: values.reallyPrice[0],
          },
        });
        expect(readNotify(notify, `${secret}.`)).toMatchObject({ ok: false, reason: 'bad-sign' });
      }),
    );
  });

  it('refuses any one field changed', () => {
    const change = fc.tuple(notifyFields, fc.constantFrom('payId', 'param', 'type', 'price', 'reallyPrice'), text);
    fc.assert(
      fc.property(change, ([values, name, value]) => {
        const notify = { ...values, sign: notifySign(values, KEY) };
        // Appending keeps the change from moving characters across a boundary, which the sign cannot see.
        const tampered = { ...notify, [name]: `${notify[name]}${value || 'x'}` };
        expect(readNotify(tampered, KEY)).toMatchObject({ ok: false, reason: 'bad-sign' });
      }),
    );
  });

  it('does not see where one value ends and the next begins (the caller matches the order)', () => {
    const moved = { ...fields, payId: '154712970713', param: '9vone666' };
    expect(readNotify({ ...moved, sign: notifySign(fields, KEY) }, KEY)).toMatchObject({ ok: true });
  });
});

describe('checkOrder', () => {
  const paidQuery = (values: Params) => new URLSearchParams({ ...values, sign: notifySign(values as never, KEY) });
  const values = { payId: 'o-1', param: '', type: '1', price: '0.10', reallyPrice: '0.11' };

  it('is unsigned; code 1 carries the signed return URL, which must verify', () => {
    expect(checkOrderUrl('http://vmq.example', '2024')).toBe('http://vmq.example/checkOrder?orderId=2024');
    const data = `https://shop.example/back?a=1&${paidQuery(values)}`;
    expect(readCheckOrderAnswer({ code: 1, msg: '成功', data }, KEY)).toEqual({
      paid: true,
      payment: { payId: 'o-1', param: '', type: 1, price: 10, reallyPrice: 11 },
    });
    expect(readCheckOrderAnswer({ code: 1, msg: '成功', data: data.replace('0.11', '0.01') }, KEY)).toMatchObject({
      ok: false,
      code: 'GATEWAY_BAD_RESPONSE',
    });
    expect(readCheckOrderAnswer({ code: 1, data: null }, KEY)).toMatchObject({
      ok: false,
      code: 'GATEWAY_BAD_RESPONSE',
    });
  });

  it('reads code -1 as unpaid, expired or unknown by its message', () => {
    expect(readCheckOrderAnswer({ code: -1, msg: '订单未支付', data: null }, KEY)).toEqual({
      paid: false,
      why: 'unpaid',
    });
    expect(readCheckOrderAnswer({ code: -1, msg: '订单已过期', data: null }, KEY)).toEqual({
      paid: false,
      why: 'expired',
    });
    expect(readCheckOrderAnswer({ code: -1, msg: '云端订单编号不存在', data: null }, KEY)).toEqual({
      paid: false,
      why: 'unknown-order',
    });
  });
});

describe('closeOrder and getState', () => {
  it('closeOrder signs md5(orderId + key)', () => {
    const url = new URL(closeOrderUrl('http://vmq.example', '2024', KEY));
    expect(url.pathname).toBe('/closeOrder');
    expect(Object.fromEntries(url.searchParams)).toEqual({ orderId: '2024', sign: md5(`2024${KEY}`) });
    expect(readCloseOrderAnswer({ code: 1, msg: '成功', data: null })).toEqual({ ok: true });
    expect(readCloseOrderAnswer({ code: -1, msg: '订单状态不允许关闭', data: null })).toMatchObject({
      ok: false,
      code: 'GATEWAY_REJECTED',
    });
    expect(readCloseOrderAnswer({ code: -1, msg: '签名校验不通过' })).toMatchObject({ code: 'GATEWAY_SIGN_FAIL' });
  });

  it('getState signs md5(t + key) and reads the monitor state and its times', () => {
    const url = new URL(getStateUrl('http://vmq.example', KEY, 1733149850.7));
    expect(Object.fromEntries(url.searchParams)).toEqual({ t: '1733149850', sign: md5(`1733149850${KEY}`) });
    const state = (jkstate: string, lastheart = '1733149800', lastpay = '0') => ({
      code: 1,
      msg: '成功',
      data: { lastheart, lastpay, jkstate },
    });
    expect(readStateAnswer(state('1'))).toEqual({
      ok: true,
      monitor: 'online',
      lastHeartbeat: 1733149800,
      lastPayment: undefined,
    });
    expect(readStateAnswer(state('0', '1733140000', '1733140001'))).toMatchObject({
      monitor: 'offline',
      lastPayment: 1733140001,
    });
    expect(readStateAnswer(state('-1', ''))).toEqual({
      ok: true,
      monitor: 'unbound',
      lastHeartbeat: undefined,
      lastPayment: undefined,
    });
    expect(readStateAnswer(state('7'))).toMatchObject({ ok: false, code: 'GATEWAY_BAD_RESPONSE' });
    expect(readStateAnswer({ code: -1, msg: '签名校验不通过' })).toMatchObject({
      ok: false,
      code: 'GATEWAY_SIGN_FAIL',
    });
  });
});
