/** The listening side: a node:http server for a Koa app's callback, with the time limits on what clients send. */
import { createServer, type RequestListener, type Server } from 'node:http';

export interface ServerLimits {
  /**
   * How long a client may take to send a request's headers and its whole body (nginx allows 60 s for
   * each); past it the answer is 408 and the connection is closed. Event streams are not cut by it:
   * it ends once the request has arrived.
   */
  requestTimeoutMs: number;
}

export function createHttpServer(handler: RequestListener, { requestTimeoutMs }: ServerLimits): Server {
  return createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
      // How often node looks for requests past those limits (its default, 30 s, would add up to half a minute).
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, requestTimeoutMs / 4)),
    },
    handler,
  );
}
