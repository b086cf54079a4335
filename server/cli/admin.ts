/** What the admin commands work on: the signer's own store and order service, opened from its configuration. */
import type { Config } from '../config.ts';
import { createLogger } from '../log.ts';
import { StatusPublisher } from '../orders/publisher.ts';
import { configuredOptions, OrderService } from '../orders/service.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/types.ts';

export interface Admin {
  store: Store;
  orders: OrderService;
  close(): Promise<void>;
}

/** Opens the same database a running signer uses (SQLite's WAL, or PostgreSQL, lets both work at once). */
export async function openAdmin(config: Config, writeLog: (line: string) => void): Promise<Admin> {
  const store = await openStore(config);
  // In sandbox mode the gateway is the running signer's own /sandbox.
  const signerUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
  const orders = new OrderService({
    ...configuredOptions(config, signerUrl, signerUrl),
    store,
    publisher: new StatusPublisher(),
    log: createLogger({ secrets: [config.merchantKey], write: writeLog }),
    // Events it writes are delivered by the running signer's outbox.
    destinations: config.webhook ? ['webhook'] : [],
  });
  return { store, orders, close: () => store.close() };
}
