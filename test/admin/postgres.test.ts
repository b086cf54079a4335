/** The console on a signer whose orders are in PostgreSQL: the same figures, and the database named, not its URL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleClient, startConsoleStack } from '../support/console.ts';
import { createOrder, eventually, payAtSandbox, requestJson } from '../support/http.ts';
import { startPostgres, type Postgres } from '../support/postgres.ts';
import type { Stack } from '../support/stack.ts';

let server: Postgres;
let stack: Stack;
let databaseUrl: string;
beforeAll(async () => {
  server = await startPostgres();
  databaseUrl = await server.createDatabase();
  stack = await startConsoleStack({ env: { DATABASE_URL: databaseUrl } });
});
afterAll(async () => {
  await stack.stop({ removeData: true });
  await server.stop();
});

describe('the console on PostgreSQL', () => {
  it('counts the paid orders, lists them, keeps their history and names the database without its URL', async () => {
    const orders = [await createOrder(stack.url, { price: '1.50' }), await createOrder(stack.url, { price: '2.50' })];
    for (const order of orders) await payAtSandbox(order.qr!.payload!);
    for (const order of orders) {
      await eventually(async () =>
        (await requestJson(`${stack.url}/api/orders/${order.id}`)).body.status === 'paid' ? true : undefined,
      );
    }
    const admin = await consoleClient(stack.url);
    const overview = (await admin.get('overview')).body;
    const cents = orders.reduce((sum, order) => sum + Math.round(Number(order.money) * 100), 0);
    expect(overview.today).toEqual({ takings: (cents / 100).toFixed(2), count: 2 });
    expect(overview.byStatus.paid).toBe(2);
    const table = await admin.get('orders?status=paid&q=' + orders[0].id.slice(0, 8));
    expect(table.body.orders.map((row: { id: string }) => row.id)).toEqual([orders[0].id]);
    const detail = (await admin.get(`orders/${orders[1].id}`)).body;
    expect(detail.history.map((change: { to: string }) => change.to)).toEqual(['creating', 'pending', 'paid']);
    const health = await admin.get('health');
    expect(health.body.database).toBe('postgres');
    expect(JSON.stringify(health.body)).not.toContain(new URL(databaseUrl).host);
  });
});
