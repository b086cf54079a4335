/**
 * The sandbox called in-process by the signer that mounts it: the same query strings and the same
 * replies as over HTTP, without two loopback requests and a PNG round trip per order. The QR's
 * payload is what the sandbox draws into the image (the pay page), or nothing under the
 * `unreadableQr` fault. URLs that are not the sandbox's own API go over HTTP as usual.
 */
import { absoluteQrUrl } from '../providers/qr.ts';
import { httpTransport, type GatewayTransport } from '../providers/transport.ts';
import { creatOrder, isPaid } from './gateway.ts';
import { payUrl, type Runtime } from './runtime.ts';

const QR_IMAGE = /^\/qr\/([^/]+)\.png$/;

/** Rejects with the signal's reason (a TimeoutError) if it aborts before the work is done. */
export function before<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const giveUp = () => reject(signal.reason);
    signal.addEventListener('abort', giveUp, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', giveUp));
  });
}

/** `callerBase`: the sandbox's URL as the signer would reach it over HTTP. */
export function inProcessTransport(runtime: Runtime, callerBase: string): GatewayTransport {
  const base = runtime.publicBaseUrl ?? callerBase;
  const schemeless = (url: string) => url.replace(/^[a-z]+:/i, '');
  const prefix = schemeless(base);
  // The path under the sandbox, for URLs of this sandbox (scheme aside: QR URLs are protocol-relative).
  const pathOf = (url: string) => {
    const rest = schemeless(url);
    return rest.startsWith(`${prefix}/`) ? rest.slice(prefix.length) : undefined;
  };
  return {
    async get(url, timeoutMs) {
      const path = pathOf(url);
      const queryAt = path?.indexOf('?') ?? -1;
      const route = queryAt < 0 ? path : path!.slice(0, queryAt);
      const query = queryAt < 0 ? '' : path!.slice(queryAt + 1);
      if (route === '/creat_order' || route === '/creat_order/') {
        const timeout = AbortSignal.timeout(timeoutMs);
        const reply = await before(creatOrder(query, base, runtime, timeout), timeout);
        // 'hang' ends with no answer: at the timeout (`before` has rejected already) or at close.
        if (!reply) throw new Error('the sandbox closed the connection without an answer');
        return { status: reply.status, text: reply.body };
      }
      if (route === '/ispay') return { status: 200, text: isPaid(query, runtime).body };
      return httpTransport.get(url, timeoutMs);
    },
    async readQr(qrcode, gatewayUrl, timeoutMs) {
      const imageUrl = absoluteQrUrl(qrcode, gatewayUrl);
      const orderId = imageUrl && pathOf(imageUrl)?.match(QR_IMAGE)?.[1];
      const order = orderId ? runtime.state.order(orderId) : undefined;
      if (!imageUrl || !order) return httpTransport.readQr(qrcode, gatewayUrl, timeoutMs);
      return { imageUrl, payload: runtime.faults.for(order.payId).unreadableQr ? null : payUrl(base, order.orderId) };
    },
  };
}
