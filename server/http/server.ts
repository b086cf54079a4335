/** The listening side: a node:http server for a Koa app's callback, with the time limits on what clients send. */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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

export interface Listening {
  server: Server;
  /** Where it listens, e.g. http://127.0.0.1:8787 (a wildcard address as this machine's). */
  url: string;
  /** Starts answering with `handler`; until then every request gets 503. */
  serve(handler: (req: Parameters<RequestListener>[0], res: Parameters<RequestListener>[1]) => unknown): void;
}

/** A host one can connect to: a wildcard address means this machine. */
function connectableHost(address: AddressInfo): string {
  if (address.address === '0.0.0.0') return '127.0.0.1';
  if (address.address === '::') return '[::1]';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

/** Listens before the handler exists, so what is built can be told its own URL (port 0 picks one). */
export async function listen(host: string, port: number, limits: ServerLimits): Promise<Listening> {
  let handle: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createHttpServer((req, res) => handle(req, res), limits);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://${connectableHost(address)}:${address.port}`,
    serve: (handler) => void (handle = (req, res) => void handler(req, res)),
  };
}
