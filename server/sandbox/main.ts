/**
 * `npm run sandbox`: the sandbox gateway alone, on SANDBOX_HOST:SANDBOX_PORT (default 127.0.0.1:8788).
 * GATEWAY picks which: `codepay` (default) for the merchant CODEPAY_ID / CODEPAY_KEY / CODEPAY_TOKEN,
 * `epay` for EPAY_PID / EPAY_KEY (default: each sandbox's documented test credentials).
 */
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { parseAmount } from '../../shared/money.ts';
import { createApp, withChain } from '../http/app.ts';
import { createHttpServer } from '../http/server.ts';
import { createLogger } from '../log.ts';
import { SANDBOX_MERCHANT_ID, SANDBOX_MERCHANT_KEY, SANDBOX_MERCHANT_TOKEN } from './credentials.ts';
import { createEpaySandbox, EPAY_SANDBOX_KEY, EPAY_SANDBOX_PID } from './epay/index.ts';
import { createSandbox, parseRetrySchedule } from './index.ts';

function fail(message: string): never {
  console.error(`sandbox: ${message}`);
  process.exit(1);
}

function setting<T>(name: string, parse: (text: string) => T, fallback: T): T {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  try {
    return parse(text);
  } catch (error) {
    return fail(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function digits(text: string): string {
  if (!/^\d{1,18}$/.test(text)) throw new TypeError('expected the merchant id, digits');
  return text;
}

function httpUrl(text: string): string {
  if (!/^https?:\/\/[^/]/.test(text)) throw new TypeError('expected an http(s) URL');
  return text;
}

function port(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65535) throw new TypeError('expected a port number from 0 to 65535');
  return value;
}

/** Yuan ("0.10") to cents: how far the sandbox may shift an amount from its price. */
function span(text: string): number {
  const cents = parseAmount(text);
  if (cents === undefined) throw new TypeError('expected an amount in yuan with at most two decimals, e.g. 0.10');
  return cents;
}

function gatewayName(text: string): 'codepay' | 'epay' {
  if (text !== 'codepay' && text !== 'epay') throw new TypeError('expected codepay or epay');
  return text;
}

const host = setting('SANDBOX_HOST', String, '127.0.0.1');
const gateway = setting('GATEWAY', gatewayName, 'codepay');
const publicBaseUrl = setting<string | undefined>('SANDBOX_PUBLIC_URL', httpUrl, undefined);
const retrySchedule = setting('SANDBOX_RETRY_SCHEDULE', parseRetrySchedule, undefined);

/** The sandbox GATEWAY names, its log masking its secrets, and the lines that say how to reach it. */
function open() {
  if (gateway === 'epay') {
    const pid = setting('EPAY_PID', digits, EPAY_SANDBOX_PID);
    const key = setting('EPAY_KEY', String, EPAY_SANDBOX_KEY);
    const log = createLogger({ secrets: [key] });
    return {
      log,
      sandbox: createEpaySandbox({ pid, key, publicBaseUrl, retrySchedule, log }),
      title: 'epay (彩虹易支付) sandbox gateway',
      api: (base: string) => `  mapi.php: ${base}/mapi.php   (pid ${pid}; api.php, submit.php beside it)`,
    };
  }
  const merchantId = setting('CODEPAY_ID', digits, SANDBOX_MERCHANT_ID);
  const merchantKey = setting('CODEPAY_KEY', String, SANDBOX_MERCHANT_KEY);
  const merchantToken = setting('CODEPAY_TOKEN', String, SANDBOX_MERCHANT_TOKEN);
  // JSON lines, as the signer logs, with the key and token masked in every one.
  const log = createLogger({ secrets: [merchantKey, merchantToken] });
  return {
    log,
    sandbox: createSandbox({
      merchantId,
      merchantKey,
      merchantToken,
      publicBaseUrl,
      defaultNotifyUrl: setting<string | undefined>('SANDBOX_NOTIFY_URL', httpUrl, undefined),
      retrySchedule,
      moneySpanCents: setting<number | undefined>('SANDBOX_MONEY_SPAN', span, undefined),
      log,
    }),
    title: 'CodePay sandbox gateway',
    api: (base: string) => `  creat_order: ${base}/creat_order/   (merchant id ${merchantId})`,
  };
}

const { log, sandbox, title, api } = (() => {
  try {
    return open();
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
})();
const { router, close } = sandbox;

// The signer's chain (request ids and log lines, security headers, JSON errors) around the sandbox's routes.
const server = createHttpServer(createApp(withChain(log, [router])).callback(), { requestTimeoutMs: 60_000 });
server.on('error', (error) => fail(`cannot listen on ${host}: ${error.message}`));
server.listen(setting('SANDBOX_PORT', port, 8788), host, () => {
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  console.log(`${title} listening on http://${shown}:${address.port}`);
  console.log(api(`http://${shown}:${address.port}`));
  console.log('  Anyone who can reach this sandbox can mark any of its orders paid without paying: for tests only.');
  console.log('  Its /_control routes (listings, fault switches, reset) answer this machine only.');
  if (address.address === '0.0.0.0' || address.address === '::') {
    // QR codes carry the Host a client used; a phone needs one of these, or SANDBOX_PUBLIC_URL.
    const lan = Object.values(networkInterfaces())
      .flat()
      .filter((net) => net && net.family === 'IPv4' && !net.internal)
      .map((net) => `http://${net!.address}:${address.port}`);
    if (lan.length > 0) console.log(`  on the local network: ${lan.join(', ')}`);
  }
});

async function shutdown(signal: string): Promise<void> {
  console.log(`sandbox: ${signal}, closing`);
  await close();
  server.closeAllConnections();
  server.close(() => process.exit(0));
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
