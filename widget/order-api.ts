/** The order routes of the signer's API. */
import type { CreateOrderRequest, OrderView } from '../shared/api.ts';
import { request } from './api-client.ts';

/** `lang`: the widget's language, so that the signer's refusals (its messages) come in it. */
export const createOrder = (endpoint: string, order: CreateOrderRequest, lang: string): Promise<OrderView> =>
  request(`${endpoint}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': lang },
    body: JSON.stringify(order),
  });

export const orderUrl = (endpoint: string, id: string): string => `${endpoint}/api/orders/${encodeURIComponent(id)}`;

export const getOrder = (endpoint: string, id: string): Promise<OrderView> => request(orderUrl(endpoint, id));
