/** A small Server-Sent Events reader over fetch, for tests: events arrive in order, one at a time. */
export interface SseEvent {
  event: string;
  data: string;
}

export interface SseClient {
  /** The next event; rejects if the stream ends first or nothing comes within `timeoutMs`. */
  next(timeoutMs?: number): Promise<SseEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
  headers: Headers;
}

export async function openEvents(url: string, init: RequestInit = {}): Promise<SseClient> {
  const abort = new AbortController();
  const response = await fetch(url, {
    ...init,
    signal: abort.signal,
    headers: { accept: 'text/event-stream', ...init.headers },
  });
  if (!response.ok || !response.body) throw new Error(`SSE ${url}: HTTP ${response.status} ${await response.text()}`);
  const queue: SseEvent[] = [];
  const waiting: ((event: SseEvent | undefined) => void)[] = [];
  let done = false;
  const deliver = (event: SseEvent | undefined) => {
    const waiter = waiting.shift();
    if (waiter) waiter(event);
    else if (event) queue.push(event);
  };
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk, { stream: true });
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const fields = { event: 'message', data: [] as string[] };
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) fields.event = line.slice(7);
            else if (line.startsWith('data: ')) fields.data.push(line.slice(6));
          }
          if (fields.data.length > 0) deliver({ event: fields.event, data: fields.data.join('\n') });
        }
      }
    } catch {
      // aborted by close()
    }
    done = true;
    while (waiting.length > 0) deliver(undefined);
  })();
  return {
    headers: response.headers,
    ended,
    close: () => abort.abort(),
    next(timeoutMs = 5_000) {
      const queued = queue.shift();
      if (queued) return Promise.resolve(queued);
      if (done) return Promise.reject(new Error('the stream has ended'));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), timeoutMs);
        waiting.push((event) => {
          clearTimeout(timer);
          if (event) resolve(event);
          else reject(new Error('the stream has ended'));
        });
      });
    },
  };
}
