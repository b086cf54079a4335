/** `npm start`: load the configuration, start the signer, stop gracefully on SIGTERM/SIGINT. */
import { ConfigError, loadConfig, type Config } from './config.ts';
import { startSigner } from './signer.ts';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`codepay-checkout: configuration error: ${error.message}\n`);
  process.exit(1);
}

const signer = await startSigner(config);
const mode = config.gatewayUrl === null ? `sandbox gateway at ${signer.publicUrl}/sandbox` : `gateway ${new URL(config.gatewayUrl).host}`;
process.stdout.write(`\n  codepay-checkout signer: ${signer.publicUrl}/  (${mode})\n\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    signer.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
