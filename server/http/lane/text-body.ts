/**
 * A small request body as UTF-8 text, as koa-bodyparser read it: gzip, deflate and br bodies are
 * decoded, the limit counts the decoded bytes, and a byte-order mark is dropped.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createUnzip } from 'node:zlib';
import { ApiError } from '../../errors.ts';

const tooLarge = () => new ApiError('PAYLOAD_TOO_LARGE', 'The request body is too large.');

/** What decodes the body's Content-Encoding, if any; a zlib error on a body that is not what it claims becomes a 400 (errors.ts). */
function decoder(req: IncomingMessage): Transform | undefined {
  const encoding = req.headers['content-encoding'] ?? 'identity';
  switch (encoding) {
    case 'identity':
      return undefined;
    case 'gzip':
    case 'deflate':
      return createUnzip();
    case 'br':
      return createBrotliDecompress();
    default:
      throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'This Content-Encoding is not supported: send the body as it is.');
  }
}

const withoutBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

export function readText(req: IncomingMessage, limit: number): Promise<string> {
  if (Number(req.headers['content-length']) > limit) return Promise.reject(tooLarge());
  let decoding: Transform | undefined;
  try {
    decoding = decoder(req);
  } catch (error) {
    return Promise.reject(error);
  }
  const source: Readable = decoding ? req.pipe(decoding) : req;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (error: unknown) => {
      // Read no more: the refusal closes the connection, as the rest of the body is not read.
      if (decoding) {
        req.unpipe(decoding);
        decoding.destroy();
      }
      req.pause();
      reject(error);
    };
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) fail(tooLarge());
      else chunks.push(chunk);
    });
    source.once('end', () => resolve(withoutBom(Buffer.concat(chunks, size).toString('utf8'))));
    decoding?.once('error', fail);
    // The client went away mid-body: a refusal, as raw-body made it, not a server error to log.
    req.once('error', () => fail(new ApiError('BAD_REQUEST', 'The request body was cut off before its end.')));
  });
}
