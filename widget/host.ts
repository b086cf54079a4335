/**
 * What the lazily loaded order flow (flow.ts) sees of its <codepay-checkout> element, and the
 * element's events. The element implements `CheckoutHost` with its public face only, so the flow
 * needs no import of the element's class, and the element's own state stays private.
 */
import type { ReactiveElement } from '@lit/reactive-element';
import type { OrderView } from '../shared/api.ts';
import type { CheckoutErrorDetail } from './errors.ts';

export type CheckoutStatus = 'idle' | 'loading' | 'pending' | 'paid' | 'expired' | 'error';

export interface CheckoutEventMap {
  'codepay-order': CustomEvent<OrderView>;
  'codepay-paid': CustomEvent<OrderView>;
  'codepay-expired': CustomEvent<OrderView>;
  'codepay-error': CustomEvent<CheckoutErrorDetail>;
}

/** The element's attributes, its `status` (the flow sets it), `start()`, and what the flow uses of Lit's element. */
export interface CheckoutHost extends Pick<
  ReactiveElement,
  'isConnected' | 'closest' | 'dispatchEvent' | 'renderRoot' | 'addController' | 'removeController' | 'requestUpdate'
> {
  readonly price?: string;
  readonly product?: string;
  readonly order?: string;
  readonly param?: string;
  readonly endpoint?: string;
  readonly locale?: string;
  status: CheckoutStatus;
  start(): Promise<void>;
}

/** Where the script was loaded from: the signer that serves it, unless `endpoint` says otherwise. */
const SCRIPT_ORIGIN = new URL(import.meta.url).origin;

/** The signer's base URL. */
export const endpointOf = (host: CheckoutHost): string => (host.endpoint || SCRIPT_ORIGIN).replace(/\/+$/, '');

/** Fires one of the element's events, bubbling and composed; false when a cancelable one was canceled. */
export const emit = <K extends keyof CheckoutEventMap>(
  host: CheckoutHost,
  type: K,
  detail: CheckoutEventMap[K]['detail'],
  cancelable?: boolean,
): boolean => host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
