import { describe, expect, it } from 'vitest';
import { formatCents, inGatewayRange, parseAmount } from './money.ts';

describe('parseAmount', () => {
  it('reads yuan strings and the numbers a gateway sends', () => {
    expect(parseAmount('9.90')).toBe(990);
    expect(parseAmount('9.9')).toBe(990);
    expect(parseAmount('10')).toBe(1000);
    expect(parseAmount('0.01')).toBe(1);
    expect(parseAmount(111)).toBe(11100);
    expect(parseAmount(9.9)).toBe(990);
    expect(parseAmount('99999.99')).toBe(9_999_999);
  });

  it('refuses what is not a plain amount', () => {
    for (const bad of [
      '',
      ' 9.90',
      '9.90 ',
      '-1',
      '+1',
      '1e3',
      '9.999',
      '9.',
      '.5',
      'NaN',
      'Infinity',
      '0x10',
      '１０',
      '9,90',
    ]) {
      expect(parseAmount(bad), bad).toBeUndefined();
    }
    for (const bad of [NaN, Infinity, -1, 1e21, 0.001, null, undefined, {}, ['9.90'], true]) {
      expect(parseAmount(bad), String(bad)).toBeUndefined();
    }
  });
});

it('inGatewayRange is 0.01 to 99999.99', () => {
  expect(inGatewayRange(0)).toBe(false);
  expect(inGatewayRange(1)).toBe(true);
  expect(inGatewayRange(9_999_999)).toBe(true);
  expect(inGatewayRange(10_000_000)).toBe(false);
});

it('formatCents always shows two decimals', () => {
  expect(formatCents(990)).toBe('9.90');
  expect(formatCents(1)).toBe('0.01');
  expect(formatCents(9_999_999)).toBe('99999.99');
});
