/**
 * The console's actions: accept or reject a review, reconcile an order now, re-send a webhook
 * event, refund. Each is recorded in the store with who (the session's sign-in), what, when and how
 * it ended, refusals too.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { randomBytes } from 'node:crypto';
import { ApiError } from '../errors.ts';
import { jsonBody } from '../http/bodies.ts';
import { findOrder } from '../http/find-order.ts';
import type { Logger } from '../log.ts';
import type { OrderRecord } from '../model/index.ts';
import type { OrderService } from '../orders/service.ts';
import type { Store } from '../store/types.ts';
import { orderRow } from './views.ts';

/** Refunds, where the service and its gateway can give money back. */
export interface ConsoleRefunds {
  refund(orderId: string, money: string | undefined, actor: string): Promise<{ order: OrderRecord; refund: unknown }>;
}

export interface ActionDeps {
  store: Store;
  orders: OrderService;
  now: () => number;
  /** Sends due outbox events now (after a re-send). */
  kickOutbox: () => void;
  /** Absent: the gateway cannot refund (REFUND_NOT_SUPPORTED). */
  refunds?: ConsoleRefunds;
}

type About = { orderId?: string; target?: string };

const actorOf = (ctx: Context): string => ctx.state.session?.actor ?? ctx.state.actor ?? 'admin';

export function actionRecorder(store: Store, log: Logger, now: () => number) {
  /** Every action is kept, refused ones too: who, what, when, how it ended. */
  const record = async (ctx: Context, action: string, result: 'ok' | 'refused', detail: string, about: About) => {
    const entry = {
      id: `act_${randomBytes(12).toString('hex')}`,
      at: now(),
      actor: actorOf(ctx),
      action,
      orderId: about.orderId ?? null,
      target: about.target ?? null,
      result,
      detail,
    };
    await store.console.recordAction(entry);
    log.info('console action', { action, result, actor: entry.actor, orderId: entry.orderId });
    return entry;
  };
  /** Runs an action and records it; a refusal is recorded with its code, then answered. */
  const act = async <T>(
    ctx: Context,
    action: string,
    about: About,
    work: () => Promise<{ detail: string; answer: T }>,
  ) => {
    let done;
    try {
      done = await work();
    } catch (error) {
      if (error instanceof ApiError) await record(ctx, action, 'refused', `${error.code}: ${error.message}`, about);
      throw error;
    }
    ctx.body = { ...done.answer, action: await record(ctx, action, 'ok', done.detail, about) };
  };
  return { record, act };
}

export function registerActionRoutes(api: Router, deps: ActionDeps, { act }: ReturnType<typeof actionRecorder>): void {
  const { store, orders, now } = deps;

  api.post('/orders/:id/review', jsonBody(), async (ctx) => {
    const { decision } = (ctx.request.body ?? {}) as { decision?: unknown };
    const orderId = ctx.params.id;
    if (decision !== 'accept' && decision !== 'reject') {
      throw new ApiError('BAD_REQUEST', '"decision" must be "accept" or "reject".');
    }
    await act(ctx, `review.${decision}`, { orderId }, async () => {
      await findOrder(orders, orderId);
      const order = await orders.resolveReview(orderId, decision);
      if (!order) throw new ApiError('NOT_IN_REVIEW', 'This order is not in review.');
      return { detail: `order is now ${order.status}`, answer: { order: orderRow(order) } };
    });
  });

  api.post('/orders/:id/reconcile', async (ctx) => {
    const orderId = ctx.params.id;
    await act(ctx, 'reconcile', { orderId }, async () => {
      await findOrder(orders, orderId);
      const checked = (await orders.reconcileOrder(orderId))!;
      const found = checked.check === 'found' ? 1 : 0;
      return {
        detail: `gateway: ${checked.check}; order is ${checked.order.status}`,
        answer: { order: orderRow(checked.order), found, check: checked.check },
      };
    });
  });

  api.post('/outbox/:eventId/resend', async (ctx) => {
    const target = ctx.params.eventId;
    const event = /^[A-Za-z0-9_-]{1,100}$/.test(target) ? await store.console.findEvent(target) : undefined;
    await act(ctx, 'resend', { orderId: event?.orderId ?? undefined, target }, async () => {
      const queued = event ? await store.requeueEvent(target, now()) : 0;
      if (queued === 0) throw new ApiError('EVENT_NOT_FOUND', 'There is no such event.');
      deps.kickOutbox();
      return { detail: `${event!.type} queued again`, answer: { queued } };
    });
  });

  api.post('/orders/:id/refund', jsonBody(), async (ctx) => {
    const orderId = ctx.params.id;
    const { money } = (ctx.request.body ?? {}) as { money?: unknown };
    await act(ctx, 'refund', { orderId }, async () => {
      await findOrder(orders, orderId);
      const refunds = deps.refunds;
      if (!refunds) throw new ApiError('REFUND_NOT_SUPPORTED', 'The merchant’s gateway cannot give money back.');
      if (money !== undefined && typeof money !== 'string')
        throw new ApiError('BAD_REQUEST', '"money" must be a string like "1.00".');
      const done = await refunds.refund(orderId, money, actorOf(ctx));
      return {
        detail: `refund asked${money ? ` of ${money}` : ''}`,
        answer: { order: orderRow(done.order), refund: done.refund },
      };
    });
  });
}
