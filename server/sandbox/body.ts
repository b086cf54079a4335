/**
 * A request body read as UTF-8 text, up to a limit. The sandbox sits below the HTTP layer (whose
 * body parsers it may not import), and its bodies are small: a control switch, a gateway's form.
 */
import type { Context } from 'koa';

export async function readText(ctx: Context, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      // The rest of the body stays unread: the connection cannot carry another request.
      ctx.set('Connection', 'close');
      ctx.throw(413, 'body too large');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
