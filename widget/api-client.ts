/** The signer's HTTP API as the widget calls it; every failure becomes a CheckoutError. */
import type { ConfigView, CreateOrderRequest, OrderView } from '../shared/api.ts';
import type { ErrorCode } from '../shared/errors.ts';

/**
 * Codes the widget adds for order states that are not HTTP errors: a `failed` order (the gateway
 * refused it) and one in `review` (paid, but not the amount asked for).
 */
export type CheckoutErrorCode = ErrorCode | 'ORDER_FAILED' | 'PAYMENT_REVIEW';

/** The detail of `codepay-error`. */
export interface CheckoutErrorDetail {
  code: CheckoutErrorCode;
  message: string;
  retryable: boolean;
}

/**
 * A failed call or order. Whether retrying can help is looked up when the error is shown (flow.ts),
 * which keeps the table of codes out of the first load.
 */
export class CheckoutError extends Error {
  readonly code: CheckoutErrorCode;

  constructor(code: CheckoutErrorCode, message = '') {
    super(message);
    this.code = code;
  }
}

/** Longer than the signer's own gateway timeout, so its answer (GATEWAY_TIMEOUT) arrives first. */
const TIMEOUT_MS = 30_000;

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    throw new CheckoutError('NETWORK');
  }
  const body = await response.json().catch(() => undefined);
  if (response.ok && body) return body as T;
  const error = body?.error;
  throw new CheckoutError(
    error?.code ?? (response.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST'),
    error?.message ?? response.statusText,
  );
}

/** One config request per signer, shared by every element on the page; a failure is not cached. */
const configs = new Map<string, Promise<ConfigView>>();

export function getConfig(endpoint: string): Promise<ConfigView> {
  let config = configs.get(endpoint);
  if (!config) {
    config = call<ConfigView>(`${endpoint}/api/config`);
    config.catch(() => configs.delete(endpoint));
    configs.set(endpoint, config);
  }
  return config;
}

export const createOrder = (endpoint: string, request: CreateOrderRequest): Promise<OrderView> =>
  call(`${endpoint}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });

export const orderUrl = (endpoint: string, id: string): string =>
  `${endpoint}/api/orders/${encodeURIComponent(id)}`;

export const getOrder = (endpoint: string, id: string): Promise<OrderView> => call(orderUrl(endpoint, id));
