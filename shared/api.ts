/** The signer's public HTTP API, as both the widget and the server see it. */

/** CodePay `type`: 1 Alipay, 2 QQ Wallet, 3 WeChat Pay. */
export type Channel = 1 | 2 | 3;
export const CHANNELS: readonly Channel[] = [1, 2, 3];
export const CHANNEL_NAMES: Record<Channel, 'alipay' | 'qqpay' | 'wechat'> = {
  1: 'alipay',
  2: 'qqpay',
  3: 'wechat',
};

export function isChannel(value: unknown): value is Channel {
  return value === 1 || value === 2 || value === 3;
}

/**
 * creating -> pending | failed; pending -> paid | expired | review; expired -> paid (late) | review.
 * `review`: a payment arrived whose amount differs from what the gateway asked for.
 */
export type OrderStatus = 'creating' | 'pending' | 'paid' | 'expired' | 'failed' | 'review';
export const FINAL_STATUSES: readonly OrderStatus[] = ['paid', 'failed', 'review'];

export interface QrView {
  /** What the QR code encodes, for the widget to draw itself. */
  payload?: string;
  /** A same-origin image URL on the signer, when the payload could not be read. */
  image?: string;
  /** A URL a phone opens to pay: the gateway's pay page, or an app's URL scheme (`alipays://…`). */
  link?: string;
  /** The QR carries no amount: the buyer types the order's `money` exactly when paying. */
  enterAmount?: boolean;
}

/** What anyone holding the order id may see. Times are Unix epoch milliseconds. */
export interface OrderView {
  id: string;
  status: OrderStatus;
  /** The price asked for, "9.90". */
  price: string;
  /** The amount the buyer must pay exactly (may differ from price by cents), once known. */
  money: string | null;
  type: Channel;
  product: string | null;
  param: string | null;
  reference: string | null;
  qr: QrView | null;
  createdAt: number;
  expiresAt: number | null;
  paidAt: number | null;
  /** Paid after the order had expired. */
  late: boolean;
  /** The signer's clock when this view was made, to correct the client's countdown. */
  serverTime: number;
}

export interface CreateOrderRequest {
  price?: string;
  product?: string;
  type?: Channel;
  param?: string;
  /** Trusted (Bearer) requests only: the merchant's own reference. */
  reference?: string;
}

export interface ProductView {
  id: string;
  name: string;
  price: string;
}

export interface ConfigView {
  channels: Channel[];
  currency: 'CNY';
  /** Open amounts allowed between min and max ("0.01" to "99999.99"), or null when only products sell. */
  openAmount: { min: string; max: string } | null;
  products: ProductView[];
  sandbox: boolean;
}

/**
 * GET /api/orders/:id/events sends Server-Sent Events named by the order's status
 * (`event: pending`, `event: paid`, ...), each with the OrderView as JSON data: the current state
 * first, then one per change. The stream ends after a final status.
 */
export function isFinalStatus(status: OrderStatus): boolean {
  return FINAL_STATUSES.includes(status);
}
