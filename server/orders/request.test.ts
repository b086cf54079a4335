import { describe, expect, it } from 'vitest';
import type { PricePolicy } from './request.ts';
import { ApiError } from '../errors.ts';
import { parseCreateOrder } from './request.ts';

const policy: PricePolicy = {
  products: new Map([['ebook', { name: 'E-book', price: 990 }]]),
  openAmount: { min: 100, max: 50_000 },
};
const parse = (body: unknown, trusted = false, custom: PricePolicy = policy) =>
  parseCreateOrder(body, { policy: custom, channels: [1, 3], trusted });
const codeOf = (body: unknown, trusted = false, custom: PricePolicy = policy) => {
  try {
    parse(body, trusted, custom);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return (error as ApiError).code;
  }
  return 'accepted';
};

describe('parseCreateOrder', () => {
  it('takes a product price from the catalogue, an open amount from the page', () => {
    expect(parse({ product: 'ebook' })).toMatchObject({ price: 990, product: 'ebook', type: 1 });
    expect(parse({ product: 'ebook', price: '9.90', type: 3 })).toMatchObject({ price: 990, type: 3 });
    expect(parse({ price: '12.5', param: 'user 42' })).toMatchObject({ price: 1250, param: 'user 42', product: null });
  });

  it('refuses prices outside the policy, and tampered product prices', () => {
    expect(codeOf({ product: 'ebook', price: '0.01' })).toBe('PRICE_NOT_ALLOWED');
    expect(codeOf({ price: '0.99' })).toBe('PRICE_NOT_ALLOWED');
    expect(codeOf({ price: '500.01' })).toBe('PRICE_NOT_ALLOWED');
    expect(codeOf({ price: '5' }, false, { ...policy, openAmount: null })).toBe('PRICE_NOT_ALLOWED');
    expect(codeOf({ product: 'nope' })).toBe('UNKNOWN_PRODUCT');
  });

  it('refuses malformed prices, channels and fields with their own codes', () => {
    for (const price of ['-1', '1e3', '9.999', 'NaN', 9.9, ['9.90'], {}, ' 9'])
      expect(codeOf({ price }), String(price)).toBe('INVALID_PRICE');
    expect(codeOf({})).toBe('INVALID_PRICE');
    expect(codeOf({ price: '9.90', type: 4 })).toBe('INVALID_CHANNEL');
    expect(codeOf({ price: '9.90', type: 2 })).toBe('CHANNEL_NOT_ENABLED');
    expect(codeOf({ price: '9.90', param: 'x'.repeat(101) })).toBe('INVALID_PARAM');
    expect(codeOf({ price: '9.90', param: 'a\u0000b' })).toBe('INVALID_PARAM');
    expect(codeOf({ price: '9.90', param: 'x&pay_id=someone-else' })).toBe('INVALID_PARAM');
    expect(codeOf({ price: '9.90', param: 'a=b' }, true)).toBe('INVALID_PARAM');
    expect(codeOf({ price: '9.90', admin: true })).toBe('BAD_REQUEST');
    expect(codeOf([])).toBe('BAD_REQUEST');
    expect(codeOf('9.90')).toBe('BAD_REQUEST');
    expect(codeOf({ price: '9.90', reference: 'R-1' })).toBe('UNAUTHORIZED');
  });

  it('lets the trusted backend ask any amount the gateway accepts, with a reference', () => {
    expect(parse({ price: '99999.99', reference: 'INV-7' }, true)).toMatchObject({
      price: 9_999_999,
      reference: 'INV-7',
    });
    expect(codeOf({ price: '100000' }, true)).toBe('PRICE_NOT_ALLOWED');
  });
});
