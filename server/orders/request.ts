/** Turns a create-order body into a command, or refuses it with a clear error. */
import { isChannel, type Channel } from '../../shared/api.ts';
import { inGatewayRange, parseAmount, type Cents } from '../../shared/money.ts';
import { holdsSeparator } from '../codepay/protocol.ts';
import { ApiError } from '../errors.ts';

export interface Product {
  name: string;
  price: Cents;
}

/** What the shop sells: its products, and the range of open amounts it takes. */
export interface PricePolicy {
  products: ReadonlyMap<string, Product>;
  /** The allowed range for open amounts (donations, top-ups), or null when only products sell. */
  openAmount: { min: Cents; max: Cents } | null;
}

export interface CreateOrderCommand {
  price: Cents;
  product: string | null;
  type: Channel;
  param: string | null;
  reference: string | null;
}

const FIELDS = new Set(['price', 'product', 'type', 'param', 'reference']);
/** Control characters and lone surrogates would not survive the gateway's round trip unchanged. */
export const UNSAFE_TEXT =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function optionalText(
  body: Record<string, unknown>,
  field: string,
  maxLength: number,
  code: 'INVALID_PARAM' | 'BAD_REQUEST',
): string | null {
  const value = body[field];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw new ApiError(code, `"${field}" must be a string.`);
  if (value.length > maxLength) throw new ApiError(code, `"${field}" must be at most ${maxLength} characters.`);
  if (UNSAFE_TEXT.test(value)) throw new ApiError(code, `"${field}" must not contain control characters.`);
  return value;
}

/**
 * `param` comes back inside the gateway's signed notify, whose signature joins raw values with `&`
 * and `=`: with those in it, a buyer could move a field boundary and make a genuine signature
 * vouch for another order's pay_id (and the notify would be refused). So they are refused, as
 * control characters are.
 */
function param(body: Record<string, unknown>): string | null {
  const value = optionalText(body, 'param', 100, 'INVALID_PARAM');
  if (value !== null && holdsSeparator(value)) {
    throw new ApiError('INVALID_PARAM', '"param" must not contain "&" or "=".');
  }
  return value;
}

function channel(value: unknown, enabled: readonly Channel[]): Channel {
  if (value === undefined || value === null || value === '') return enabled[0];
  const number = typeof value === 'string' && /^[0-9]$/.test(value) ? Number(value) : value;
  if (!isChannel(number))
    throw new ApiError('INVALID_CHANNEL', '"type" must be 1 (Alipay), 2 (QQ Wallet) or 3 (WeChat Pay).');
  if (!enabled.includes(number))
    throw new ApiError('CHANNEL_NOT_ENABLED', 'This payment method is not enabled for this shop.');
  return number;
}

function requestedPrice(value: unknown): Cents | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const cents = typeof value === 'string' ? parseAmount(value) : undefined;
  if (cents === undefined) {
    throw new ApiError(
      'INVALID_PRICE',
      '"price" must be a string amount in yuan with at most two decimals, like "9.90".',
    );
  }
  return cents;
}

/**
 * The server is the authority on price: a product's price comes from the catalogue, an open
 * amount must fit the configured range. A trusted caller (the merchant's backend) may ask any
 * amount the gateway accepts.
 */
function settlePrice(policy: PricePolicy, asked: Cents | undefined, productId: string | null, trusted: boolean): Cents {
  if (productId !== null) {
    const product = policy.products.get(productId);
    if (!product) {
      if (!trusted || asked === undefined) throw new ApiError('UNKNOWN_PRODUCT', `There is no product "${productId}".`);
      return asked;
    }
    if (asked !== undefined && asked !== product.price) {
      throw new ApiError('PRICE_NOT_ALLOWED', `The price of "${productId}" is set by the shop, not by the page.`);
    }
    return product.price;
  }
  if (asked === undefined) throw new ApiError('INVALID_PRICE', 'Give a "price" or a "product".');
  if (!inGatewayRange(asked)) throw new ApiError('PRICE_NOT_ALLOWED', 'The amount must be from 0.01 to 99999.99.');
  if (trusted) return asked;
  const open = policy.openAmount;
  if (!open) throw new ApiError('PRICE_NOT_ALLOWED', 'This shop sells fixed-price products only.');
  if (asked < open.min || asked > open.max)
    throw new ApiError('PRICE_NOT_ALLOWED', 'The amount is outside what this shop accepts.');
  return asked;
}

export function parseCreateOrder(
  body: unknown,
  options: { policy: PricePolicy; channels: readonly Channel[]; trusted: boolean },
): CreateOrderCommand {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('BAD_REQUEST', 'The body must be a JSON object.');
  }
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).find((field) => !FIELDS.has(field));
  if (unknown !== undefined) throw new ApiError('BAD_REQUEST', `Unknown field "${unknown.slice(0, 40)}".`);
  const reference = optionalText(fields, 'reference', 200, 'BAD_REQUEST');
  if (reference !== null && !options.trusted) {
    throw new ApiError(
      'UNAUTHORIZED',
      '"reference" is accepted only from the merchant\'s backend (Authorization: Bearer).',
    );
  }
  const product = optionalText(fields, 'product', 64, 'BAD_REQUEST');
  return {
    price: settlePrice(options.policy, requestedPrice(fields.price), product, options.trusted),
    product,
    type: channel(fields.type, options.channels),
    param: param(fields),
    reference,
  };
}
