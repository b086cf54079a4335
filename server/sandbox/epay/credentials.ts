/**
 * The epay sandbox merchant's documented test credentials: what `GATEWAY=epay npm run sandbox` and
 * `npm start` use when EPAY_PID / EPAY_KEY are not set. Public on purpose; valid at no real epay site.
 */
export const EPAY_SANDBOX_PID = '1000';
export const EPAY_SANDBOX_KEY = 'EpaySandboxKeyNotForProduction00';
