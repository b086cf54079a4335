/** A gateway's answer as data (status, type, body): the same code answers over HTTP and in-process. */
import type { Context } from 'koa';

export interface GatewayReply {
  status: number;
  type: string;
  body: string;
}

export function sendReply(ctx: Context, reply: GatewayReply): void {
  ctx.status = reply.status;
  ctx.type = reply.type;
  ctx.body = reply.body;
}

/** JSON with HTTP 200, as PHP gateways answer even their refusals. */
export function jsonReply(body: Record<string, unknown>): GatewayReply {
  return { status: 200, type: 'application/json; charset=utf-8', body: JSON.stringify(body) };
}

/** What a broken gateway answers: an HTTP 500 page, or a PHP warning where JSON should be. */
export const HTTP_500: GatewayReply = {
  status: 500,
  type: 'text/html',
  body: '<html><body><h1>500 Internal Server Error</h1></body></html>',
};
export const GARBAGE: GatewayReply = {
  status: 200,
  type: 'text/html',
  body: '<html><body>Warning: mysql_connect(): Too many connections</body></html>',
};
