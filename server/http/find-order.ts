/** The order a path names, or the 404 every order route answers for an id that names none. */
import { ApiError } from '../errors.ts';
import type { OrderService } from '../orders/service.ts';
import type { OrderRecord } from '../model/index.ts';

const ORDER_ID = /^[A-Za-z0-9_-]{1,100}$/;

export async function findOrder(orders: OrderService, id: string): Promise<OrderRecord> {
  const order = ORDER_ID.test(id) ? await orders.get(id) : undefined;
  if (!order) throw new ApiError('ORDER_NOT_FOUND', 'There is no such order.');
  return order;
}
