/**
 * The signer's JSON API under /api: the widget's configuration, the order routes (orders.ts), the
 * QR image, the buyer's return and the gateway's notify.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import type { ConfigView } from '../../shared/api.ts';
import { ApiError } from '../errors.ts';
import { fetchImage } from '../providers/qr.ts';
import { QrImageCache } from '../providers/qr-cache.ts';
import { formText } from './bodies.ts';
import { findOrder } from './find-order.ts';
import { registerOrderRoutes, type OrderRouteDeps } from './orders.ts';
import { logRepeatsAs } from './request-log.ts';

export interface ApiDeps extends OrderRouteDeps {
  /** What GET /api/config answers. */
  configView: ConfigView;
  /** How long fetching the gateway's QR image may take. */
  gatewayTimeoutMs: number;
  /** Where the buyer lands after paying; null: /api/return is not served. */
  returnUrls: { success: string; failure: string } | null;
}

const FORM = 'application/x-www-form-urlencoded';

export function apiRouter(deps: ApiDeps): Router {
  const { orders, configView, returnUrls } = deps;
  const router = new Router({ prefix: '/api' });
  const qrImages = new QrImageCache({ fetch: (url) => fetchImage(url, deps.gatewayTimeoutMs) });

  router.get('/config', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.body = configView;
  });

  registerOrderRoutes(router, deps);

  router.get('/orders/:id/qr.png', async (ctx) => {
    const order = await findOrder(orders, ctx.params.id);
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
    if (!returnUrls) throw new ApiError('NOT_FOUND', 'No return pages are configured (RETURN_SUCCESS_URL).');
    const result = await orders.receiveReturn(ctx.querystring);
    const target = new URL(result?.order?.status === 'paid' ? returnUrls.success : returnUrls.failure);
    if (result?.order) target.searchParams.set('order', result.order.id);
    ctx.redirect(target.href);
  });

  // `success` once the payment is durably recorded, `fail` for anything the gateway did not sign.
  // A body that is not a form is not read, and not signed.
  router.post(
    '/notify',
    (ctx, next) => (ctx.is(FORM) ? next() : answerNotify(ctx, 'fail')),
    formText(),
    async (ctx) => answerNotify(ctx, (await orders.receiveNotify(ctx.request.body as string)).answer),
  );

  // V免签 (and epay) send theirs as a GET, the signed fields in the query.
  router.get('/notify', async (ctx) => answerNotify(ctx, (await orders.receiveNotify(ctx.querystring)).answer));

  return router;
}

function answerNotify(ctx: Context, answer: 'success' | 'fail'): void {
  if (answer !== 'success') logRepeatsAs(ctx, 'refused notify: request');
  ctx.status = answer === 'success' ? 200 : 400;
  ctx.type = 'text/plain; charset=utf-8';
  ctx.body = answer;
}
