/**
 * The merchant's console at /admin: its page (shell.ts), sign-in (access.ts), and the JSON API
 * under /admin/api that the page calls: overview, orders (table, CSV, one order), the live stream,
 * the actions (each recorded with who and when), health and products. Provider-blind: what a
 * gateway can do (refund) is asked of the deps the assembly gives.
 */
import type { Context } from 'koa';
import Router from '@koa/router';
import QRCode from 'qrcode';
import type { ProductView } from '../../shared/api.ts';
import { ApiError } from '../errors.ts';
import { findOrder } from '../http/find-order.ts';
import { productLink } from '../http/links.ts';
import { EVENT_STREAM_HEADERS, type EventStreams } from '../http/sse.ts';
import type { Logger } from '../log.ts';
import type { StatusPublisher } from '../orders/publisher.ts';
import { guard, registerSessionRoutes } from './access.ts';
import { actionRecorder, registerActionRoutes, type ActionDeps } from './actions.ts';
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

export type { ConsoleRefunds } from './actions.ts';

export interface ConsoleDeps extends ActionDeps {
  /** ADMIN_PASSWORD_HASH; null: the console is off. */
  passwordHash: PasswordHash | null;
  publisher: StatusPublisher;
  streams: EventStreams;
  log: Logger;
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
  /** The sign-in lockout's rules; DEFAULT_LOCKOUT when absent. */
  lockout?: LockoutRules;
}

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

  const recorder = actionRecorder(store, deps.log, now);

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
      void (await recorder.record(ctx, action, result, detail, {})),
  };
  registerSessionRoutes(api, access);
  api.use(guard(access));

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
    const order = await findOrder(orders, ctx.params.id);
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

  registerActionRoutes(api, deps, recorder);

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

  const linkOf = (id: string) => productLink(deps.publicUrl, id);
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
