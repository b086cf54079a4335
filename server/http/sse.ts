/**
 * Server-Sent Events over a Koa response, with heartbeats, and a registry to close them all at shutdown.
 *
 * A signer may hold thousands of streams, so each one is kept small: the stream writes to the
 * Node response itself (no PassThrough piped by Koa), and one timer sends every stream's heartbeat.
 */
import type { ServerResponse } from 'node:http';
import type { Context } from 'koa';

export interface EventStream {
  send(event: string, data: unknown): void;
  close(): void;
  /** Called once when the stream ends, by either side. */
  onClose(listener: () => void): void;
}

const RETRY = 'retry: 2000\n\n';
const PING = ': ping\n\n';

class ResponseStream implements EventStream {
  /** What was sent before the head could go out; undefined once it has. */
  private queued: string | undefined = RETRY;
  private closed = false;
  private listeners: (() => void) | (() => void)[] | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly headOnly: boolean,
    private readonly forget: (stream: ResponseStream) => void,
  ) {}

  /** Sends the head (with every header the middleware set) and what was queued. */
  flush(): void {
    const text = this.queued;
    if (text === undefined) return;
    this.queued = undefined;
    if (this.headOnly) return this.close();
    if (this.res.destroyed) return;
    this.res.write(text);
    if (this.closed) this.res.end();
  }

  write(text: string): void {
    if (this.closed) return;
    if (this.queued !== undefined) this.queued += text;
    else this.res.write(text);
  }

  send(event: string, data: unknown): void {
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Before the head went out, flush() ends the response once it has.
    if (this.queued === undefined) this.res.end();
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

  start(ctx: Context): EventStream {
    const socket = ctx.req.socket;
    socket.setTimeout(0);
    socket.setNoDelay(true);
    ctx.status = 200;
    ctx.set('Content-Type', 'text/event-stream; charset=utf-8');
    ctx.set('Cache-Control', 'no-cache, no-transform');
    // nginx and similar proxies buffer responses unless told not to.
    ctx.set('X-Accel-Buffering', 'no');
    // The stream writes the response itself; Koa leaves it alone.
    ctx.respond = false;
    const stream = new ResponseStream(ctx.res, ctx.method === 'HEAD', this.forget);
    this.open.add(stream);
    this.heartbeat ??= setInterval(() => {
      for (const open of this.open) open.write(PING);
    }, this.heartbeatMs);
    // The response's close (not the request's) tells that the client went away.
    ctx.res.once('close', () => stream.close());
    // The middleware that wraps this route sets its headers once the route returns: the head goes
    // out after that, on the next turn of the event loop, with the events sent meanwhile.
    setImmediate(() => stream.flush());
    return stream;
  }

  closeAll(): void {
    for (const stream of [...this.open]) stream.close();
  }
}
