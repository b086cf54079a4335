/**
 * A real signer (HTTP on 127.0.0.1, a fresh SQLite file) with the real sandbox gateway mounted
 * at /sandbox, as `npm start` runs them. Log lines are kept so tests can read them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../server/config.ts';
import { createLogger } from '../../server/log.ts';
import { startSigner, type Signer, type SignerOptions } from '../../server/signer.ts';
import { watchSecret, witness } from './key-watch.ts';
import { freePort } from './processes.ts';
import { MERCHANT_ID, MERCHANT_KEY, startSandbox, type RunningSandbox } from './sandbox.ts';

export interface Stack {
  signer: Signer;
  config: Config;
  /** The signer's base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** The sandbox gateway's base URL (mounted in the signer). */
  sandboxUrl: string;
  dataDir: string;
  logs: string[];
  /** Stops the signer; keeps the data unless `removeData`. */
  stop(options?: { removeData?: boolean }): Promise<void>;
}

export interface StackOptions extends Omit<SignerOptions, 'log'> {
  env?: Record<string, string>;
  /** Reuse a data folder (a restart on the same data). */
  dataDir?: string;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'codepay-test-'));
  const config = loadConfig(
    {
      PORT: '0',
      DATA_DIR: dataDir,
      SANDBOX_RETRY_SCHEDULE: '0.1,0.2,0.5,1',
      RATE_LIMIT_PER_MINUTE: '100000',
      OPEN_ORDERS_PER_CLIENT: '100000',
      ...options.env,
    },
    dataDir,
  );
  watchSecret(config.gateway.merchantKey);
  watchSecret(config.apiSecret);
  const logs: string[] = [];
  const log = createLogger({
    secrets: [config.gateway.merchantKey],
    write: (line) => {
      logs.push(line);
      witness(line, 'signer log');
    },
  });
  const signer = await startSigner(config, { sweepIntervalMs: 100, ...options, log });
  return {
    signer,
    config,
    url: signer.url,
    sandboxUrl: `${signer.url}/sandbox`,
    dataDir,
    logs,
    async stop({ removeData = false } = {}) {
      await signer.close();
      if (removeData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A signer on a gateway over HTTP (a sandbox of its own, as the real CodePay), so not in sandbox
 * mode; `stop()` stops both.
 */
export async function startStackOnGateway(
  env: Record<string, string> = {},
): Promise<{ stack: Stack; gateway: RunningSandbox; stop(): Promise<void> }> {
  const gateway = await startSandbox();
  const port = String(await freePort());
  const stack = await startStack({
    env: {
      ...env,
      PORT: port,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      CODEPAY_GATEWAY: `${gateway.url}/creat_order/`,
      CODEPAY_ID: MERCHANT_ID,
      CODEPAY_KEY: MERCHANT_KEY,
    },
  });
  return {
    stack,
    gateway,
    async stop() {
      await stack.stop({ removeData: true });
      await gateway.close();
    },
  };
}
