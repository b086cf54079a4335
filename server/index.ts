/**
 * The signer as a library, for merchants who run it inside their own Node process. On its own port:
 *
 *   import { loadConfig, startSigner } from 'codepay-checkout/server';
 *   const signer = await startSigner(loadConfig(), { onPaid: async (event) => fulfil(event.data.order) });
 *
 * or mounted in an existing Koa app, under a prefix and behind the app's own middleware:
 *
 *   const signer = await createSigner(loadConfig());   // PUBLIC_URL=https://shop.example.com/pay
 *   app.use(mount('/pay', signer.middleware));
 */
export { ConfigError, loadConfig, type Config } from './config.ts';
export { createSigner, startSigner, type ListeningSigner, type Signer, type SignerOptions } from './signer.ts';
export { SIGNATURE_HEADER, signatureHeader, verifyWebhook, WebhookSignatureError } from './webhooks/signature.ts';
export type { EventType } from './model/index.ts';
export type { MerchantEvent, RefundEvent } from './outbox/events.ts';
