/** The hot routes themselves: an order read, an order's event stream, and the gateway's notify. */
import { isFinalStatus } from '../../../shared/api.ts';
import type { StatusPublisher } from '../../orders/publisher.ts';
import type { OrderService } from '../../orders/service.ts';
import { toOrderView } from '../../orders/view.ts';
import type { OrderRecord } from '../../store/types.ts';
import { findOrder } from '../find-order.ts';
import { EVENT_STREAM_HEADERS, type EventStreams } from '../sse.ts';
import type { Exchange } from './exchange.ts';
import { readText } from './text-body.ts';

export interface RouteDeps {
  orders: OrderService;
  publisher: StatusPublisher;
  streams: EventStreams;
  now: () => number;
}

const NOTIFY_LIMIT = 16 * 1024;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** GET /api/orders/:id */
export async function readOrder({ orders, now }: RouteDeps, exchange: Exchange, id: string): Promise<void> {
  const order = await findOrder(orders, id);
  exchange.set('Cache-Control', 'no-store');
  exchange.json(200, toOrderView(order, now()));
}

/** GET /api/orders/:id/events: the current state first, then each change, ending at a final one. */
export async function watchOrder({ orders, publisher, streams, now }: RouteDeps, exchange: Exchange, id: string): Promise<void> {
  const order = await findOrder(orders, id);
  const res = exchange.writeHead(200, EVENT_STREAM_HEADERS);
  if (exchange.req.method === 'HEAD') return void res.end();
  const stream = streams.start(res);
  let lastStatus: string | undefined;
  const send = (current: OrderRecord) => {
    if (current.status === lastStatus) return;
    lastStatus = current.status;
    stream.send(current.status, toOrderView(current, now()));
    if (isFinalStatus(current.status)) stream.close();
  };
  // Watch first, then read: a change between the two is then never missed.
  stream.onClose(publisher.watch(order.id, send));
  send((await orders.get(order.id)) ?? order);
}

/** POST /api/notify: `success` once the payment is durably recorded, `fail` for anything the gateway did not sign. */
export async function receiveNotify({ orders }: RouteDeps, exchange: Exchange): Promise<void> {
  const { req } = exchange;
  // Like the form parser before: a body that is not a form is not read, and not signed.
  const isForm = FORM_TYPE.test(req.headers['content-type'] ?? '');
  const { answer } = isForm ? await orders.receiveNotify(await readText(req, NOTIFY_LIMIT)) : { answer: 'fail' as const };
  if (answer !== 'success') exchange.logRepeatsAs('refused notify: request');
  exchange.send(answer === 'success' ? 200 : 400, 'text/plain; charset=utf-8', answer);
}
