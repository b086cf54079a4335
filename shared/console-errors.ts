/**
 * The console's own refusals, apart from ERRORS (shared/errors.ts): the widget bundles that table
 * whole, and must not grow by codes it never sees. The server answers both.
 */
export const CONSOLE_ERRORS = {
  /** A query parameter (status, dates, page, tz, …) is not one the console takes. */
  INVALID_FILTER: { status: 400, retryable: false },
  /** No live session cookie. */
  NOT_SIGNED_IN: { status: 401, retryable: false },
  WRONG_PASSWORD: { status: 401, retryable: false },
  /** A change without the session's X-CSRF-Token, or from another origin. */
  CSRF_REFUSED: { status: 403, retryable: false },
  /** The console is off: ADMIN_PASSWORD_HASH is not set. */
  CONSOLE_OFF: { status: 404, retryable: false },
  EVENT_NOT_FOUND: { status: 404, retryable: false },
  /** A review decision on an order that is not in review. */
  NOT_IN_REVIEW: { status: 409, retryable: false },
  /** The merchant's gateway cannot give money back. */
  REFUND_NOT_SUPPORTED: { status: 422, retryable: false },
  /** Sign-in after too many wrong passwords (Retry-After says how long). */
  LOCKED_OUT: { status: 429, retryable: true },
} as const;

export type ConsoleErrorCode = keyof typeof CONSOLE_ERRORS;
