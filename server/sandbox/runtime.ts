/** What every sandbox route shares: one instance per createSandbox call, never module state. */
import type { Context } from 'koa';
import type { FaultTable } from './faults.ts';
import type { Notifier } from './notifier.ts';
import type { SandboxState } from './state.ts';

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
  notifier: Notifier;
  /** Aborted by close(): ends hanging and slow answers. */
  closing: AbortSignal;
}

/**
 * The sandbox's own URL as the client reached it (so a phone on the LAN gets a reachable address),
 * or the configured public base URL.
 */
export function sandboxUrl(ctx: Context, runtime: Runtime): string {
  return runtime.publicBaseUrl ?? `${ctx.protocol}://${ctx.host}${runtime.basePath}`;
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
