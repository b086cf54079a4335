/**
 * Starts a whole signer: store, gateway (or the built-in sandbox at /sandbox), HTTP server,
 * the sweeper that expires orders; and stops it gracefully.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.ts';
import { createHandler } from './http/app.ts';
import { EventStreams } from './http/sse.ts';
import { createLogger, droppedLogLines, type Logger } from './log.ts';
import { StatusPublisher } from './orders/publisher.ts';
import { configuredOptions, OrderService } from './orders/service.ts';
import { DEFAULT_RETRY, OutboxDispatcher, type Deliver } from './outbox/dispatcher.ts';
import type { Destination, MerchantEvent } from './outbox/events.ts';
import { createSandbox } from './sandbox/index.ts';
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
const SANDBOX_PATH = '/sandbox';
/** How long in-flight requests may take to finish at shutdown. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface Signer {
  /** Where the signer listens, e.g. http://127.0.0.1:8787 */
  url: string;
  /** The URL pages and the gateway use (PUBLIC_URL, or the listening address). */
  publicUrl: string;
  store: Store;
  publisher: StatusPublisher;
  orders: OrderService;
  dispatcher: OutboxDispatcher;
  close(): Promise<void>;
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

/** A host one can connect to: a wildcard address means this machine. */
function connectableHost(address: AddressInfo): string {
  if (address.address === '0.0.0.0') return '127.0.0.1';
  if (address.address === '::') return '[::1]';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

function isUnder(url: string | undefined, prefix: string): boolean {
  return url === prefix || Boolean(url?.startsWith(`${prefix}/`) || url?.startsWith(`${prefix}?`));
}

export async function startSigner(config: Config, options: SignerOptions = {}): Promise<Signer> {
  const log = options.log ?? createLogger({ secrets: [config.merchantKey, config.apiSecret ?? ''] });
  const now = options.now ?? Date.now;
  const store = await openStore(config);

  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const url = `http://${connectableHost(server.address() as AddressInfo)}:${(server.address() as AddressInfo).port}`;
  const publicUrl = config.publicUrl ?? url;

  const sandbox =
    config.gatewayUrl === null
      ? createSandbox({
          merchantId: config.merchantId,
          merchantKey: config.merchantKey,
          basePath: SANDBOX_PATH,
          publicBaseUrl: config.publicUrl ? `${config.publicUrl}${SANDBOX_PATH}` : undefined,
          retrySchedule: config.sandboxRetrySchedule,
          moneySpanCents: config.sandboxMoneySpanCents,
          log: log.child({ component: 'sandbox' }),
        })
      : undefined;
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
  const streams = new EventStreams(options.heartbeatMs ?? 15_000);
  const orders = new OrderService({
    ...configuredOptions(config, url, publicUrl, sandbox?.inProcess(`${url}${SANDBOX_PATH}`)),
    store,
    publisher,
    log,
    destinations: Object.keys(deliver) as Destination[],
    onEventsWritten: () => dispatcher.kick(),
    now,
  });
  const appHandler = createHandler(config, {
    orders,
    publisher,
    streams,
    log,
    now,
    assets: { distDir: join(ROOT, 'dist'), demoDir: join(ROOT, 'widget', 'demo') },
    selfOrigin: () => new URL(publicUrl).origin,
    health: () => ({
      ok: !store.writeHealth().writesFailing,
      watchers: publisher.watcherCount,
      streams: streams.size,
      sandbox: sandbox !== undefined,
      log: { droppedLines: droppedLogLines() },
      store: store.writeHealth(),
    }),
  });
  const sandboxHandler = sandbox?.app.callback();
  handle = (req, res) => void (sandboxHandler && isUnder(req.url, SANDBOX_PATH) ? sandboxHandler(req, res) : appHandler(req, res));

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

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(sweeper);
      clearInterval(reconciler);
      // Stop accepting, let in-flight requests finish, end the streams that would never finish.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      streams.closeAll();
      // Connections turn idle as their last answers finish: close them as they do, not after keep-alive.
      const idleSweep = setInterval(() => server.closeIdleConnections(), 20);
      const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      server.closeIdleConnections();
      await closed;
      clearInterval(idleSweep);
      clearTimeout(deadline);
      await dispatcher.stop();
      await stopWatchingChanges?.();
      await sandbox?.close();
      await store.close();
    })());

  return { url, publicUrl, store, publisher, orders, dispatcher, close };
}
