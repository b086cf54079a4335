/**
 * Payment links: the address of each product's hosted page (pay-page.ts), for a merchant to share
 * in a chat. The console, `npm start` and the admin CLI list them from here.
 */
import { formatCents } from '../../shared/money.ts';
import type { Product } from '../orders/request.ts';

/** Where the payment pages are served, under the signer's base path. */
export const PAY_PATH = '/pay';

export interface ProductLink {
  id: string;
  name: string;
  /** "9.90" */
  price: string;
  /** e.g. https://pay.example.com/pay/tea */
  url: string;
}

/** `publicUrl`: PUBLIC_URL, or where the signer listens, without a trailing slash. */
export function productLink(publicUrl: string, productId: string): string {
  return `${publicUrl}${PAY_PATH}/${encodeURIComponent(productId)}`;
}

/** A page for an open amount, e.g. https://pay.example.com/pay?price=12.50 */
export function amountLink(publicUrl: string, price: string): string {
  return `${publicUrl}${PAY_PATH}?price=${encodeURIComponent(price)}`;
}

/** Each product's link, in the catalogue's order. */
export function productLinks(publicUrl: string, products: ReadonlyMap<string, Product>): ProductLink[] {
  return [...products].map(([id, product]) => ({
    id,
    name: product.name,
    price: formatCents(product.price),
    url: productLink(publicUrl, id),
  }));
}
