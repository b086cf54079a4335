/** The signer's JSON API under /api; the hot routes (order reads and events, the notify) are in lane/. */
import Router from '@koa/router';
import bodyParser from 'koa-bodyparser';
import type { ConfigView } from '../../shared/api.ts';
import { formatCents } from '../../shared/money.ts';
import type { Config } from '../config.ts';
import { ApiError } from '../errors.ts';
import { fetchImage } from '../gateway/qr.ts';
import { parseCreateOrder } from '../orders/request.ts';
import type { OrderService } from '../orders/service.ts';
import { toOrderView } from '../orders/view.ts';
import { bearerAuth } from './auth.ts';
import { findOrder } from './find-order.ts';
import { rateLimit } from './rate-limit.ts';

export interface ApiDeps {
  config: Config;
  orders: OrderService;
  now: () => number;
}

const BODY_LIMIT = '16kb';

export function configView(config: Config): ConfigView {
  const { products, openAmount } = config.pricePolicy;
  return {
    channels: config.channels,
    currency: 'CNY',
    openAmount: openAmount && { min: formatCents(openAmount.min), max: formatCents(openAmount.max) },
    products: [...products].map(([id, product]) => ({ id, name: product.name, price: formatCents(product.price) })),
    sandbox: config.gatewayUrl === null,
  };
}

export function apiRouter(deps: ApiDeps): Router {
  const { config, orders, now } = deps;
  const router = new Router({ prefix: '/api' });
  const isTrusted = bearerAuth(config.apiSecret);
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: BODY_LIMIT, strict: true });
  const limitCreation = rateLimit({ perMinute: config.rateLimitPerMinute, exempt: (ctx) => ctx.state.trusted === true });


  router.get('/config', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.body = configView(config);
  });

  router.post(
    '/orders',
    async (ctx, next) => {
      ctx.state.trusted = isTrusted(ctx);
      if (!ctx.is('application/json')) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Send the order as application/json.');
      await next();
    },
    limitCreation,
    json,
    async (ctx) => {
      const command = parseCreateOrder(ctx.request.body, {
        policy: config.pricePolicy,
        channels: config.channels,
        trusted: ctx.state.trusted === true,
      });
      const order = await orders.create(command);
      ctx.set('Cache-Control', 'no-store');
      ctx.status = 201;
      ctx.set('Location', `/api/orders/${order.id}`);
      ctx.body = toOrderView(order, now());
    },
  );

  router.get('/orders/:id/qr.png', async (ctx) => {
    const order = await findOrder(orders, String(ctx.params.id));
    const image = order.qrImageUrl ? await fetchImage(order.qrImageUrl, config.gatewayTimeoutMs) : undefined;
    if (!image || !image.contentType.startsWith('image/')) {
      throw new ApiError('QR_NOT_AVAILABLE', 'The QR code image could not be fetched from the gateway.');
    }
    ctx.set('Cache-Control', 'private, max-age=600');
    ctx.type = image.contentType;
    ctx.body = image.body;
  });

  // The buyer back from the gateway: signed like a notify, so it is recorded the same way.
  router.get('/return', async (ctx) => {
    const pages = config.returnUrls;
    if (!pages) throw new ApiError('NOT_FOUND', 'No return pages are configured (RETURN_SUCCESS_URL).');
    const result = await orders.receiveReturn(ctx.querystring);
    const target = new URL(result?.order?.status === 'paid' ? pages.success : pages.failure);
    if (result?.order) target.searchParams.set('order', result.order.id);
    ctx.redirect(target.href);
  });

  return router;
}
