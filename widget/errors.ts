/** What went wrong, as `codepay-error` tells it: a code, a message, and whether retrying can help. */
import type { ErrorBody, ErrorCode } from '../shared/errors.ts';
import { RETRYABLE } from './retryable.ts';

/**
 * The signer's codes, plus two for order states that are not HTTP errors: a `failed` order (the
 * gateway refused it) and one in `review` (paid, but not the amount asked for).
 */
export type CheckoutErrorCode = ErrorCode | 'ORDER_FAILED' | 'PAYMENT_REVIEW';

/** The detail of `codepay-error`. */
export interface CheckoutErrorDetail {
  code: CheckoutErrorCode;
  message: string;
  retryable: boolean;
}

export function errorDetail(code: CheckoutErrorCode, message: string): CheckoutErrorDetail {
  return { code, message, retryable: RETRYABLE.includes(code) };
}

/** Reads a failed call (api-client.ts): the signer's error answer, or a network failure. */
export async function explain(failure: unknown): Promise<{ code: CheckoutErrorCode; message: string }> {
  if (failure instanceof Response) {
    const body: Partial<ErrorBody> | undefined = await failure.json().catch(() => undefined);
    return {
      code: body?.error?.code ?? (failure.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST'),
      message: body?.error?.message ?? failure.statusText,
    };
  }
  // fetch() rejects with a TypeError when the network fails, AbortSignal.timeout() with a TimeoutError.
  const network = failure instanceof TypeError || (failure as Error | undefined)?.name === 'TimeoutError';
  return network ? { code: 'NETWORK', message: '' } : { code: 'INTERNAL', message: String(failure) };
}
