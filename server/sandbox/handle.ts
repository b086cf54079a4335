/** What every sandbox (CodePay, epay, V免签) hands the signer that mounts it, or `npm run sandbox`. */
import type Router from '@koa/router';
import type { GatewayTransport } from '../providers/transport.ts';

export interface Sandbox {
  /** Every route, under basePath. */
  router: Router;
  basePath: string;
  /**
   * The gateway API called in-process, for the signer that mounts the sandbox: `callerBase` is the
   * sandbox's URL as the signer would reach it over HTTP.
   */
  inProcess(callerBase: string): GatewayTransport;
  /** Stops notify re-sends and in-flight notifies, and ends hanging answers. */
  close(): Promise<void>;
}

/** The handle, its close ending what `closing` guards (hanging answers) and the notifier's sends. */
export function sandboxHandle(
  parts: Omit<Sandbox, 'close'> & { closing: AbortController; notifier: { close(): Promise<void> } },
): Sandbox {
  const { closing, notifier, ...handle } = parts;
  return {
    ...handle,
    async close() {
      closing.abort();
      await notifier.close();
    },
  };
}
