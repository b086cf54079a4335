/**
 * The signer's error codes worth trying again (shared/errors.ts). The build writes this list into
 * the bundle as a literal (vite.config.ts), so the table of every code with its HTTP status stays
 * on the server's side.
 */
import { ERRORS, type ErrorCode } from '../shared/errors.ts';

export const RETRYABLE: readonly string[] = (Object.keys(ERRORS) as ErrorCode[]).filter(
  (code) => ERRORS[code].retryable,
);
