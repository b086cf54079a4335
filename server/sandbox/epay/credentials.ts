/**
 * The epay sandbox merchant's documented test credentials: what `GATEWAY=epay npm start` uses when
 * EPAY_PID / EPAY_KEY are not set. Public on purpose; never valid at a real epay site.
 */
export const EPAY_SANDBOX_PID = '1001';
export const EPAY_SANDBOX_KEY = 'epay-sandbox-key-do-not-use-in-production';
