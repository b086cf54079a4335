/**
 * POST /api/orders/:id/refund: the merchant's backend (Bearer only) gives a paid order's money
 * back, all that is left or `{"money": "1.00"}`. An `Idempotency-Key` header makes a retried
 * request answer as the first did, refunding once.
 */
import type Router from '@koa/router';
import type { RefundAnswerView } from '../../shared/api.ts';
import { ApiError } from '../errors.ts';
import { parseRefundMoney, parseRequestKey } from '../orders/refund-rules.ts';
import type { OrderService } from '../orders/service.ts';
import { toOrderView, toRefundView } from '../orders/view.ts';
import { bearerAuth } from './auth.ts';
import { jsonBody } from './bodies.ts';
import { findOrder } from './find-order.ts';

export interface RefundRouteDeps {
  orders: OrderService;
  now: () => number;
  /** The merchant backend's Bearer secret; null: nobody may refund over HTTP. */
  apiSecret: string | null;
}

function refundBody(body: unknown): { money?: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('BAD_REQUEST', 'The body must be a JSON object.');
  }
  const unknown = Object.keys(body).find((field) => field !== 'money');
  if (unknown !== undefined) throw new ApiError('BAD_REQUEST', `Unknown field "${unknown.slice(0, 40)}".`);
  return body;
}

export function registerRefundRoutes(router: Router, deps: RefundRouteDeps): void {
  const isMerchant = bearerAuth(deps.apiSecret);

  router.post(
    '/orders/:id/refund',
    (ctx, next) => {
      if (!isMerchant(ctx.get('authorization') || undefined)) {
        throw new ApiError('UNAUTHORIZED', 'Refunds need the API secret: Authorization: Bearer <API_SECRET>.');
      }
      // No body (none, or Content-Length: 0) is {}: refund what is left; a body must be JSON.
      if (ctx.request.length !== 0 && ctx.is('application/json') === false) {
        throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Send the refund as application/json.');
      }
      return next();
    },
    jsonBody(),
    async (ctx) => {
      const money = parseRefundMoney(refundBody(ctx.request.body).money);
      const requestKey = parseRequestKey(ctx.get('idempotency-key') || undefined);
      const order = await findOrder(deps.orders, ctx.params.id);
      const result = await deps.orders.refunds.refund(order.id, { money, actor: 'api', requestKey });
      ctx.set('Cache-Control', 'no-store');
      if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
      const answer: RefundAnswerView = {
        refund: toRefundView(result.refund),
        order: toOrderView(result.order, deps.now()),
      };
      ctx.body = answer;
    },
  );
}
