/**
 * The merchant's console at /admin: its page (shell.ts), sign-in (access.ts), and the JSON API
 * under /admin/api that the page calls: overview, orders (table, CSV, one order), the live stream,
 * the actions (each recorded with who and when), health and products. Provider-blind: what a
 * gateway can do (refund) is asked of the deps the assembly gives.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import Router from '@koa/router';
import QRCode from 'qrcode';
import type { ProductView } from '../../shared/api.ts';
import { ApiError } from '../errors.ts';
import { jsonBody } from '../http/bodies.ts';
import { EVENT_STREAM_HEADERS, type EventStreams } from '../http/sse.ts';
import type { Logger } from '../log.ts';
import type { OrderRecord } from '../model/index.ts';
import type { StatusPublisher } from '../orders/publisher.ts';
import type { OrderService } from '../orders/service.ts';
import type { Store } from '../store/types.ts';
import { guard, registerSessionRoutes } from './access.ts';
import { csvText } from './csv.ts';
import { isoDate, localDateOf } from './days.ts';
import { parseOrderQuery, zoneOf } from './filters.ts';
import { Lockout, type LockoutRules } from './lockout.ts';
import { overview } from './overview.ts';
import type { PasswordHash } from './password.ts';
import { Sessions } from './sessions.ts';
import { consoleHeaders, registerShellRoutes } from './shell.ts';
import { CSV_COLUMNS, csvCells, eventViews, orderRow, paymentView } from './views.ts';

export interface ConsoleHealth {
  gateway: {
    kind: string;
    provider: string;
    reachable: boolean;
    checkedAt: number;
    latencyMs: number | null;
    error: string | null;
  };
  database: 'sqlite' | 'postgres';
  sandbox: boolean;
}

/** Refunds, where the service and its gateway can give money back. */
export interface ConsoleRefunds {
  refund(orderId: string, money: string | undefined, actor: string): Promise<{ order: OrderRecord; refund: unknown }>;
}

export interface ConsoleDeps {
  /** ADMIN_PASSWORD_HASH; null: the console is off. */
  passwordHash: PasswordHash | null;
  store: Store;
  orders: OrderService;
  publisher: StatusPublisher;
  streams: EventStreams;
  log: Logger;
  now: () => number;
  clientKey: (forwardedFor: string | undefined, peer: string) => string;
  /** The signer's public base URL (PUBLIC_URL or where it listens), for the origin check and product links. */
  publicUrl: string;
  /** PUBLIC_URL's path ('' at the root). */
  basePath: string;
  /** console-ui's build: index.html and assets/. */
  consoleDir: string;
  products: readonly ProductView[];
  openAmount: { min: string; max: string } | null;
  merchantName: string | null;
  /** The gateway's reachability and the facts the assembly knows (database, sandbox). */
  health: () => Promise<ConsoleHealth>;
  /** Sends due outbox events now (after a re-send). */
  kickOutbox: () => void;
  /** Absent: the gateway cannot refund (REFUND_NOT_SUPPORTED). */
  refunds?: ConsoleRefunds;
  lockout?: LockoutRules;
}

const ORDER_ID = /^[A-Za-z0-9_-]{1,100}$/;
const CSV_MAX_ROWS = 100_000;
const ACTIONS_SHOWN = 200;

export function consoleRouter(deps: ConsoleDeps): Router {
  const router = new Router({ prefix: '/admin' });
  router.use(consoleHeaders);
  registerShellRoutes(router, deps.consoleDir, deps.passwordHash !== null, deps.basePath);

  const { passwordHash } = deps;
  if (!passwordHash) {
    router.all(['/api', '/api/{*rest}'], () => {
      const message = 'The console is off: set its password with `npm run admin -- password`, then restart.';
      throw new ApiError('CONSOLE_OFF', message);
    });
    return router;
  }
  const api = new Router();
  api.use((ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    return next();
  });
  registerApi(api, { ...deps, passwordHash });
  router.use('/api', api.routes(), api.allowedMethods());
  return router;
}

function registerApi(api: Router, deps: ConsoleDeps & { passwordHash: PasswordHash }): void {
  const { store, orders, now } = deps;
  const clientOf = (ctx: Context) =>
    deps.clientKey(ctx.get('x-forwarded-for') || undefined, ctx.req.socket.remoteAddress ?? '');
  const actorOf = (ctx: Context): string => ctx.state.session?.actor ?? ctx.state.actor ?? 'admin';

  /** Every action is kept, refused ones too: who (the session's sign-in), what, when, how it ended. */
  const record = async (
    ctx: Context,
    action: string,
    result: 'ok' | 'refused',
    detail: string,
    about: { orderId?: string; target?: string } = {},
  ) => {
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
    deps.log.info('console action', { action, result, actor: entry.actor, orderId: entry.orderId });
    return entry;
  };
  /** Runs an action and records it; a refusal is recorded with its code, then answered. */
  const act = async <T>(
    ctx: Context,
    action: string,
    about: { orderId?: string; target?: string },
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

  const sessions = new Sessions();
  const access = {
    passwordHash: deps.passwordHash,
    sessions,
    lockout: new Lockout(deps.lockout),
    clientOf,
    publicOrigin: new URL(deps.publicUrl).origin,
    publicHttps: deps.publicUrl.startsWith('https:'),
    cookiePath: `${deps.basePath}/admin`,
    record: async (ctx: Context, action: string, result: 'ok' | 'refused', detail: string) =>
      void (await record(ctx, action, result, detail)),
  };
  registerSessionRoutes(api, access);
  api.use(guard(access));

  const findOrder = async (id: string) => {
    const order = ORDER_ID.test(id) ? await orders.get(id) : undefined;
    if (!order) throw new ApiError('ORDER_NOT_FOUND', 'There is no such order.');
    return order;
  };

  api.get('/overview', async (ctx) => {
    ctx.body = await overview(store, zoneOf(ctx.query), now());
  });

  api.get('/orders', async (ctx) => {
    const { search, page, pageSize } = parseOrderQuery(ctx.query);
    const found = await store.console.searchOrders({ ...search, offset: (page - 1) * pageSize, limit: pageSize });
    ctx.body = { orders: found.orders.map(orderRow), total: found.total, page, pageSize };
  });

  api.get('/orders.csv', async (ctx) => {
    const { search } = parseOrderQuery(ctx.query);
    const found = await store.console.searchOrders({ ...search, offset: 0, limit: CSV_MAX_ROWS });
    ctx.type = 'text/csv; charset=utf-8';
    const day = isoDate(localDateOf(zoneOf(ctx.query), now()));
    ctx.set('Content-Disposition', `attachment; filename="orders-${day}.csv"`);
    ctx.body = csvText(
      CSV_COLUMNS,
      found.orders.map((order) => csvCells(orderRow(order))),
    );
  });

  api.get('/orders/:id', async (ctx) => {
    const order = await findOrder(ctx.params.id);
    const [payments, history, events, actions] = await Promise.all([
      store.listPayments({ orderId: order.id }),
      store.console.statusChanges(order.id),
      store.listEvents({ orderId: order.id }),
      store.console.listActions({ orderId: order.id, limit: ACTIONS_SHOWN }),
    ]);
    ctx.body = {
      order: orderRow(order),
      payments: payments.map(paymentView),
      history,
      events: eventViews(events),
      actions,
      can: {
        review: order.status === 'review',
        refund: deps.refunds !== undefined && order.status === 'paid',
        resend: events.length > 0,
      },
    };
  });

  api.get('/actions', async (ctx) => {
    const orderId = typeof ctx.query.orderId === 'string' ? ctx.query.orderId : undefined;
    ctx.body = { actions: await store.console.listActions({ orderId, limit: ACTIONS_SHOWN }) };
  });

  api.post('/orders/:id/review', jsonBody(), async (ctx) => {
    const { decision } = (ctx.request.body ?? {}) as { decision?: unknown };
    const orderId = ctx.params.id;
    if (decision !== 'accept' && decision !== 'reject') {
      throw new ApiError('BAD_REQUEST', '"decision" must be "accept" or "reject".');
    }
    await act(ctx, `review.${decision}`, { orderId }, async () => {
      await findOrder(orderId);
      const order = await orders.resolveReview(orderId, decision);
      if (!order) throw new ApiError('NOT_IN_REVIEW', 'This order is not in review.');
      return { detail: `order is now ${order.status}`, answer: { order: orderRow(order) } };
    });
  });

  api.post('/orders/:id/reconcile', async (ctx) => {
    const orderId = ctx.params.id;
    await act(ctx, 'reconcile', { orderId }, async () => {
      await findOrder(orderId);
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
      await findOrder(orderId);
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

  api.get('/stream', (ctx) => {
    const client = clientOf(ctx);
    deps.streams.admit(client);
    ctx.status = 200;
    ctx.respond = false;
    ctx.res.writeHead(200, EVENT_STREAM_HEADERS as string[]);
    const stream = deps.streams.start(ctx.res, client);
    stream.onClose(deps.publisher.watchAll((order) => stream.send('order', orderRow(order))));
  });

  api.get('/health', async (ctx) => {
    const [facts, outbox, lastPaymentAt] = await Promise.all([
      deps.health(),
      store.console.outboxBacklog(),
      store.console.lastPaymentAt(),
    ]);
    const writes = store.writeHealth();
    ctx.body = {
      ...facts,
      lastNotifyAt: orders.lastNotifyAt,
      lastPaymentAt,
      outbox,
      watchers: deps.publisher.watcherCount,
      streams: deps.streams.size,
      writes: { failing: writes.writesFailing, lastFailureAt: writes.lastWriteFailure?.at ?? null },
    };
  });

  const linkOf = (id: string) => `${deps.publicUrl}/pay/${encodeURIComponent(id)}`;
  api.get('/products', (ctx) => {
    ctx.body = {
      products: deps.products.map((product) => ({
        ...product,
        link: linkOf(product.id),
        qr: `api/products/${encodeURIComponent(product.id)}/qr.svg`,
      })),
      openAmount: deps.openAmount,
      merchantName: deps.merchantName,
    };
  });

  api.get('/products/:id/qr.svg', async (ctx) => {
    const product = deps.products.find((entry) => entry.id === ctx.params.id);
    if (!product) throw new ApiError('UNKNOWN_PRODUCT', 'There is no such product.');
    ctx.type = 'image/svg+xml';
    ctx.body = await QRCode.toString(linkOf(product.id), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  });
}
