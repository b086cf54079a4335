/** The store the configuration names: PostgreSQL with DATABASE_URL, else SQLite in DATA_DIR. */
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { openPostgresStore } from './postgres.ts';
import { openSqliteStore } from './sqlite.ts';
import type { Store } from './types.ts';

export function openStore(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Store> {
  return config.databaseUrl ? openPostgresStore(config.databaseUrl) : Promise.resolve(openSqliteStore(join(config.dataDir, 'codepay.sqlite')));
}
