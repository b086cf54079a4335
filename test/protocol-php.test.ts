/** Our protocol module against PHP peers written from the CodePay document (test/peers/codepay/): same query, sign. */
import { describe, expect, it } from 'vitest';
import { canonicalString, parseForm, sign, signedQuery, verify, type Params } from '../server/codepay/protocol.ts';
import { runPhp } from './support/php.ts';

const KEY = 'k3y-For+Tests&=';
const GATEWAY = 'http://gateway.test/creat_order/';

/** create_order.php starts from the document's own sample data; k=v arguments override it. */
const DOCUMENT_SAMPLE: Params = {
  id: '10001',
  pay_id: 'admin',
  type: '1',
  price: '100',
  param: '',
  notify_url: '',
  return_url: 'http://codepay.fateqq.com/',
};

function phpQuery(overrides: Params): string {
  const args = Object.entries(overrides).map(([key, value]) => `${key}=${value}`);
  const url = runPhp('create_order.php', ['10001', KEY, GATEWAY, ...args]);
  expect(url.startsWith(`${GATEWAY}?`)).toBe(true);
  return url.slice(GATEWAY.length + 1);
}

const CASES: Record<string, Params> = {
  'the document as it is': {},
  'Chinese and emoji values': { param: '会员充值 第2期 ✓ 😀', pay_id: '用户-42' },
  'URL-like values': {
    notify_url: 'https://shop.example.com/api/notify?a=1&b=two words',
    return_url: 'http://例子.测试/返回?x=%41&y=+',
  },
  'empty values are left out': { param: '', notify_url: '', return_url: '' },
  'zero values are kept as the strings they are': { act: '0', price: '0.01', tag: '0' },
  'every optional parameter': {
    type: '3',
    act: '1',
    price: '99999.99',
    pay_id: 'ORDER_abc-123',
    param: "it's *~!()'quoted\"",
    notify_url: 'https://shop.example.com/notify',
    return_url: 'https://shop.example.com/thanks',
    call: 'callback',
    chart: 'utf-8',
    page: '4',
    style: '1',
    outTime: '360',
    pay_type: '1',
    qrcode_url: 'qrcode.php',
  },
};

describe('creat_order query and sign, against create_order.php', () => {
  for (const [name, overrides] of Object.entries(CASES)) {
    it(name, () => {
      const params = { ...DOCUMENT_SAMPLE, ...overrides };
      expect(signedQuery(params, KEY)).toBe(phpQuery(overrides));
    });
  }

  it('a changed key or value changes the sign', () => {
    const params = { ...DOCUMENT_SAMPLE };
    const query = phpQuery({});
    expect(signedQuery(params, `${KEY}x`)).not.toBe(query);
    expect(signedQuery({ ...params, price: '100.00' }, KEY)).not.toBe(query);
  });
});

describe('notify signed by sign_notify.php (the CodePay side)', () => {
  const fields: Params = {
    pay_id: 'Zq3-order_id',
    money: '9.89',
    price: '9.90',
    type: '1',
    pay_no: '20170217200040022100010042408995',
    param: '备注 + more: yes',
    pay_time: '1487597795',
    tag: '0',
    chart: 'utf-8',
    status: '2',
    empty: '',
  };

  function phpBody(values: Params): string {
    return runPhp('sign_notify.php', [KEY, ...Object.entries(values).map(([key, value]) => `${key}=${value}`)]);
  }

  it('verifies, with the same canonical string and sign', () => {
    const received = parseForm(phpBody(fields));
    expect(received).toBeDefined();
    expect(verify(received!, KEY)).toBe(true);
    expect(received!.sign).toBe(sign(fields, KEY));
    expect(canonicalString(received!)).toBe(canonicalString(fields));
  });

  it('is refused whole when a value holds & or =, though PHP signed it: the sign covers a re-cut too', () => {
    const received = parseForm(phpBody({ ...fields, param: '备注 & more=yes' }))!;
    expect(received.sign).toBe(sign({ ...fields, param: '备注 & more=yes' }, KEY));
    expect(verify(received, KEY)).toBe(false);
  });

  it('fails once a field is tampered with, added, or the key is wrong', () => {
    const received = parseForm(phpBody(fields))!;
    expect(verify({ ...received, money: '0.01' }, KEY)).toBe(false);
    expect(verify({ ...received, pay_id: 'someone-else' }, KEY)).toBe(false);
    expect(verify({ ...received, extra: 'x' }, KEY)).toBe(false);
    expect(verify(received, 'another-key')).toBe(false);
  });
});
