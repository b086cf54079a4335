/**
 * Many Server-Sent Events watchers from one process: one plain HTTP connection each (no agent),
 * parsed just enough to see `event: <status>` blocks and when each one arrived.
 */
import { request, type ClientRequest } from 'node:http';

export interface Watcher {
  orderId: string;
  /** performance.now() when each event name first arrived. */
  arrivals: Map<string, number>;
  /** The order id each event's data named, to check nobody got another's event. */
  dataIds: Map<string, string>;
  /** Resolves with the arrival time of `event`; rejects when it has not come within `timeoutMs`. */
  when(event: string, timeoutMs?: number): Promise<number>;
  close(): void;
}

export function watch(baseUrl: string, orderId: string): Promise<Watcher> {
  return new Promise((resolve, reject) => {
    const arrivals = new Map<string, number>();
    const dataIds = new Map<string, string>();
    const waiting = new Map<string, (at: number) => void>();
    let buffer = '';
    const req: ClientRequest = request(`${baseUrl}/api/orders/${orderId}/events`, {
      agent: false,
      headers: { accept: 'text/event-stream' },
    });
    const watcher: Watcher = {
      orderId,
      arrivals,
      dataIds,
      when: (event, timeoutMs = 30_000) => {
        const at = arrivals.get(event);
        if (at !== undefined) return Promise.resolve(at);
        return new Promise((done, fail) => {
          const timer = setTimeout(
            () => fail(new Error(`order ${orderId}: no ${event} event within ${timeoutMs} ms`)),
            timeoutMs,
          );
          waiting.set(event, (arrived) => {
            clearTimeout(timer);
            done(arrived);
          });
        });
      },
      close: () => req.destroy(),
    };
    req.once('error', reject);
    req.once('response', (res) => {
      if (res.statusCode !== 200) return reject(new Error(`SSE ${orderId}: HTTP ${res.statusCode}`));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          if (!event || arrivals.has(event)) continue;
          arrivals.set(event, at);
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (data) dataIds.set(event, (JSON.parse(data) as { id: string }).id);
          waiting.get(event)?.(at);
          waiting.delete(event);
        }
      });
      res.on('error', () => {});
      resolve(watcher);
    });
    req.end();
  });
}

/** Opens one watcher per order, `concurrency` connections being set up at a time. */
export async function watchAll(baseUrl: string, orderIds: readonly string[], concurrency = 100): Promise<Watcher[]> {
  const watchers: Watcher[] = new Array(orderIds.length);
  let next = 0;
  const worker = async () => {
    while (next < orderIds.length) {
      const n = next++;
      watchers[n] = await watch(baseUrl, orderIds[n]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, orderIds.length) }, worker));
  return watchers;
}
