/** The package entry: defines <codepay-checkout> once, even when the script is included twice. */
import { CodepayCheckout } from './codepay-checkout.ts';

export { CodepayCheckout };
export type { CheckoutEventMap, CheckoutStatus } from './host.ts';
export type { CheckoutErrorCode, CheckoutErrorDetail } from './errors.ts';

if (!customElements.get('codepay-checkout')) customElements.define('codepay-checkout', CodepayCheckout);
