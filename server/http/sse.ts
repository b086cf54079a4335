/**
 * Server-Sent Events over a node:http response, with heartbeats, and a registry to close them all
 * at shutdown.
 *
 * A signer may hold thousands of streams, so each one is kept small: it holds the response and
 * its close listeners, nothing of the request that opened it, and one timer sends every stream's heartbeat.
 */
import type { ServerResponse } from 'node:http';

export interface EventStream {
  send(event: string, data: unknown): void;
  close(): void;
  /** Called once when the stream ends, by either side. */
  onClose(listener: () => void): void;
}

/** The head of an event stream (name, value, …), beside the headers every answer has. */
export const EVENT_STREAM_HEADERS: readonly string[] = [
  'Content-Type', 'text/event-stream; charset=utf-8',
  'Cache-Control', 'no-cache, no-transform',
  // nginx and similar proxies buffer responses unless told not to.
  'X-Accel-Buffering', 'no',
];

const RETRY = 'retry: 2000\n\n';

/**
 * node:http keeps a response's head for the response's life (its private `_header`) as it built
 * it: a rope of ~35 concatenated pieces, over 1 KB. Searching a string makes V8 flatten it in
 * place to one ~400-byte string, and the pieces go: a tenth of what a held stream costs.
 */
function compactHead(res: ServerResponse): void {
  const head: unknown = (res as unknown as { _header?: unknown })._header;
  if (typeof head === 'string') head.indexOf('\0');
}
const PING = ': ping\n\n';

class ResponseStream implements EventStream {
  private closed = false;
  private listeners: (() => void) | (() => void)[] | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly forget: (stream: ResponseStream) => void,
  ) {}

  write(text: string): void {
    if (!this.closed) this.res.write(text);
  }

  send(event: string, data: unknown): void {
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.end();
    this.forget(this);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (typeof listeners === 'function') listeners();
    else if (listeners) for (const listener of listeners) listener();
  }

  onClose(listener: () => void): void {
    if (this.listeners === undefined) this.listeners = listener;
    else if (typeof this.listeners === 'function') this.listeners = [this.listeners, listener];
    else this.listeners.push(listener);
  }
}

export class EventStreams {
  private readonly open = new Set<ResponseStream>();
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly forget = (stream: ResponseStream) => {
    this.open.delete(stream);
    if (this.open.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  };

  constructor(private readonly heartbeatMs: number) {}

  get size(): number {
    return this.open.size;
  }

  /** Streams events on `res`, whose head (with EVENT_STREAM_HEADERS) the caller has written. */
  start(res: ServerResponse): EventStream {
    res.socket?.setTimeout(0);
    res.socket?.setNoDelay(true);
    compactHead(res);
    const stream = new ResponseStream(res, this.forget);
    this.open.add(stream);
    this.heartbeat ??= setInterval(() => {
      for (const open of this.open) open.write(PING);
    }, this.heartbeatMs);
    // The response's close (not the request's) tells that the client went away.
    res.once('close', () => stream.close());
    stream.write(RETRY);
    return stream;
  }

  closeAll(): void {
    for (const stream of [...this.open]) stream.close();
  }
}
