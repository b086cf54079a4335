/**
 * Two signers on one PostgreSQL database: live status crosses instances, a payment sent to both is
 * counted once, and one instance dies while the other carries on.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { settlePayment } from '../../server/orders/settle.ts';
import { openPostgresStore } from '../../server/store/postgres.ts';
import { createOrder, eventually, payAtSandbox, postForm, requestJson } from '../support/http.ts';
import { notifyFor, signedForm } from '../support/notify.ts';
import { startPostgres, type Postgres } from '../support/postgres.ts';
import { freePort, killAll, startSignerProcess, type Child } from '../support/processes.ts';
import { openEvents } from '../support/sse.ts';
import { startStack, type Stack } from '../support/stack.ts';

let postgres: Postgres;
let databaseUrl: string;
let a: { child: Child; url: string };
let b: Stack;

beforeAll(async () => {
  postgres = await startPostgres();
  databaseUrl = await postgres.createDatabase();
  // A: its own operating-system process, so that it can be killed outright.
  const port = await freePort();
  const env = {
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'codepay-a-')),
    RATE_LIMIT_PER_MINUTE: '100000',
  };
  a = { child: await startSignerProcess(env), url: `http://127.0.0.1:${port}` };
  b = await startStack({ env: { DATABASE_URL: databaseUrl } });
});
afterAll(async () => {
  await killAll();
  await b?.stop({ removeData: true });
  await postgres?.stop();
});

const statusAt = async (url: string, id: string) =>
  (await requestJson<OrderView>(`${url}/api/orders/${id}`)).body.status;

describe('two signers, one PostgreSQL', () => {
  it('pushes paid to a watcher on A when the notify reaches B', async () => {
    const order = await createOrder(a.url, { price: '9.90' });
    const events = await openEvents(`${a.url}/api/orders/${order.id}/events`);
    expect((await events.next()).event).toBe('pending');
    expect(await postForm(`${b.url}/api/notify`, signedForm(notifyFor(order)))).toEqual({
      status: 200,
      text: 'success',
    });
    const paid = await events.next();
    expect(paid.event).toBe('paid');
    expect(JSON.parse(paid.data)).toMatchObject({ id: order.id, status: 'paid' });
  });

  it('counts the same pay_no sent to both at once exactly once', async () => {
    const order = await createOrder(b.url, { price: '5.00' });
    const body = signedForm(notifyFor(order));
    const answers = await Promise.all(
      [a.url, b.url, a.url, b.url, a.url, b.url].map((url) => postForm(`${url}/api/notify`, body)),
    );
    expect(answers.every((answer) => answer.text === 'success')).toBe(true);
    expect(await b.signer.store.listPayments({ orderId: order.id })).toHaveLength(1);
    expect(await statusAt(a.url, order.id)).toBe('paid');
  });

  it('re-reads watched orders after its LISTEN connection drops', async () => {
    const order = await createOrder(b.url, { price: '6.00' });
    const events = await openEvents(`${b.url}/api/orders/${order.id}/events`);
    expect((await events.next()).event).toBe('pending');
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      const dropped = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN codepay_orders'`,
      );
      expect(dropped.rowCount).toBeGreaterThanOrEqual(1);
    } finally {
      await admin.end();
    }
    // A third instance commits the payment while B's listener may still be down.
    const other = await openPostgresStore(databaseUrl);
    try {
      const fields = notifyFor(order);
      const payment = { payNo: fields.pay_no, payId: order.id, money: 600, fields, receivedAt: Date.now() };
      await other.recordPayment(payment, (found) => settlePayment(found, payment));
    } finally {
      await other.close();
    }
    expect((await events.next(10_000)).event).toBe('paid');
  });

  it('carries on when the other instance is killed', async () => {
    const before = await createOrder(a.url, { price: '7.00' });
    await a.child.kill('SIGKILL');
    expect(await statusAt(b.url, before.id)).toBe('pending');
    const order = await createOrder(b.url, { price: '8.00' });
    const events = await openEvents(`${b.url}/api/orders/${order.id}/events`);
    expect((await events.next()).event).toBe('pending');
    await payAtSandbox(order.qr!.payload!);
    expect((await events.next()).event).toBe('paid');
    await postForm(`${b.url}/api/notify`, signedForm(notifyFor(before)));
    await eventually(async () => ((await statusAt(b.url, before.id)) === 'paid' ? true : undefined));
  });
});
