/**
 * The assembly: the only code that reads Config. `createSigner` builds a whole signer (store,
 * gateway or the built-in sandbox at /sandbox, order service, outbox, the sweeper that expires
 * orders) and its HTTP side as one Koa middleware, for a merchant's own Koa app to mount;
 * `startSigner` serves that middleware on its own port. Both stop gracefully.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Middleware } from 'koa';
import Router from '@koa/router';
import type { ConfigView } from '../shared/api.ts';
import { formatCents } from '../shared/money.ts';
import { reachabilityProbe } from './admin/reachability.ts';
import { consoleRouter, type ConsoleHealth } from './admin/routes.ts';
import { ConfigError, gatewaySecrets, type Config } from './config.ts';
import { openGateway, SANDBOX_PATH } from './gateway.ts';
import { createApp, signerMiddleware } from './http/app.ts';
import { readableBy, type CorsPolicy } from './http/cors.ts';
import { clientAddress, clientKey } from './http/client-address.ts';
import { listen } from './http/server.ts';
import { EventStreams } from './http/sse.ts';
import { createLogger, droppedLogLines, type Logger } from './log.ts';
import { StatusPublisher } from './orders/publisher.ts';
import type { Destination } from './model/index.ts';
import { OpenOrders } from './orders/open-orders.ts';
import { OrderService } from './orders/service.ts';
import { DEFAULT_RETRY, OutboxDispatcher, type Deliver } from './outbox/dispatcher.ts';
import type { MerchantEvent } from './outbox/events.ts';
import { webhookSender } from './webhooks/sender.ts';
import { openStore } from './store/index.ts';
import type { Store } from './store/types.ts';

/** The package folder (holding dist/ and widget/), from the source or from the built library alike. */
function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder) folder = dirname(folder);
  return folder;
}
const ROOT = packageRoot();
/**
 * The widget's "pay in the sandbox" POSTs the sandbox's pay page from the shop's page and reads the
 * answer: the origins that may create orders may read it. No other sandbox route gets CORS.
 */
const sandboxPayReadable = (policy: CorsPolicy) =>
  new Router().post(`${SANDBOX_PATH}/pay/:orderId`, readableBy(policy));

/** How long in-flight requests may take to finish at shutdown. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface Signer {
  /** Every signer route (and the sandbox's, in sandbox mode) behind the signer's chain: mount it in a Koa app. */
  middleware: Middleware;
  /** The URL pages and the gateway use: PUBLIC_URL, or where startSigner listens. */
  publicUrl: string;
  store: Store;
  publisher: StatusPublisher;
  orders: OrderService;
  dispatcher: OutboxDispatcher;
  /** Ends the event streams, stops the timers, the outbox and the sandbox, and closes the store. */
  close(): Promise<void>;
}

export interface ListeningSigner extends Signer {
  /** Where the signer listens, e.g. http://127.0.0.1:8787 */
  url: string;
}

export interface SignerOptions {
  /**
   * Called for each order paid (also paid late), from the durable outbox: a hook that throws is
   * called again later with backoff, like a webhook, so the payment is never lost to it.
   */
  onPaid?: (event: MerchantEvent) => unknown;
  log?: Logger;
  /** How often the outbox is checked for due events (it is also kicked after each payment). */
  dispatchIntervalMs?: number;
  /** How often unpaid orders are expired. */
  sweepIntervalMs?: number;
  heartbeatMs?: number;
  now?: () => number;
}

interface Assembly {
  signer: Signer;
  /** Ends the event streams and stops the timers: the first step of closing, while the server drains. */
  endStreams(): void;
}

function configView(config: Config): ConfigView {
  const { products, openAmount } = config.pricePolicy;
  return {
    channels: config.channels,
    currency: 'CNY',
    openAmount: openAmount && { min: formatCents(openAmount.min), max: formatCents(openAmount.max) },
    products: [...products].map(([id, product]) => ({ id, name: product.name, price: formatCents(product.price) })),
    sandbox: config.gateway.kind === 'sandbox',
  };
}

/** What the console's health page says of the gateway and the database: kinds and reachability, no address. */
function consoleHealth(config: Config): () => Promise<ConsoleHealth> {
  const { gateway } = config;
  const probe = gateway.kind === 'remote' ? reachabilityProbe(gateway.url, 5_000) : undefined;
  const database = config.databaseUrl ? 'postgres' : 'sqlite';
  return async () => {
    // The sandbox is this process: reachable whenever this answers.
    const reach = probe ? await probe() : { reachable: true, checkedAt: Date.now(), latencyMs: 0, error: null };
    return {
      gateway: { kind: gateway.kind, provider: gateway.provider, ...reach },
      database,
      sandbox: gateway.kind === 'sandbox',
    };
  };
}

/** `selfUrl`: where the signer itself answers (the listening address), when it is not PUBLIC_URL. */
async function assemble(config: Config, options: SignerOptions, selfUrl: string): Promise<Assembly> {
  const log = options.log ?? createLogger({ secrets: [...gatewaySecrets(config.gateway), config.apiSecret ?? ''] });
  const now = options.now ?? Date.now;
  const publicUrl = config.publicUrl ?? selfUrl;
  const store = await openStore(config);

  const { provider, sandbox, livemode } = openGateway(config, {
    signerUrl: selfUrl,
    publicUrl,
    mountSandbox: true,
    log,
  });
  const deliver: Partial<Record<Destination, Deliver>> = {};
  if (config.webhook) deliver.webhook = webhookSender({ ...config.webhook, timeoutMs: 10_000 });
  const onPaid = options.onPaid;
  if (onPaid) deliver.hook = async (event) => void (await onPaid(JSON.parse(event.payload)));
  const dispatcher = new OutboxDispatcher({
    store,
    deliver,
    retry: { ...DEFAULT_RETRY, baseDelayMs: config.webhookRetryBaseMs },
    log: log.child({ component: 'outbox' }),
    now,
  });
  const publisher = new StatusPublisher();
  // Changes committed by other signers on the same database reach this one's watchers too.
  const republish = (orderId: string) => {
    if (!publisher.isWatched(orderId)) return;
    store.getOrder(orderId).then(
      (order) => order && publisher.publish(order),
      (error) => log.warn('could not re-read a changed order', { orderId, error }),
    );
  };
  const stopWatchingChanges = await store.watchChanges?.({
    changed: republish,
    resync: () => publisher.watchedOrders().forEach(republish),
  });
  const streams = new EventStreams(
    options.heartbeatMs ?? 15_000,
    {
      perClient: config.streams.perClient,
      total: config.streams.total,
      maxAgeMs: config.streams.maxAgeSeconds * 1000,
    },
    now,
  );
  const orders = new OrderService({
    store,
    provider,
    livemode,
    orderTtlSeconds: config.orderTtlSeconds,
    gatewayTimeoutMs: config.gatewayTimeoutMs,
    moneyTolerance: config.moneyTolerance,
    openOrders: new OpenOrders(config.openOrderLimits),
    publisher,
    log,
    destinations: Object.keys(deliver) as Destination[],
    onEventsWritten: () => dispatcher.kick(),
    now,
  });
  const adminConsole = consoleRouter({
    passwordHash: config.adminPasswordHash,
    store,
    orders,
    publisher,
    streams,
    log: log.child({ component: 'console' }),
    now,
    clientKey: (forwardedFor, peer) => clientKey(clientAddress(forwardedFor, peer, config.trustProxy)),
    publicUrl: publicUrl.replace(/\/+$/, ''),
    basePath: new URL(publicUrl).pathname.replace(/\/+$/, ''),
    consoleDir: join(ROOT, 'dist', 'console'),
    products: configView(config).products,
    openAmount: configView(config).openAmount,
    merchantName: config.merchantName,
    health: consoleHealth(config),
    kickOutbox: () => dispatcher.kick(),
    // Refunds: wired when the order service can give money back (the refunds branch).
  });
  const corsPolicy = { selfOrigin: () => new URL(publicUrl).origin, allowedOrigins: config.allowedOrigins };
  const middleware = signerMiddleware({
    orders,
    publisher,
    streams,
    log,
    now,
    creation: {
      pricePolicy: config.pricePolicy,
      channels: config.channels,
      apiSecret: config.apiSecret,
      rateLimitPerMinute: config.rateLimitPerMinute,
    },
    clientKey: (forwardedFor, peer) => clientKey(clientAddress(forwardedFor, peer, config.trustProxy)),
    basePath: new URL(publicUrl).pathname.replace(/\/+$/, ''),
    configView: configView(config),
    gatewayTimeoutMs: config.gatewayTimeoutMs,
    returnUrls: config.returnUrls,
    merchantName: config.merchantName,
    assets: { distDir: join(ROOT, 'dist'), demoDir: join(ROOT, 'widget', 'demo') },
    cors: corsPolicy,
    health: () => ({
      ok: !store.writeHealth().writesFailing,
      watchers: publisher.watcherCount,
      streams: streams.size,
      sandbox: sandbox !== undefined,
      log: { droppedLines: droppedLogLines() },
      store: store.writeHealth(),
    }),
    mounted: [...(sandbox ? [sandboxPayReadable(corsPolicy), sandbox.router] : []), adminConsole],
  });

  const sweeper = setInterval(() => {
    orders.sweep().catch((error) => log.error('sweep failed', { error }));
  }, options.sweepIntervalMs ?? 1_000);
  sweeper.unref();
  dispatcher.start(options.dispatchIntervalMs ?? 5_000);
  const reconciler =
    config.reconcileIntervalSeconds > 0
      ? setInterval(() => {
          orders
            .reconcile({ recheckAfterMs: config.reconcileIntervalSeconds * 1000 })
            .catch((error) => log.error('reconcile failed', { error }));
        }, config.reconcileIntervalSeconds * 1000)
      : undefined;
  reconciler?.unref();

  const endStreams = () => {
    clearInterval(sweeper);
    clearInterval(reconciler);
    streams.closeAll();
  };
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      endStreams();
      await dispatcher.stop();
      await stopWatchingChanges?.();
      await sandbox?.close();
      await store.close();
    })());

  return { signer: { middleware, publicUrl, store, publisher, orders, dispatcher, close }, endStreams };
}

/**
 * The signer as a Koa middleware, for a merchant's own app: `app.use(mount('/pay', signer.middleware))`
 * with PUBLIC_URL=https://shop.example.com/pay (the notify_url and the sandbox's QR and pay URLs
 * are made from it). The host app listens; `close()` stops the signer (after the host stops serving).
 */
export async function createSigner(config: Config, options: SignerOptions = {}): Promise<Signer> {
  if (config.publicUrl === null) {
    throw new ConfigError('PUBLIC_URL: is needed to mount the signer: the gateway and the buyer reach it there');
  }
  return (await assemble(config, options, config.publicUrl)).signer;
}

/** The signer on its own port (HOST:PORT), as `npm start` runs it. */
export async function startSigner(config: Config, options: SignerOptions = {}): Promise<ListeningSigner> {
  const limits = { requestTimeoutMs: config.requestTimeoutSeconds * 1000 };
  const { server, url, serve } = await listen(config.host, config.port, limits);
  let assembly: Assembly;
  try {
    assembly = await assemble(config, options, url);
  } catch (error) {
    server.close();
    throw error;
  }
  const { signer, endStreams } = assembly;
  const trust = config.trustProxy;
  const clientIp = (forwardedFor: string | undefined, peer: string) => clientAddress(forwardedFor, peer, trust);
  serve(createApp(signer.middleware, { proxy: 'proxies' in trust || trust.hops > 0, clientIp }).callback());

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // Stop accepting, let in-flight requests finish, end the streams that would never finish.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      endStreams();
      // Connections turn idle as their last answers finish: close them as they do, not after keep-alive.
      const idleSweep = setInterval(() => server.closeIdleConnections(), 20);
      const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      server.closeIdleConnections();
      await closed;
      clearInterval(idleSweep);
      clearTimeout(deadline);
      await signer.close();
    })());

  return { ...signer, url, close };
}
