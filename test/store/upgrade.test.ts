/**
 * A database made before refunds existed (the schema of the migrations before them, with an order
 * paid in it) is upgraded in place when a store opens it: the order keeps everything, with nothing
 * refunded, and can be refunded.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '../../server/store/migrations.ts';
import { openPostgresStore } from '../../server/store/postgres.ts';
import { openSqliteStore } from '../../server/store/sqlite.ts';
import type { Store } from '../../server/store/types.ts';
import { startPostgres, type Postgres } from '../support/postgres.ts';

/** The migrations before the one that added refunds (the first that names the table). */
const before = (migrations: readonly string[]) =>
  migrations.slice(
    0,
    migrations.findIndex((sql) => sql.includes('refunds')),
  );

const PAID_ORDER = `INSERT INTO orders (id, status, price, money, type, created_at, updated_at, paid_at)
  VALUES ('old-order', 'paid', 990, 989, 1, 1000, 2000, 2000)`;

async function expectUpgraded(store: Store) {
  try {
    expect(await store.getOrder('old-order')).toMatchObject({ status: 'paid', money: 989, paidAt: 2000, refunded: 0 });
    const refund = await store.beginRefund('old-order', () => ({
      id: 'rf_old',
      orderId: 'old-order',
      money: 100,
      actor: 'cli',
      requestKey: null,
      createdAt: 3000,
    }));
    await store.settleRefund(refund!.id, { status: 'succeeded', message: null }, 3000, () => ({}));
    expect(await store.getOrder('old-order')).toMatchObject({ status: 'paid', refunded: 100 });
  } finally {
    await store.close();
  }
}

describe('a database from before refunds', () => {
  it('is upgraded in SQLite', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'codepay-upgrade-')), 'codepay.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT');
    before(SQLITE_MIGRATIONS).forEach((sql, index) => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, 0)').run(index + 1);
    });
    db.exec(PAID_ORDER);
    db.close();
    await expectUpgraded(openSqliteStore(file));
  });

  describe('in PostgreSQL', () => {
    let server: Postgres;
    beforeAll(async () => {
      server = await startPostgres();
    });
    afterAll(() => server.stop());

    it('is upgraded', async () => {
      const url = await server.createDatabase();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
      for (const [index, sql] of before(POSTGRES_MIGRATIONS).entries()) {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations VALUES ($1, 0)', [index + 1]);
      }
      await client.query(PAID_ORDER);
      await client.end();
      await expectUpgraded(await openPostgresStore(url));
    });
  });
});
