/**
 * One request on the hot lane, answered on plain node:http: what Koa's middleware chain gives
 * every answer (request id, security headers, CORS, JSON refusals, the request's log line), with
 * the headers kept as one flat list handed to writeHead, so no header map is built per answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log.ts';
import { corsDecision, forbiddenOrigin } from '../cors.ts';
import { errorBody, mustCloseAfter, refusalFor } from '../errors.ts';
import { requestIdFor, requestLine } from '../request-log.ts';
import { SECURITY_HEADERS } from '../security.ts';

const FIRST_HEADERS = SECURITY_HEADERS.flat();
const JSON_TYPE = 'application/json; charset=utf-8';

export class Exchange {
  private readonly headers: string[];
  private vary = '';
  private readonly requestId: string;
  private readonly started = performance.now();
  /** Set for answers a flood repeats: their request lines are then counted, not each written. */
  private repeatKind: string | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    /** The URL's path, without the query. */
    private readonly path: string,
    private readonly log: Logger,
  ) {
    this.requestId = requestIdFor(req.headers['x-request-id'] as string | undefined);
    this.headers = ['X-Request-Id', this.requestId, ...FIRST_HEADERS];
  }

  set(name: string, value: string): void {
    this.headers.push(name, value);
  }

  logRepeatsAs(kind: string): void {
    this.repeatKind = kind;
  }

  varyBy(field: string): void {
    this.vary = this.vary ? `${this.vary}, ${field}` : field;
  }

  /**
   * Applies the CORS policy, as the Koa middleware does on /api/ paths. False when that answered
   * the request already (a preflight); throws the refusal of a state-changing call from elsewhere.
   */
  cors(isAllowed: (origin: string) => boolean): boolean {
    const { headers } = this.req;
    this.varyBy('Origin');
    const decision = corsDecision(isAllowed, this.req.method ?? '', headers.origin ?? '', (headers['access-control-request-method'] as string | undefined) ?? '');
    if (decision === 'refuse') throw forbiddenOrigin();
    for (const [name, value] of decision.headers) this.set(name, value);
    if (decision.preflight) this.writeHead(204).end();
    return !decision.preflight;
  }

  /** Sends the head with the headers set so far and `extra` (name, value, …), and logs the answer. */
  writeHead(status: number, extra: readonly string[] = []): ServerResponse {
    if (this.vary) this.headers.push('Vary', this.vary);
    this.res.writeHead(status, extra.length ? this.headers.concat(extra) : this.headers);
    const line = { requestId: this.requestId, ...requestLine(this.req.method ?? '', this.path, status, this.started) };
    if (this.repeatKind) this.log.repeated(this.repeatKind, 'info', 'request', line);
    else this.log.info('request', line);
    return this.res;
  }

  /** A whole answer; a HEAD request gets its head only (node:http leaves the body out). */
  send(status: number, type: string, body: string): void {
    this.writeHead(status, ['Content-Type', type, 'Content-Length', String(Buffer.byteLength(body))]).end(body);
  }

  json(status: number, value: unknown): void {
    this.send(status, JSON_TYPE, JSON.stringify(value));
  }

  /** Answers what a handler threw as a JSON refusal, or ends a response whose head is already out. */
  refuse(caught: unknown): void {
    const error = refusalFor(caught, this.log.child({ requestId: this.requestId }));
    if (this.res.headersSent) {
      this.res.end();
      return;
    }
    this.varyBy('Accept-Language');
    if (error.retryAfterSeconds !== undefined) this.set('Retry-After', String(error.retryAfterSeconds));
    if (mustCloseAfter(this.req)) this.set('Connection', 'close');
    this.json(error.status, errorBody(error, this.req.headers['accept-language']));
  }
}
