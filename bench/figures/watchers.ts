/**
 * 10,000 SSE watchers held by one signer process: the memory each one costs (RSS after a full GC,
 * before and after they connect), and every one gets its own `paid` event when its order is paid.
 */
import { join } from 'node:path';
import { startServer, type ServerProcess } from '../lib/child.ts';
import type { BenchContext, Figure } from '../lib/figure.ts';
import { freshPayNo, notifyBody, postNotify } from '../lib/signer-client.ts';
import { watchAll, type Watcher } from '../lib/sse-watchers.ts';
import { percentile } from '../lib/stats.ts';
import type { OrderView } from '../../shared/api.ts';

const NOTIFY_CONCURRENCY = 16;
const SETTLE_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function payAll(signerUrl: string, orders: readonly OrderView[]): Promise<number> {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < orders.length) {
      const order = orders[next++];
      if ((await postNotify(signerUrl, notifyBody(order, freshPayNo()))) !== 'success') failed++;
    }
  };
  await Promise.all(Array.from({ length: NOTIFY_CONCURRENCY }, worker));
  return failed;
}

/** RSS and heap growth per open stream, in KB, for streams on `server`. */
async function growthPerStream(
  server: ServerProcess,
  ids: readonly string[],
): Promise<{ rssKB: number; heapKB: number; watchers: Watcher[] }> {
  await sleep(SETTLE_MS);
  const before = await server.memory();
  const watchers = await watchAll(server.url, ids);
  await Promise.all(watchers.map((watcher) => watcher.when('pending')));
  await sleep(SETTLE_MS);
  const during = await server.memory();
  return {
    rssKB: (during.rss - before.rss) / ids.length / 1024,
    heapKB: (during.heapUsed - before.heapUsed) / ids.length / 1024,
    watchers,
  };
}

/** The same count of streams held by plain node:http: what any Node server pays for one. */
async function nodeHttpFloor(ctx: BenchContext, count: number): Promise<{ rssKB: number; heapKB: number }> {
  const bare = await startServer('bare-sse', { logFile: join(ctx.workDir, 'bare-sse.log') });
  try {
    const { rssKB, heapKB, watchers } = await growthPerStream(
      bare,
      Array.from({ length: count }, (_, n) => `floor-${n}`),
    );
    for (const watcher of watchers) watcher.close();
    return { rssKB, heapKB };
  } finally {
    await bare.stop();
  }
}

export async function manyWatchers(
  ctx: BenchContext,
  signer: ServerProcess,
  orders: readonly OrderView[],
): Promise<Figure> {
  const count = orders.length;
  const floor = await nodeHttpFloor(ctx, count);
  const { rssKB, heapKB, watchers } = await growthPerStream(
    signer,
    orders.map((order) => order.id),
  );
  try {
    const started = performance.now();
    const failedNotifies = await payAll(signer.url, orders);
    const outcome = await Promise.all(watchers.map((watcher) => watcher.when('paid'))).catch(() => 'timeout' as const);
    const arrivals = watchers
      .map((watcher) => watcher.arrivals.get('paid'))
      .filter((at): at is number => at !== undefined);
    const own = watchers.filter((watcher) => watcher.dataIds.get('paid') === watcher.orderId).length;
    const everyOne = outcome !== 'timeout' && failedNotifies === 0 && own === count;
    return {
      key: 'watchers',
      figure: 'SSE watchers held by one signer process',
      ours: count,
      unit: 'watchers',
      target: '10,000 at once, memory growth ≤ 10 KB each, every one gets its own `paid` event',
      met: count >= 10_000 && rssKB <= 10 && everyOne,
      baselineName: `none; for context, plain node:http holds one for ${floor.rssKB.toFixed(1)} KB (RSS), ${floor.heapKB.toFixed(1)} KB heap`,
      details: {
        nodeHttpFloor: floor,
        rssGrowthKBPerWatcher: rssKB,
        heapGrowthKBPerWatcher: heapKB,
        gotOwnPaidEvent: own,
        failedNotifies,
        payAllSeconds: (Math.max(...arrivals) - started) / 1000,
        paidArrivalSpreadMs: {
          p50: percentile(
            arrivals.map((at) => at - started),
            50,
          ),
        },
      },
    };
  } finally {
    for (const watcher of watchers) watcher.close();
  }
}
