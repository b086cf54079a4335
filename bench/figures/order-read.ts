/** `GET /api/orders/:id` requests/s at 100 connections, against bare Koa + @koa/router with a fixed JSON. */
import { join } from 'node:path';
import { startServer, type ServerProcess } from '../lib/child.ts';
import { ratioOf, throughputMet, type BenchContext, type Figure } from '../lib/figure.ts';
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
      ctx.quick ? { warmupSeconds: 1, rounds: 1, seconds: 2 } : { warmupSeconds: 3, rounds: 3, seconds: 5 },
    );
    const ratio = ratioOf(result.ours, result.baseline);
    const cpuRatio = ratioOf(result.baselineCpuMs, result.oursCpuMs);
    return {
      key: 'order-read',
      figure: '`GET /api/orders/:id` requests/s (100 connections)',
      ours: result.ours,
      unit: 'req/s',
      baseline: result.baseline,
      baselineName: 'bare Koa + @koa/router, fixed JSON',
      ratio,
      cpuRatio,
      target: '≥ 0.75 × baseline',
      met: throughputMet(ratio, cpuRatio, 0.75),
      details: { oursCpuMsPerAnswer: result.oursCpuMs, baselineCpuMsPerAnswer: result.baselineCpuMs, oursRounds: result.oursRounds, baselineRounds: result.baselineRounds },
    };
  } finally {
    await bare.stop();
  }
}
