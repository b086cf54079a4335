/** What every CodePay sandbox route shares: one instance per createSandbox call, never module state. */
import type { Context } from 'koa';
import type { FaultTable } from './faults.ts';
import type { CodePayLabels } from './codepay-notify.ts';
import type { Notifier } from './notifier.ts';
import type { Payment, SandboxState } from './state.ts';

export interface Runtime {
  merchantId: string;
  merchantKey: string;
  merchantToken: string | undefined;
  basePath: string;
  /** The sandbox's public URL, basePath included; when unset, made from the request. */
  publicBaseUrl: string | undefined;
  defaultNotifyUrl: string;
  state: SandboxState;
  faults: FaultTable;
  notifier: Notifier<Payment, CodePayLabels>;
  /** Aborted by close(): ends hanging and slow answers. */
  closing: AbortSignal;
}

/** Where a sandbox is served: enough for its URL. */
export interface SandboxPlace {
  basePath: string;
  publicBaseUrl: string | undefined;
}

/**
 * The sandbox's own URL as the client reached it (so a phone on the LAN gets a reachable address),
 * or the configured public base URL.
 */
export function sandboxUrl(ctx: Context, place: SandboxPlace): string {
  return place.publicBaseUrl ?? `${ctx.protocol}://${ctx.host}${place.basePath}`;
}

/** The buyer's payment page: what the QR code encodes. `base`: the sandbox's URL (sandboxUrl). */
export function payUrl(base: string, orderId: string): string {
  return `${base}/pay/${orderId}`;
}

/** The QR image, protocol-relative (`//host:port/...`) as the real gateway gives it. */
export function qrcodeUrl(base: string, orderId: string): string {
  return `${base.replace(/^[a-z]+:/i, '')}/qr/${orderId}.png`;
}

/** Resolves after ms, or early when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Resolves once the caller has gone or the sandbox closes: the 'hang' fault's answer, which is none. */
export function untilGone(caller: AbortSignal, closing: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const gone = AbortSignal.any([caller, closing]);
    if (gone.aborted) resolve();
    else gone.addEventListener('abort', () => resolve(), { once: true });
  });
}
