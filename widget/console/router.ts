/** Hash routes under /admin/ (the signer serves one page): #/, #/orders?…, #/orders/<id>, #/health, #/products. */
import type { OrderQuery } from './api.ts';

export type Route =
  { page: 'overview' | 'health' | 'products' } | { page: 'orders'; query: OrderQuery } | { page: 'order'; id: string };

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'orders' && parts[1]) return { page: 'order', id: decodeURIComponent(parts[1]) };
  if (parts[0] === 'orders') return { page: 'orders', query: Object.fromEntries(new URLSearchParams(search)) };
  if (parts[0] === 'health' || parts[0] === 'products') return { page: parts[0] };
  return { page: 'overview' };
}
