/**
 * A JSON request body as koa-bodyparser read it in strict mode: an object or an array at the top
 * (an empty body is {}), and no "__proto__" key anywhere (which @hapi/bourne refused for it).
 */
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../errors.ts';
import { readText } from './text-body.ts';

/** JSON whitespace (RFC 8259), then what opens an object or an array. */
const OBJECT_OR_ARRAY = /^[\x20\x09\x0a\x0d]*[[{]/;
/** A key that may decode to "__proto__" (bourne's test): only then is the parse checked key by key. */
const PROTO_KEY = /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;

const notJson = () => new ApiError('BAD_REQUEST', 'The request body could not be read: send valid JSON.');

function refuseProtoKey(key: string, value: unknown): unknown {
  if (key === '__proto__') throw notJson();
  return value;
}

export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const text = await readText(req, limit);
  if (!text) return {};
  if (!OBJECT_OR_ARRAY.test(text)) throw notJson();
  try {
    return JSON.parse(text, PROTO_KEY.test(text) ? refuseProtoKey : undefined);
  } catch {
    throw notJson();
  }
}
