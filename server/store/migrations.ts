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
  // The console: every status change of an order (written by triggers, so no write path can miss
  // one; orders from before start with their status then), and the actions taken from the console.
  `CREATE TABLE order_changes (
     seq INTEGER PRIMARY KEY,
     order_id TEXT NOT NULL,
     at INTEGER NOT NULL,
     from_status TEXT,
     to_status TEXT NOT NULL
   ) STRICT;
   CREATE INDEX order_changes_by_order ON order_changes (order_id, at);
   INSERT INTO order_changes (order_id, at, from_status, to_status) SELECT id, updated_at, NULL, status FROM orders;
   CREATE TRIGGER order_created AFTER INSERT ON orders BEGIN
     INSERT INTO order_changes (order_id, at, from_status, to_status) VALUES (NEW.id, NEW.created_at, NULL, NEW.status);
   END;
   CREATE TRIGGER order_status_changed AFTER UPDATE OF status ON orders WHEN OLD.status IS NOT NEW.status BEGIN
     INSERT INTO order_changes (order_id, at, from_status, to_status) VALUES (NEW.id, NEW.updated_at, OLD.status, NEW.status);
   END;
   CREATE INDEX orders_by_status_paid ON orders (status, paid_at);
   CREATE TABLE console_actions (
     id TEXT PRIMARY KEY,
     at INTEGER NOT NULL,
     actor TEXT NOT NULL,
     action TEXT NOT NULL,
     order_id TEXT,
     target TEXT,
     result TEXT NOT NULL,
     detail TEXT NOT NULL
   ) STRICT;
   CREATE INDEX console_actions_by_order ON console_actions (order_id, at);
   ALTER TABLE outbox ADD COLUMN last_answer TEXT;`,
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
  `CREATE TABLE order_changes (
     seq BIGSERIAL PRIMARY KEY,
     order_id TEXT NOT NULL,
     at BIGINT NOT NULL,
     from_status TEXT,
     to_status TEXT NOT NULL
   );
   CREATE INDEX order_changes_by_order ON order_changes (order_id, at);
   INSERT INTO order_changes (order_id, at, from_status, to_status) SELECT id, updated_at, NULL, status FROM orders;
   CREATE FUNCTION codepay_order_changed() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'INSERT' THEN
       INSERT INTO order_changes (order_id, at, from_status, to_status) VALUES (NEW.id, NEW.created_at, NULL, NEW.status);
     ELSIF OLD.status IS DISTINCT FROM NEW.status THEN
       INSERT INTO order_changes (order_id, at, from_status, to_status) VALUES (NEW.id, NEW.updated_at, OLD.status, NEW.status);
     END IF;
     RETURN NULL;
   END $$;
   CREATE TRIGGER order_changed AFTER INSERT OR UPDATE OF status ON orders
     FOR EACH ROW EXECUTE FUNCTION codepay_order_changed();
   CREATE INDEX orders_by_status_paid ON orders (status, paid_at);
   CREATE TABLE console_actions (
     id TEXT PRIMARY KEY,
     at BIGINT NOT NULL,
     actor TEXT NOT NULL,
     action TEXT NOT NULL,
     order_id TEXT,
     target TEXT,
     result TEXT NOT NULL,
     detail TEXT NOT NULL
   );
   CREATE INDEX console_actions_by_order ON console_actions (order_id, at);
   ALTER TABLE outbox ADD COLUMN last_answer TEXT;`,
];
