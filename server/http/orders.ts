/**
 * The order routes under /api: creation (from the widget, where the price policy and a token bucket
 * per client address apply, or from the merchant's backend with the Bearer secret: any price, no
 * limit), reads, and each order's event stream.
 */
import type { ServerResponse } from 'node:http';
import type Router from '@koa/router';
import type { Context, Next } from 'koa';
import { isFinalStatus, type Channel } from '../../shared/api.ts';
import { ApiError } from '../errors.ts';
import type { StatusPublisher } from '../orders/publisher.ts';
import { parseCreateOrder } from '../orders/request.ts';
import type { OrderService } from '../orders/service.ts';
import { toOrderView } from '../orders/view.ts';
import type { OrderRecord } from '../model/index.ts';
import type { Buyer } from '../providers/provider.ts';
import { bearerAuth } from './auth.ts';
import { jsonBody } from './bodies.ts';
import { findOrder } from './find-order.ts';
import { rateLimiter } from './rate-limit.ts';
import { EVENT_STREAM_HEADERS, type EventStream, type EventStreams } from './sse.ts';

export interface OrderCreationRules {
  pricePolicy: Parameters<typeof parseCreateOrder>[1]['policy'];
  channels: readonly Channel[];
  /** The merchant backend's Bearer secret; null: every order is public. */
  apiSecret: string | null;
  /** Public orders per client address per minute. */
  rateLimitPerMinute: number;
}

export interface OrderRouteDeps {
  orders: OrderService;
  publisher: StatusPublisher;
  streams: EventStreams;
  now: () => number;
  creation: OrderCreationRules;
  /**
   * The key a client's limits are counted by, from its X-Forwarded-For and the socket's peer (the
   * trusted-proxy rule is the caller's).
   */
  clientKey: (forwardedFor: string | undefined, peer: string) => string;
  /** The client's address from the same two (the trusted-proxy rule is the caller's). */
  clientAddress: (forwardedFor: string | undefined, peer: string) => string;
  /** The path the signer's own URLs start with ('' at the root), for Location. */
  basePath: string;
}

/** An order whose stream would carry nothing more: expired, or pending past its expiry (not marked yet). */
function isOver(order: OrderRecord, now: number): boolean {
  if (order.status === 'expired') return true;
  return order.status === 'pending' && order.expiresAt !== null && order.expiresAt <= now;
}

/**
 * Sends `order`'s current state and each change on `stream`, and ends it when the order can no
 * longer change. Takes nothing of the request: the stream may live for minutes.
 */
async function follow(deps: OrderRouteDeps, stream: EventStream, order: OrderRecord): Promise<void> {
  const { orders, publisher, now } = deps;
  let lastStatus: string | undefined;
  const send = (current: OrderRecord) => {
    if (current.status === lastStatus) return;
    lastStatus = current.status;
    stream.send(current.status, toOrderView(current, now()));
    if (isFinalStatus(current.status) || isOver(current, now())) stream.close();
  };
  // Watch first, then read: a change between the two is then never missed.
  stream.onClose(publisher.watch(order.id, send));
  send((await orders.get(order.id)) ?? order);
}

/**
 * Lets an event stream's Koa context go once the raw response is handed over. Koa's handleRequest
 * passes on-finished a closure over the context (`onFinished(res, onerror)`), which would keep the
 * context, its request, response and router fields alive for the stream's life: about a tenth of
 * what a held stream costs. Koa queues it before any middleware runs, so it is the queue's first;
 * only it goes, and what a merchant's middleware queued (a logger) still runs when the stream ends.
 * All Koa's did there is emit `error` on the app for a socket error; the stream's own close
 * listener ends the stream either way. Koa has no option for this, and an app subclass without the
 * listener would not hold when the signer is mounted in a merchant's app. If on-finished ever keeps
 * its queue elsewhere, this does nothing and the context is merely held longer.
 */
function releaseContext(res: ServerResponse): void {
  const queue: unknown = (res as { __onFinished?: { queue?: unknown } }).__onFinished?.queue;
  if (Array.isArray(queue)) queue.shift();
}

export function registerOrderRoutes(router: Router, deps: OrderRouteDeps): void {
  const { orders, streams, now, creation } = deps;
  const clientOf = (ctx: Context) =>
    deps.clientKey(ctx.get('x-forwarded-for') || undefined, ctx.req.socket.remoteAddress ?? '');
  const buyerOf = (ctx: Context): Buyer => ({
    ip: deps.clientAddress(ctx.get('x-forwarded-for') || undefined, ctx.req.socket.remoteAddress ?? ''),
    userAgent: ctx.get('user-agent') || null,
  });
  const isTrusted = bearerAuth(creation.apiSecret);
  const takeToken = rateLimiter({ perMinute: creation.rateLimitPerMinute });

  /** The secret first, then the type; public orders are limited before the body is read (a flood costs no parsing). */
  const admitOrder = (ctx: Context, next: Next) => {
    const trusted = isTrusted(ctx.get('authorization') || undefined);
    if (!ctx.is('application/json')) {
      throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Send the order as application/json.');
    }
    const client = trusted ? undefined : clientOf(ctx);
    const wait = client === undefined ? 0 : takeToken(client);
    if (wait > 0) {
      const message = 'Too many orders from this address. Please wait a moment and try again.';
      throw new ApiError('RATE_LIMITED', message, { retryAfterSeconds: wait });
    }
    ctx.state.trusted = trusted;
    // Public orders count against the open-order caps of their client.
    ctx.state.client = client;
    return next();
  };

  router.post('/orders', admitOrder, jsonBody(), async (ctx) => {
    const { pricePolicy: policy, channels } = creation;
    const command = parseCreateOrder(ctx.request.body, { policy, channels, trusted: ctx.state.trusted });
    // A public order's caller is the buyer; the merchant's backend is not.
    const buyer = ctx.state.trusted ? undefined : buyerOf(ctx);
    const order = await orders.create(command, ctx.state.client, buyer);
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Location', `${deps.basePath}/api/orders/${order.id}`);
    ctx.body = toOrderView(order, now());
  });

  router.get('/orders/:id', async (ctx) => {
    const order = await findOrder(orders, ctx.params.id);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = toOrderView(order, now());
  });

  // The current state first, then each change. The head goes out here and the raw response is
  // handed to the stream registry: Koa does not answer it (ctx.respond = false).
  router.get('/orders/:id/events', async (ctx) => {
    const order = await findOrder(orders, ctx.params.id);
    if (ctx.method === 'HEAD') {
      for (let n = 0; n < EVENT_STREAM_HEADERS.length; n += 2) {
        ctx.set(EVENT_STREAM_HEADERS[n], EVENT_STREAM_HEADERS[n + 1]);
      }
      ctx.status = 200;
      return;
    }
    // No Content tells EventSource to stop reconnecting: the widget polls the order instead.
    if (isOver(order, now())) {
      ctx.status = 204;
      return;
    }
    const client = clientOf(ctx);
    streams.admit(client);
    ctx.status = 200;
    ctx.respond = false;
    ctx.res.writeHead(200, EVENT_STREAM_HEADERS as string[]);
    releaseContext(ctx.res);
    await follow(deps, streams.start(ctx.res, client), order);
  });
}
