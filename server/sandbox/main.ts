/**
 * `npm run sandbox`: the sandbox gateway alone, on SANDBOX_HOST:SANDBOX_PORT (default 127.0.0.1:8788),
 * for the merchant CODEPAY_ID / CODEPAY_KEY / CODEPAY_TOKEN (default: the sandbox test credentials);
 * `GATEWAY=vmq npm run sandbox`: the V免签 sandbox, for VMQ_KEY.
 */
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { parseAmount } from '../../shared/money.ts';
import { createApp, withChain } from '../http/app.ts';
import { createHttpServer } from '../http/server.ts';
import { createLogger } from '../log.ts';
import { SANDBOX_MERCHANT_ID, SANDBOX_MERCHANT_KEY, SANDBOX_MERCHANT_TOKEN, SANDBOX_VMQ_KEY } from './credentials.ts';
import { createSandbox, parseRetrySchedule, type Sandbox } from './index.ts';
import { createVmqSandbox } from './vmq/index.ts';

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

function gateway(text: string): 'codepay' | 'vmq' {
  const name = text.trim().toLowerCase();
  if (name !== 'codepay' && name !== 'vmq') throw new TypeError('expected codepay or vmq');
  return name;
}

const host = setting('SANDBOX_HOST', String, '127.0.0.1');
const which = setting('GATEWAY', gateway, 'codepay');
const publicBaseUrl = setting<string | undefined>('SANDBOX_PUBLIC_URL', httpUrl, undefined);
const defaultNotifyUrl = setting<string | undefined>('SANDBOX_NOTIFY_URL', httpUrl, undefined);
const merchantId = setting('CODEPAY_ID', digits, SANDBOX_MERCHANT_ID);
const merchantKey =
  which === 'vmq' ? setting('VMQ_KEY', String, SANDBOX_VMQ_KEY) : setting('CODEPAY_KEY', String, SANDBOX_MERCHANT_KEY);
const merchantToken = setting('CODEPAY_TOKEN', String, SANDBOX_MERCHANT_TOKEN);
// JSON lines, as the signer logs, with the key and token masked in every one.
const log = createLogger({ secrets: [merchantKey, merchantToken] });
const { router, close } = ((): Sandbox => {
  try {
    if (which === 'vmq') return createVmqSandbox({ merchantKey, publicBaseUrl, defaultNotifyUrl, log });
    return createSandbox({
      merchantId,
      merchantKey,
      merchantToken,
      publicBaseUrl,
      defaultNotifyUrl,
      retrySchedule: setting('SANDBOX_RETRY_SCHEDULE', parseRetrySchedule, undefined),
      moneySpanCents: setting<number | undefined>('SANDBOX_MONEY_SPAN', span, undefined),
      log,
    });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
})();

// The signer's chain (request ids and log lines, security headers, JSON errors) around the sandbox's routes.
const server = createHttpServer(createApp(withChain(log, [router])).callback(), { requestTimeoutMs: 60_000 });
server.on('error', (error) => fail(`cannot listen on ${host}: ${error.message}`));
server.listen(setting('SANDBOX_PORT', port, 8788), host, () => {
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const base = `http://${shown}:${address.port}`;
  if (which === 'vmq') {
    console.log(`V免签 sandbox listening on ${base}`);
    console.log(`  a signer uses it with GATEWAY=vmq VMQ_URL=${base} and this VMQ_KEY`);
  } else {
    console.log(`CodePay sandbox gateway listening on ${base}`);
    console.log(`  creat_order: ${base}/creat_order/   (merchant id ${merchantId})`);
  }
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
