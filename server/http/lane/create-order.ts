/**
 * POST /api/orders: an order from the widget (public: the price policy applies, and a token bucket
 * per client address), or from the merchant's backend (the Bearer secret: any price, no limit).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../../config.ts';
import { ApiError } from '../../errors.ts';
import { parseCreateOrder } from '../../orders/request.ts';
import type { OrderService } from '../../orders/service.ts';
import { toOrderView } from '../../orders/view.ts';
import { bearerAuth } from '../auth.ts';
import { clientAddress, clientKey } from '../client-address.ts';
import { rateLimiter } from '../rate-limit.ts';
import type { Exchange } from './exchange.ts';
import { readJson } from './json-body.ts';

export interface CreateOrderDeps {
  config: Pick<Config, 'apiSecret' | 'rateLimitPerMinute' | 'trustProxy' | 'pricePolicy' | 'channels'>;
  orders: OrderService;
  now: () => number;
}

const BODY_LIMIT = 16 * 1024;
/** The media type before any parameters, as Koa's `ctx.is` read it. */
const JSON_MEDIA_TYPE = /^[ \t]*application\/json[ \t]*(;|$)/i;

/** As `ctx.is('application/json')`: false for a request with no body at all. */
function isJson(headers: IncomingHttpHeaders): boolean {
  const hasBody = headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined;
  return hasBody && JSON_MEDIA_TYPE.test(headers['content-type'] ?? '');
}

export function orderCreation({ config, orders, now }: CreateOrderDeps): (exchange: Exchange) => Promise<void> {
  const isTrusted = bearerAuth(config.apiSecret);
  const takeToken = rateLimiter({ perMinute: config.rateLimitPerMinute });

  return async (exchange) => {
    const { req } = exchange;
    const trusted = isTrusted(req.headers.authorization);
    if (!isJson(req.headers)) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Send the order as application/json.');
    // Limited before the body is read, so a flood costs no parsing.
    const forwardedFor = req.headers['x-forwarded-for'] as string | undefined;
    const client = clientKey(clientAddress(forwardedFor, req.socket.remoteAddress ?? '', config.trustProxy));
    const wait = trusted ? 0 : takeToken(client);
    if (wait > 0) {
      throw new ApiError('RATE_LIMITED', 'Too many orders from this address. Please wait a moment and try again.', {
        retryAfterSeconds: wait,
      });
    }
    const body = await readJson(req, BODY_LIMIT);
    const command = parseCreateOrder(body, { policy: config.pricePolicy, channels: config.channels, trusted });
    const order = await orders.create(command, trusted ? undefined : client);
    exchange.set('Cache-Control', 'no-store');
    exchange.set('Location', `/api/orders/${order.id}`);
    exchange.json(201, toOrderView(order, now()));
  };
}
