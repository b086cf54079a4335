/**
 * The sandbox merchant's documented test credentials: what `npm run sandbox` and `npm start` use when
 * CODEPAY_ID / CODEPAY_KEY / CODEPAY_TOKEN are not set. Public on purpose; never valid at the real gateway.
 */
export const SANDBOX_MERCHANT_ID = '10001';
export const SANDBOX_MERCHANT_KEY = 'sandbox-key-do-not-use-in-production';
/** CodePay's plain-text `token`, the alternative to `sign` on creat_order and the credential of ispay. */
export const SANDBOX_MERCHANT_TOKEN = 'sandbox-token';
/** The V免签 sandbox's communication key (通讯密钥), when VMQ_KEY is not set. */
export const SANDBOX_VMQ_KEY = 'vmq-sandbox-key-do-not-use-in-production';
