/**
 * Notify accepted → `paid` event at an SSE client, with 1,000 clients watching: one watcher per
 * order, then one notify at a time, timed from sending the notify to the watcher's `paid` event.
 */
import type { ServerProcess } from '../lib/child.ts';
import type { BenchContext, Figure } from '../lib/figure.ts';
import { freshPayNo, notifyBody, postNotify } from '../lib/signer-client.ts';
import { watchAll } from '../lib/sse-watchers.ts';
import { percentile } from '../lib/stats.ts';
import type { OrderView } from '../../shared/api.ts';

export const LATENCY_WATCHERS = 1000;

export async function paidLatency(
  ctx: BenchContext,
  signer: ServerProcess,
  orders: readonly OrderView[],
): Promise<Figure> {
  const watchers = await watchAll(
    signer.url,
    orders.map((order) => order.id),
  );
  try {
    await Promise.all(watchers.map((watcher) => watcher.when('pending')));
    const samples: number[] = [];
    const acceptSamples: number[] = [];
    const paid = ctx.quick ? 100 : 400;
    for (let n = 0; n < paid; n++) {
      const order = orders[n];
      const sent = performance.now();
      const answer = await postNotify(signer.url, notifyBody(order, freshPayNo()));
      const accepted = performance.now();
      if (answer !== 'success') throw new Error(`notify answered ${answer}`);
      const arrived = await watchers[n].when('paid');
      samples.push(arrived - sent);
      acceptSamples.push(arrived - accepted);
    }
    const p50 = percentile(samples, 50);
    const p99 = percentile(samples, 99);
    return {
      key: 'paid-latency',
      figure: `notify accepted → \`paid\` event at an SSE client, with ${LATENCY_WATCHERS.toLocaleString('en')} clients watching`,
      ours: p50,
      unit: 'ms (p50)',
      target: 'p50 ≤ 20 ms, p99 ≤ 100 ms',
      met: p50 <= 20 && p99 <= 100,
      details: {
        p50,
        p90: percentile(samples, 90),
        p99,
        max: Math.max(...samples),
        notifies: paid,
        watchers: watchers.length,
        measured: 'from sending the notify POST to the paid event at its watcher',
        // Negative: the event reached its watcher before the notify's `success` reached the gateway.
        eventMinusAnswerMs: { p50: percentile(acceptSamples, 50), p99: percentile(acceptSamples, 99) },
      },
    };
  } finally {
    for (const watcher of watchers) watcher.close();
  }
}
