/** Request fields as PHP's $_GET / $_POST hold them, for the sign check over the raw strings received. */
import type { Received } from '../../epay/protocol.ts';

/**
 * A query or form body parsed as PHP parses it: a repeated name keeps its last value, a bracketed
 * name (`a[]`, `a[x]`) makes an array, which the sign leaves out.
 */
export function phpFields(text: string): Received {
  const fields: Received = Object.create(null);
  for (const [name, value] of new URLSearchParams(text)) {
    const bracket = name.indexOf('[');
    if (bracket > 0) {
      const array = fields[name.slice(0, bracket)];
      fields[name.slice(0, bracket)] = Array.isArray(array) ? [...array, value] : [value];
    } else {
      fields[name] = value;
    }
  }
  return fields;
}

/** The field as a string, '' when absent or an array. */
export function text(fields: Received, name: string): string {
  const value = fields[name];
  return typeof value === 'string' ? value : '';
}
