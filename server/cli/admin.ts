/** What the admin commands work on: the signer's own store and order service, opened from its configuration. */
import { gatewaySecrets, type Config } from '../config.ts';
import { openGateway } from '../gateway.ts';
import { createLogger } from '../log.ts';
import { StatusPublisher } from '../orders/publisher.ts';
import { OrderService } from '../orders/service.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/types.ts';

export interface Admin {
  config: Config;
  store: Store;
  orders: OrderService;
  close(): Promise<void>;
}

/** Where the running signer answers: PUBLIC_URL, or its listening address. */
export function signerUrlOf(config: Config): string {
  return config.publicUrl ?? `http://${config.host}:${config.port}`;
}

/** Opens the same database a running signer uses (SQLite's WAL, or PostgreSQL, lets both work at once). */
export async function openAdmin(config: Config, writeLog: (line: string) => void): Promise<Admin> {
  const store = await openStore(config);
  // In sandbox mode the gateway is the running signer's own /sandbox.
  const signerUrl = signerUrlOf(config);
  const log = createLogger({ secrets: gatewaySecrets(config.gateway), write: writeLog });
  const { provider, livemode } = openGateway(config, { signerUrl, publicUrl: signerUrl, mountSandbox: false, log });
  const orders = new OrderService({
    store,
    provider,
    livemode,
    orderTtlSeconds: config.orderTtlSeconds,
    gatewayTimeoutMs: config.gatewayTimeoutMs,
    publisher: new StatusPublisher(),
    log,
    // Events it writes are delivered by the running signer's outbox.
    destinations: config.webhook ? ['webhook'] : [],
  });
  return { config, store, orders, close: () => store.close() };
}
