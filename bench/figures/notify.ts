/**
 * Verified, durably stored notifies/s, each with a distinct pay_no, against bare Koa +
 * koa-bodyparser echoing the same form bodies.
 */
import { join } from 'node:path';
import type { Request } from 'autocannon';
import { startServer, type ServerProcess } from '../lib/child.ts';
import type { BenchContext, Figure } from '../lib/figure.ts';
import { throughputFigure } from '../lib/throughput-figure.ts';
import { compare, type LoadTarget } from '../lib/load.ts';
import { preparedSequence } from '../lib/request-pool.ts';
import { createOrders, freshPayNo, notifyBody } from '../lib/signer-client.ts';

const CONNECTIONS = 50;
const ORDERS = 200;

function notifyTarget(
  server: ServerProcess,
  orders: Awaited<ReturnType<typeof createOrders>>,
  prepared: number,
): LoadTarget {
  // A new pay_no each time: a duplicate would be answered without being stored again.
  const nextBody = preparedSequence((n) => notifyBody(orders[n % orders.length], freshPayNo()), prepared);
  const request: Request = {
    method: 'POST',
    path: '/api/notify',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    setupRequest: (req) => ({ ...req, body: nextBody() }),
  };
  return { url: server.url, pid: server.pid, connections: CONNECTIONS, requests: [request] };
}

export async function notifies(ctx: BenchContext, signer: ServerProcess): Promise<Figure> {
  const bare = await startServer('bare-form', { logFile: join(ctx.workDir, 'bare-form.log') });
  try {
    // The first notify of each order pays it; the later ones are extra payments, stored all the same.
    const orders = await createOrders(signer.url, ORDERS);
    const prepared = ctx.quick ? 20_000 : 100_000;
    const result = await compare(
      notifyTarget(signer, orders, prepared),
      notifyTarget(bare, orders, prepared),
      ctx.quick ? { warmupSeconds: 1, rounds: 1, seconds: 2 } : { warmupSeconds: 2, rounds: 5, seconds: 4 },
    );
    return throughputFigure(result, {
      key: 'notify',
      figure: 'verified, durably stored notifies/s (distinct `pay_no`)',
      unit: 'notifies/s',
      baselineName: 'bare Koa + koa-bodyparser echoing the form',
      least: 0.5,
      details: { connections: CONNECTIONS },
    });
  } finally {
    await bare.stop();
  }
}
