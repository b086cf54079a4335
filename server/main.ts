/** `npm start`: load the configuration, start the signer, stop gracefully on SIGTERM/SIGINT. */
import { ConfigError, loadConfig, type Config } from './config.ts';
import { SANDBOX_PATH } from './gateway.ts';
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
if (gateway.kind === 'sandbox') {
  // A shop that went live in this mode would give its goods away: say so in words.
  banner +=
    '  SANDBOX MODE: payments are simulated and take no money.\n' +
    `  Anyone who can reach ${signer.publicUrl}${SANDBOX_PATH} can mark any order paid without paying.\n` +
    '  Do not sell anything in this mode: set CODEPAY_GATEWAY to sell for real.\n';
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
