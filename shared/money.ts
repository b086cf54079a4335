/** Money is integer cents everywhere inside; strings like "9.90" only at the edges. */
export type Cents = number;

/** The gateway's limits: 0.01 to 99999.99 yuan. */
export const MIN_CENTS: Cents = 1;
export const MAX_CENTS: Cents = 9_999_999;

const AMOUNT = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

/**
 * Parses a yuan amount ("9.9", "9.90", "10", or the gateway's number 111) to cents.
 * Returns undefined for anything else: signs, exponents, more than two decimals, NaN.
 * Range is a separate question (see `inGatewayRange`).
 */
export function parseAmount(value: unknown): Cents | undefined {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  if (typeof text !== 'string') return undefined;
  const match = AMOUNT.exec(text);
  if (!match) return undefined;
  const fraction = (match[2] ?? '').padEnd(2, '0');
  return Number(match[1]) * 100 + Number(fraction);
}

export function inGatewayRange(cents: Cents): boolean {
  return Number.isSafeInteger(cents) && cents >= MIN_CENTS && cents <= MAX_CENTS;
}

/** 990 -> "9.90": the form the gateway and the API speak. */
export function formatCents(cents: Cents): string {
  const whole = Math.trunc(cents / 100);
  const fraction = String(cents % 100).padStart(2, '0');
  return `${whole}.${fraction}`;
}
