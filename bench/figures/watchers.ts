/**
 * 10,000 SSE watchers held by one signer process: the memory each one costs (RSS after a full GC,
 * before and after they connect), and every one gets its own `paid` event when its order is paid.
 */
import type { ServerProcess } from '../lib/child.ts';
import type { BenchContext, Figure } from '../lib/figure.ts';
import { freshPayNo, notifyBody, postNotify } from '../lib/signer-client.ts';
import { watchAll } from '../lib/sse-watchers.ts';
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

export async function manyWatchers(_ctx: BenchContext, signer: ServerProcess, orders: readonly OrderView[]): Promise<Figure> {
  const count = orders.length;
  await sleep(SETTLE_MS);
  const before = await signer.memory();
  const watchers = await watchAll(signer.url, orders.map((order) => order.id));
  try {
    await Promise.all(watchers.map((watcher) => watcher.when('pending')));
    await sleep(SETTLE_MS);
    const during = await signer.memory();
    const perWatcher = (during.rss - before.rss) / count;
    const started = performance.now();
    const failedNotifies = await payAll(signer.url, orders);
    const deadline = sleep(30_000).then(() => 'timeout' as const);
    const outcome = await Promise.race([Promise.all(watchers.map((watcher) => watcher.when('paid'))), deadline]);
    const arrivals = watchers.map((watcher) => watcher.arrivals.get('paid')).filter((at): at is number => at !== undefined);
    const own = watchers.filter((watcher) => watcher.dataIds.get('paid') === watcher.orderId).length;
    const everyOne = outcome !== 'timeout' && failedNotifies === 0 && own === count;
    const kb = perWatcher / 1024;
    return {
      key: 'watchers',
      figure: 'SSE watchers held by one signer process',
      ours: count,
      unit: 'watchers',
      target: '10,000 at once, memory growth ≤ 10 KB each, every one gets its own `paid` event',
      met: count >= 10_000 && kb <= 10 && everyOne,
      details: {
        rssGrowthKBPerWatcher: kb,
        heapGrowthKBPerWatcher: (during.heapUsed - before.heapUsed) / count / 1024,
        rssBeforeMB: before.rss / 2 ** 20,
        rssWithWatchersMB: during.rss / 2 ** 20,
        gotOwnPaidEvent: own,
        failedNotifies,
        payAllSeconds: (Math.max(...arrivals) - started) / 1000,
        paidArrivalSpreadMs: { p50: percentile(arrivals.map((at) => at - started), 50) },
      },
    };
  } finally {
    for (const watcher of watchers) watcher.close();
  }
}
