/**
 * The signer's HTTP API as the widget calls it (the order routes are in order-api.ts, loaded
 * lazily). A failure rejects with the error answer (a Response) or fetch's own error, untouched:
 * errors.ts reads it, also in the lazily loaded part.
 */
import type { ConfigView } from '../shared/api.ts';

/** Longer than the signer's own gateway timeout, so its answer (GATEWAY_TIMEOUT) arrives first. */
const TIMEOUT_MS = 30_000;

export function request<T>(url: string, init?: RequestInit): Promise<T> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) }).then((response) =>
    response.ok ? response.json() : Promise.reject(response),
  );
}

/** One config request per signer, shared by every element on the page; a failure is not cached. */
const requests: Record<string, Promise<ConfigView>> = {};
/** The answers that have arrived, to render with. */
const configs: Record<string, ConfigView> = {};

export const getConfig = (endpoint: string): Promise<ConfigView> =>
  (requests[endpoint] ??= request<ConfigView>(`${endpoint}/api/config`).then(
    (config) => (configs[endpoint] = config),
    (error: unknown) => {
      delete requests[endpoint];
      throw error;
    },
  ));

/** The signer's configuration, once `getConfig` has it. */
export const configOf = (endpoint: string): ConfigView | undefined => configs[endpoint];
