/**
 * Server-Sent Events over a node:http response, with heartbeats, caps on how many streams one
 * client address and the whole process hold, a maximum age, and a registry to close them all at
 * shutdown.
 *
 * A signer may hold thousands of streams, so each one is kept small: it holds the response and
 * its close listeners, nothing of the request (or Koa context) that opened it, and one timer sends
 * every stream's heartbeat and ends the streams past their age.
 */
import type { ServerResponse } from 'node:http';
import { ApiError } from '../errors.ts';

export interface EventStream {
  send(event: string, data: unknown): void;
  close(): void;
  /** Called once when the stream ends, by either side. */
  onClose(listener: () => void): void;
}

export interface StreamLimits {
  /** Streams one client address may hold at once. */
  perClient: number;
  /** Streams the process holds at once. */
  total: number;
  /** After this long a stream is ended; the widget's EventSource reconnects and gets the state anew. */
  maxAgeMs: number;
}

/** The head of an event stream (name, value, …), beside the headers every answer has. */
// prettier-ignore
export const EVENT_STREAM_HEADERS: readonly string[] = [
  'Content-Type', 'text/event-stream; charset=utf-8',
  'Cache-Control', 'no-cache, no-transform',
  // nginx and similar proxies buffer responses unless told not to.
  'X-Accel-Buffering', 'no',
];

const RETRY = 'retry: 2000\n\n';
const PING = ': ping\n\n';
/** What a refused client is told to wait, in seconds. */
const RETRY_AFTER_SECONDS = 10;

/**
 * node:http keeps a response's head for the response's life (its private `_header`) as it built
 * it: a rope of ~35 concatenated pieces, over 1 KB. Converting a string to a number makes V8
 * flatten it in place to one ~400-byte string, and the pieces go (the `flatstr` trick). A search
 * does not: Node 20's indexOf walks a rope without flattening it (the heap snapshot kept all 24
 * pieces per stream).
 */
function compactHead(res: ServerResponse): void {
  const head: unknown = (res as unknown as { _header?: unknown })._header;
  if (typeof head === 'string') Number(head);
}

class ResponseStream implements EventStream {
  private closed = false;
  private listeners: (() => void) | (() => void)[] | undefined;

  constructor(
    private readonly res: ServerResponse,
    readonly client: string,
    /** When the heartbeat ends it (epoch ms). */
    readonly endsAt: number,
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
  private readonly perClient = new Map<string, number>();
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly forget = (stream: ResponseStream) => {
    this.open.delete(stream);
    const held = (this.perClient.get(stream.client) ?? 1) - 1;
    if (held > 0) this.perClient.set(stream.client, held);
    else this.perClient.delete(stream.client);
    if (this.open.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  };

  constructor(
    private readonly heartbeatMs: number,
    private readonly limits: StreamLimits,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.open.size;
  }

  /** Throws the refusal (with its Retry-After) when `client` may not open another stream now. */
  admit(client: string): void {
    const full = this.open.size >= this.limits.total;
    if (!full && (this.perClient.get(client) ?? 0) < this.limits.perClient) return;
    const retry = { retryAfterSeconds: RETRY_AFTER_SECONDS };
    throw full
      ? new ApiError(
          'SERVER_BUSY',
          'The server holds as many live status streams as it can. Please try again shortly.',
          retry,
        )
      : new ApiError(
          'TOO_MANY_STREAMS',
          'Too many live status streams from this address. Close some and try again.',
          retry,
        );
  }

  /** Streams events on `res` for `client` (admitted); the caller has written the head, with EVENT_STREAM_HEADERS. */
  start(res: ServerResponse, client: string): EventStream {
    res.socket?.setTimeout(0);
    res.socket?.setNoDelay(true);
    compactHead(res);
    const stream = new ResponseStream(res, client, this.now() + this.limits.maxAgeMs, this.forget);
    this.open.add(stream);
    this.perClient.set(client, (this.perClient.get(client) ?? 0) + 1);
    this.heartbeat ??= setInterval(() => this.beat(), this.heartbeatMs);
    // The response's close (not the request's) tells that the client went away.
    res.once('close', () => stream.close());
    stream.write(RETRY);
    return stream;
  }

  private beat(): void {
    const now = this.now();
    for (const open of this.open) {
      if (now >= open.endsAt) open.close();
      else open.write(PING);
    }
  }

  closeAll(): void {
    for (const stream of [...this.open]) stream.close();
  }
}
