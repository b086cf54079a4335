/** `GET /api/orders/:id` requests/s at 100 connections, against bare Koa + @koa/router with a fixed JSON. */
import { join } from 'node:path';
import { startServer, type ServerProcess } from '../lib/child.ts';
import type { BenchContext, Figure } from '../lib/figure.ts';
import { throughputFigure } from '../lib/throughput-figure.ts';
import { compare } from '../lib/load.ts';
import { createOrder } from '../lib/signer-client.ts';

const CONNECTIONS = 100;

export async function orderRead(ctx: BenchContext, signer: ServerProcess): Promise<Figure> {
  const bare = await startServer('bare-json', { logFile: join(ctx.workDir, 'bare-json.log') });
  try {
    const order = await createOrder(signer.url, 1);
    const path = `/api/orders/${order.id}`;
    const result = await compare(
      { url: `${signer.url}${path}`, connections: CONNECTIONS, pid: signer.pid },
      { url: `${bare.url}${path}`, connections: CONNECTIONS, pid: bare.pid },
      ctx.quick ? { warmupSeconds: 1, rounds: 1, seconds: 2 } : { warmupSeconds: 3, rounds: 5, seconds: 4 },
    );
    return throughputFigure(result, {
      key: 'order-read',
      figure: '`GET /api/orders/:id` requests/s (100 connections)',
      unit: 'req/s',
      baselineName: 'bare Koa + @koa/router, fixed JSON',
      least: 0.7,
    });
  } finally {
    await bare.stop();
  }
}
