/** A refusal with a stable code from shared/errors.ts; its message is safe to show a buyer. */
import { ERRORS, type ErrorCode } from '../shared/errors.ts';

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  /** Seconds after which trying again can succeed: the answer's Retry-After. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
