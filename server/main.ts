/** `npm start`: load the configuration, start the signer, stop gracefully on SIGTERM/SIGINT. */
import { networkInterfaces } from 'node:os';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { SANDBOX_PATH } from './gateway.ts';
import { productLinks } from './http/links.ts';
import { writeStdout } from './log.ts';
import { startSigner } from './signer.ts';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`codepay-checkout: configuration error: ${error.message}\n`);
  process.exit(1);
}

const signer = await startSigner(config).catch((error: Error & { code?: string }) => {
  // The usual causes: the port is taken, the data folder is not writable, PostgreSQL is down.
  const hint = error.code === 'EADDRINUSE' ? ' (another program uses this port: set PORT)' : '';
  process.stderr.write(`codepay-checkout: could not start: ${error.message}${hint}\n`);
  process.exit(1);
});
const { gateway } = config;
const mode =
  gateway.kind === 'sandbox'
    ? `sandbox gateway at ${signer.publicUrl}${SANDBOX_PATH}`
    : `gateway ${new URL(gateway.url).host}`;
let banner = `\n  codepay-checkout signer: ${signer.publicUrl}/  (${mode})\n`;
banner += linksHint(signer.publicUrl);
if (gateway.kind === 'sandbox') {
  // A shop that went live in this mode would give its goods away: say so in words.
  banner +=
    '  SANDBOX MODE: payments are simulated and take no money.\n' +
    `  Anyone who can reach ${signer.publicUrl}${SANDBOX_PATH} can mark any order paid without paying.\n` +
    '  Do not sell anything in this mode: set CODEPAY_GATEWAY to sell for real.\n';
  banner += phoneHint(new URL(signer.publicUrl));
}

/** A few products' payment links, to share in a chat; the admin CLI lists them all. */
function linksHint(publicUrl: string): string {
  const SHOWN = 3;
  const links = productLinks(publicUrl, config.pricePolicy.products);
  if (links.length === 0) return '';
  const more = links.length > SHOWN ? `    … ${links.length - SHOWN} more: npm run admin -- links\n` : '';
  return (
    '  Payment links:\n' +
    links
      .slice(0, SHOWN)
      .map((link) => `    ${link.url}  (${link.name}, ¥${link.price})\n`)
      .join('') +
    more
  );
}

/**
 * A phone can't reach a loopback address (the QR code's): how to start the signer so one on the
 * same network can, with this machine's addresses there.
 */
function phoneHint(publicUrl: URL): string {
  if (!/^(127\.|localhost$|\[::1\]$)/.test(publicUrl.hostname)) return '';
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((info) => info && info.family === 'IPv4' && !info.internal)
    .map((info) => info!.address);
  if (addresses.length === 0) return '  To pay from a phone, first join a network: this machine is on none.\n';
  const port = publicUrl.port ? `:${publicUrl.port}` : '';
  // The port again only if it was set: it may have been set on this command line alone.
  const setPort = process.env.PORT ? `PORT=${config.port} ` : '';
  return (
    '  To pay from a phone on the same network, start it with:\n' +
    addresses.map((address) => `    ${setPort}HOST=0.0.0.0 PUBLIC_URL=http://${address}${port} npm start\n`).join('')
  );
}

// Through the log's writer: a standard output that fails (EPIPE, a full disk) must not stop the signer.
writeStdout(`${banner}\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    signer.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
