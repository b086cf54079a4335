/** The client's address, as Koa's `ctx.ip` gives it (with `app.proxy` set from TRUST_PROXY). */
import type { IncomingMessage } from 'node:http';

/**
 * Behind a trusted proxy: the first X-Forwarded-For entry (the proxy appends the peer it saw, so
 * the first is the client); otherwise, or without the header, the socket's peer. Never trust the
 * header without TRUST_PROXY: any client can send it.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  // node:http joins repeated X-Forwarded-For lines into one, with commas.
  const forwarded = trustProxy ? (req.headers['x-forwarded-for'] as string | undefined) : undefined;
  const first = forwarded ? forwarded.split(',', 1)[0].trim() : '';
  return first || req.socket.remoteAddress || '';
}
