/**
 * Request bodies, read by koa-bodyparser (co-body, raw-body): gzip, deflate and br bodies are
 * decoded and the limit counts the decoded bytes; a byte-order mark is dropped; a body cut off by
 * the client is a 400. What it throws is answered by errors.ts.
 */
import bodyParser from 'koa-bodyparser';

const LIMIT = '16kb';

/** JSON in strict mode: an object or an array at the top (an empty body is {}), no "__proto__" key anywhere. */
export const jsonBody = () => bodyParser({ enableTypes: ['json'], jsonLimit: LIMIT, strict: true });

/**
 * A form body kept as its text: the notify is verified over the fields exactly as they were
 * received, so the protocol module parses them, once (koa-bodyparser's own form parsing is not
 * used, hence the form type counted as text).
 */
export const formText = () =>
  bodyParser({ enableTypes: ['text'], textLimit: LIMIT, extendTypes: { text: ['application/x-www-form-urlencoded'] } });
