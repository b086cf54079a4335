/** The store the configuration names: PostgreSQL with DATABASE_URL, else SQLite in DATA_DIR. */
import { join } from 'node:path';
import { openPostgresStore } from './postgres.ts';
import { openSqliteStore } from './sqlite.ts';
import type { Store } from './types.ts';

export interface StoreLocation {
  /** postgres://… for PostgreSQL; null: SQLite in dataDir. */
  databaseUrl: string | null;
  dataDir: string;
}

export function openStore(config: StoreLocation): Promise<Store> {
  return config.databaseUrl
    ? openPostgresStore(config.databaseUrl)
    : Promise.resolve(openSqliteStore(join(config.dataDir, 'codepay.sqlite')));
}
