/** Request fields as PHP's $_GET / $_POST hold them, for the sign check over the raw strings received. */
import type { Received } from '../../epay/protocol.ts';

// The same parsing as the signer's provider: both verify over what PHP would hold.
export { phpFields } from '../../epay/protocol.ts';

/** The field as a string, '' when absent or an array. */
export function text(fields: Received, name: string): string {
  const value = fields[name];
  return typeof value === 'string' ? value : '';
}
