/**
 * Orders created/s through the signer (POST /api/orders: store, signed creat_order, QR resolved)
 * against the in-process sandbox, and the sandbox's creat_order called directly in the same process.
 */
import type { Request } from 'autocannon';
import type { ServerProcess } from '../lib/child.ts';
import type { BenchContext, Figure } from '../lib/figure.ts';
import { throughputFigure } from '../lib/throughput-figure.ts';
import { compare, type LoadTarget } from '../lib/load.ts';
import { preparedSequence } from '../lib/request-pool.ts';
import { creatOrderQuery, spreadPrice } from '../lib/signer-client.ts';

const CONNECTIONS = 16;

function viaSigner({ url, pid }: ServerProcess): LoadTarget {
  let n = 1_000_000;
  const request: Request = {
    method: 'POST',
    path: '/api/orders',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ price: spreadPrice(n++), type: 1 }) }),
  };
  return { url, pid, connections: CONNECTIONS, requests: [request] };
}

function direct({ url, pid }: ServerProcess, prepared: number): LoadTarget {
  const nextPath = preparedSequence(
    (n) =>
      `/sandbox/creat_order/?${creatOrderQuery(`bench-direct-${n}`, spreadPrice(5_000_000 + n), `${url}/api/notify`)}`,
    prepared,
  );
  const request: Request = { method: 'GET', setupRequest: (req) => ({ ...req, path: nextPath() }) };
  return { url, pid, connections: CONNECTIONS, requests: [request] };
}

export async function creations(ctx: BenchContext, signer: ServerProcess): Promise<Figure> {
  const result = await compare(
    viaSigner(signer),
    direct(signer, ctx.quick ? 20_000 : 100_000),
    ctx.quick ? { warmupSeconds: 1, rounds: 1, seconds: 2 } : { warmupSeconds: 2, rounds: 5, seconds: 4 },
  );
  return throughputFigure(result, {
    key: 'create',
    figure: 'orders created/s against the in-process sandbox',
    unit: 'orders/s',
    baselineName: "the sandbox's `creat_order` called directly",
    least: 0.5,
    details: { connections: CONNECTIONS },
  });
}
