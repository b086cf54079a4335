/** Every error the signer answers with, its HTTP status, and whether trying again can help. */
export const ERRORS = {
  BAD_REQUEST: { status: 400, retryable: false },
  INVALID_PRICE: { status: 400, retryable: false },
  INVALID_CHANNEL: { status: 400, retryable: false },
  INVALID_PARAM: { status: 400, retryable: false },
  UNAUTHORIZED: { status: 401, retryable: false },
  FORBIDDEN_ORIGIN: { status: 403, retryable: false },
  NOT_FOUND: { status: 404, retryable: false },
  ORDER_NOT_FOUND: { status: 404, retryable: false },
  QR_NOT_AVAILABLE: { status: 404, retryable: false },
  METHOD_NOT_ALLOWED: { status: 405, retryable: false },
  PAYLOAD_TOO_LARGE: { status: 413, retryable: false },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retryable: false },
  PRICE_NOT_ALLOWED: { status: 422, retryable: false },
  UNKNOWN_PRODUCT: { status: 422, retryable: false },
  CHANNEL_NOT_ENABLED: { status: 422, retryable: false },
  RATE_LIMITED: { status: 429, retryable: true },
  /** This client address holds OPEN_ORDERS_PER_CLIENT orders not yet paid or expired. */
  TOO_MANY_OPEN_ORDERS: { status: 429, retryable: true },
  TOO_MANY_STREAMS: { status: 429, retryable: true },
  INTERNAL: { status: 500, retryable: true },
  GATEWAY_REJECTED: { status: 502, retryable: true },
  GATEWAY_SIGN_FAIL: { status: 502, retryable: false },
  GATEWAY_BAD_PARAMS: { status: 502, retryable: false },
  GATEWAY_BAD_RESPONSE: { status: 502, retryable: true },
  /** The gateway asked an amount further from the price than MONEY_TOLERANCE_BELOW/ABOVE allow. */
  GATEWAY_AMOUNT_MISMATCH: { status: 502, retryable: true },
  GATEWAY_UNAVAILABLE: { status: 503, retryable: true },
  GATEWAY_TIMEOUT: { status: 504, retryable: true },
  SHUTTING_DOWN: { status: 503, retryable: true },
  /** The shop holds OPEN_ORDERS_TOTAL open orders. */
  SHOP_BUSY: { status: 503, retryable: true },
  SERVER_BUSY: { status: 503, retryable: true },
  /** Used by the widget only: the signer could not be reached at all. */
  NETWORK: { status: 0, retryable: true },
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** The body of every error answer: `{"error": {"code", "message"}}`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}
