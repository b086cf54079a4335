/** A refusal with a stable code from shared/errors.ts (or the console's); its message is safe to show a buyer. */
import { CONSOLE_ERRORS, type ConsoleErrorCode } from '../shared/console-errors.ts';
import { ERRORS, type ErrorCode } from '../shared/errors.ts';

/** Every code the server answers with: the widget's API's and the console's. */
export type ServerErrorCode = ErrorCode | ConsoleErrorCode;
const STATUS: Record<ServerErrorCode, { status: number }> = { ...ERRORS, ...CONSOLE_ERRORS };

export class ApiError extends Error {
  readonly code: ServerErrorCode;
  readonly status: number;

  /** Seconds after which trying again can succeed: the answer's Retry-After. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ServerErrorCode, message: string, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = STATUS[code].status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
