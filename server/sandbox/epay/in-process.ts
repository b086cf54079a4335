/**
 * The epay sandbox called in-process by the signer that mounts it: mapi.php and api.php answer the
 * same bodies as over HTTP, without a loopback request per call. Any other URL goes over HTTP.
 */
import { httpTransport, type GatewayReply as HttpAnswer, type GatewayTransport } from '../../providers/transport.ts';
import { before } from '../in-process.ts';
import type { GatewayReply } from '../reply.ts';
import { mapi } from './create.ts';
import { phpFields } from './fields.ts';
import { api } from './gateway.ts';
import type { EpayRuntime } from './runtime.ts';

/** A call answered in-process, rejecting with a TimeoutError as fetch would when it takes too long. */
async function call(
  answer: (caller: AbortSignal) => Promise<GatewayReply | null>,
  timeoutMs: number,
): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const reply = await before(answer(timeout), timeout);
  // 'hang' ends with no answer: at the timeout (`before` has rejected already) or at close.
  if (!reply) throw new Error('the sandbox closed the connection without an answer');
  return { status: reply.status, text: reply.body };
}

/** `callerBase`: the sandbox's URL as the signer would reach it over HTTP. */
export function epayInProcess(runtime: EpayRuntime, callerBase: string): GatewayTransport {
  const base = runtime.publicBaseUrl ?? callerBase;
  /** [route, query] for a URL of this sandbox, else undefined. */
  const routeOf = (url: string): [string, string] | undefined => {
    if (!url.startsWith(`${base}/`)) return undefined;
    const path = url.slice(base.length);
    const queryAt = path.indexOf('?');
    return queryAt < 0 ? [path, ''] : [path.slice(0, queryAt), path.slice(queryAt + 1)];
  };
  return {
    async get(url, timeoutMs) {
      const route = routeOf(url);
      if (route?.[0] === '/api.php')
        return call((caller) => api(route[1], undefined, base, runtime, caller), timeoutMs);
      return httpTransport.get(url, timeoutMs);
    },
    async post(url, form, timeoutMs) {
      const route = routeOf(url);
      if (route?.[0] === '/mapi.php') return call((caller) => mapi(phpFields(form), base, runtime, caller), timeoutMs);
      if (route?.[0] === '/api.php') return call((caller) => api(route[1], form, base, runtime, caller), timeoutMs);
      return httpTransport.post(url, form, timeoutMs);
    },
    readQr: (qrcode, gatewayUrl, timeoutMs) => httpTransport.readQr(qrcode, gatewayUrl, timeoutMs),
  };
}
