/** The signer's JSON API under /api; the hot routes (order creation, reads and events, the notify) are in lane/. */
import Router from '@koa/router';
import type { ConfigView } from '../../shared/api.ts';
import { formatCents } from '../../shared/money.ts';
import type { Config } from '../config.ts';
import { ApiError } from '../errors.ts';
import { fetchImage } from '../gateway/qr.ts';
import { QrImageCache } from '../gateway/qr-cache.ts';
import type { OrderService } from '../orders/service.ts';
import { findOrder } from './find-order.ts';

export interface ApiDeps {
  config: Config;
  orders: OrderService;
}

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
  const { config, orders } = deps;
  const router = new Router({ prefix: '/api' });
  const qrImages = new QrImageCache({ fetch: (url) => fetchImage(url, config.gatewayTimeoutMs) });

  router.get('/config', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.body = configView(config);
  });

  router.get('/orders/:id/qr.png', async (ctx) => {
    const order = await findOrder(orders, String(ctx.params.id));
    const image = order.qrImageUrl ? await qrImages.get(order.id, order.qrImageUrl, order.expiresAt) : undefined;
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
