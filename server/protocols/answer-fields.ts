/**
 * Reading a gateway's JSON answer. The PHP gateways send the same field as a number or as a
 * string of digits (`"status": 0` or `"0"`, `111` or `"111"`), so a reader accepts both.
 */

/** A safe integer given as a number or as a string of digits; anything else is undefined. */
export function integerField(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : undefined;
}
