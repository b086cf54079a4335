/** Server-Sent Events over a Koa response, with heartbeats, and a registry to close them all at shutdown. */
import { PassThrough } from 'node:stream';
import type { Context } from 'koa';

export interface EventStream {
  send(event: string, data: unknown): void;
  close(): void;
  /** Called once when the stream ends, by either side. */
  onClose(listener: () => void): void;
}

export class EventStreams {
  private readonly open = new Set<EventStream>();

  constructor(private readonly heartbeatMs: number) {}

  get size(): number {
    return this.open.size;
  }

  start(ctx: Context): EventStream {
    const body = new PassThrough();
    const closeListeners: (() => void)[] = [];
    let closed = false;
    const socket = ctx.req.socket;
    socket.setTimeout(0);
    socket.setNoDelay(true);
    ctx.status = 200;
    ctx.set('Content-Type', 'text/event-stream; charset=utf-8');
    ctx.set('Cache-Control', 'no-cache, no-transform');
    // nginx and similar proxies buffer responses unless told not to.
    ctx.set('X-Accel-Buffering', 'no');
    ctx.body = body;
    body.write('retry: 2000\n\n');

    const heartbeat = setInterval(() => body.write(': ping\n\n'), this.heartbeatMs);
    const stream: EventStream = {
      send: (event, data) => {
        if (!closed) body.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      },
      close: () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        body.end();
        this.open.delete(stream);
        for (const listener of closeListeners) listener();
      },
      onClose: (listener) => closeListeners.push(listener),
    };
    this.open.add(stream);
    // The response's close (not the request's) tells that the client went away.
    ctx.res.on('close', () => stream.close());
    return stream;
  }

  closeAll(): void {
    for (const stream of [...this.open]) stream.close();
  }
}
