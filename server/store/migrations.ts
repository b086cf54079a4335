/** Versioned schema for SQLite; each entry runs once, in order, inside a transaction. */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE orders (
     id TEXT PRIMARY KEY,
     status TEXT NOT NULL,
     price INTEGER NOT NULL,
     money INTEGER,
     type INTEGER NOT NULL,
     product TEXT,
     param TEXT,
     reference TEXT,
     gateway_order_id TEXT,
     qr_payload TEXT,
     qr_image_url TEXT,
     error_code TEXT,
     late INTEGER NOT NULL DEFAULT 0,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     expires_at INTEGER,
     paid_at INTEGER
   ) STRICT;
   CREATE INDEX orders_by_status_expiry ON orders (status, expires_at);
   CREATE INDEX orders_by_status_created ON orders (status, created_at);
   CREATE TABLE payments (
     pay_no TEXT PRIMARY KEY,
     order_id TEXT,
     outcome TEXT NOT NULL,
     money INTEGER,
     fields TEXT NOT NULL,
     received_at INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX payments_by_order ON payments (order_id);`,
  `CREATE TABLE outbox (
     id TEXT NOT NULL,
     destination TEXT NOT NULL,
     type TEXT NOT NULL,
     order_id TEXT,
     payload TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL,
     delivered_at INTEGER,
     given_up_at INTEGER,
     last_error TEXT,
     PRIMARY KEY (id, destination)
   ) STRICT;
   CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND given_up_at IS NULL;
   ALTER TABLE orders ADD COLUMN checked_at INTEGER;`,
  `ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;`,
  `ALTER TABLE orders ADD COLUMN qr_link TEXT;
   ALTER TABLE orders ADD COLUMN qr_enter_amount INTEGER NOT NULL DEFAULT 0;`,
  `ALTER TABLE orders ADD COLUMN refunded INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE refunds (
     id TEXT PRIMARY KEY,
     order_id TEXT NOT NULL,
     money INTEGER NOT NULL,
     status TEXT NOT NULL,
     message TEXT,
     actor TEXT NOT NULL,
     request_key TEXT,
     created_at INTEGER NOT NULL,
     settled_at INTEGER
   ) STRICT;
   CREATE UNIQUE INDEX refunds_by_order_request ON refunds (order_id, request_key);`,
];

/** The same schema for PostgreSQL; times are epoch milliseconds in BIGINT, read back as numbers. */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE orders (
     id TEXT PRIMARY KEY,
     status TEXT NOT NULL,
     price BIGINT NOT NULL,
     money BIGINT,
     type SMALLINT NOT NULL,
     product TEXT,
     param TEXT,
     reference TEXT,
     gateway_order_id TEXT,
     qr_payload TEXT,
     qr_image_url TEXT,
     error_code TEXT,
     late BOOLEAN NOT NULL DEFAULT FALSE,
     created_at BIGINT NOT NULL,
     updated_at BIGINT NOT NULL,
     expires_at BIGINT,
     paid_at BIGINT,
     checked_at BIGINT
   );
   CREATE INDEX orders_by_status_expiry ON orders (status, expires_at);
   CREATE INDEX orders_by_status_created ON orders (status, created_at);
   CREATE TABLE payments (
     pay_no TEXT PRIMARY KEY,
     order_id TEXT,
     outcome TEXT NOT NULL,
     money BIGINT,
     fields JSONB NOT NULL,
     received_at BIGINT NOT NULL
   );
   CREATE INDEX payments_by_order ON payments (order_id);
   CREATE TABLE outbox (
     id TEXT NOT NULL,
     destination TEXT NOT NULL,
     type TEXT NOT NULL,
     order_id TEXT,
     payload TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at BIGINT NOT NULL,
     delivered_at BIGINT,
     given_up_at BIGINT,
     last_error TEXT,
     claimed_until BIGINT,
     PRIMARY KEY (id, destination)
   );
   CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND given_up_at IS NULL;`,
  `ALTER TABLE orders ADD COLUMN qr_link TEXT;
   ALTER TABLE orders ADD COLUMN qr_enter_amount BOOLEAN NOT NULL DEFAULT FALSE;`,
  `ALTER TABLE orders ADD COLUMN refunded BIGINT NOT NULL DEFAULT 0;
   CREATE TABLE refunds (
     id TEXT PRIMARY KEY,
     order_id TEXT NOT NULL,
     money BIGINT NOT NULL,
     status TEXT NOT NULL,
     message TEXT,
     actor TEXT NOT NULL,
     request_key TEXT,
     created_at BIGINT NOT NULL,
     settled_at BIGINT
   );
   CREATE UNIQUE INDEX refunds_by_order_request ON refunds (order_id, request_key);`,
];
