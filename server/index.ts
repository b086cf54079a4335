/**
 * The signer as a library, for merchants who run it inside their own Node process:
 *
 *   import { loadConfig, createSigner } from 'codepay-checkout/server';
 *   const signer = await createSigner(loadConfig(), { onPaid: async (event) => fulfil(event.data.order) });
 */
export { ConfigError, loadConfig, type Config } from './config.ts';
export { startSigner as createSigner, type Signer, type SignerOptions } from './signer.ts';
export { SIGNATURE_HEADER, signatureHeader, verifyWebhook, WebhookSignatureError } from './webhooks/signature.ts';
export type { EventType, MerchantEvent } from './outbox/events.ts';
