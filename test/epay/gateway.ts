/**
 * The epay sandbox served over HTTP on 127.0.0.1 port 0, as a real epay site is reached: for the
 * tests of a signer with EPAY_URL (calls go through fetch, not in-process).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, withChain } from '../../server/http/app.ts';
import { createLogger } from '../../server/log.ts';
import { createEpaySandbox, type EpaySandbox, type EpaySandboxOptions } from '../../server/sandbox/epay/index.ts';
import { watchSecret } from '../support/key-watch.ts';

export const EPAY_PID = '4242';
export const EPAY_KEY = `epay-test-key-${Math.random().toString(36).slice(2)}`;
watchSecret(EPAY_KEY);

export interface RunningEpaySite {
  /** The site's base URL, as EPAY_URL takes it. */
  url: string;
  port: number;
  sandbox: EpaySandbox;
  /** Stops answering: the port refuses connections from now on. */
  close(): Promise<void>;
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

export async function startEpaySite(options: Partial<EpaySandboxOptions> = {}): Promise<RunningEpaySite> {
  const sandbox = createEpaySandbox({ pid: EPAY_PID, key: EPAY_KEY, retrySchedule: [0.1, 0.2], ...options });
  // Its own lines are not the signer's: warnings to stderr, request lines nowhere.
  const log = createLogger({
    secrets: [EPAY_KEY],
    write: (line) => void (line.includes('"level":"info"') || process.stderr.write(`${line}\n`)),
  });
  const server = createServer(createApp(withChain(log, [sandbox.router])).callback());
  const port = await listen(server);
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    sandbox,
    close: () =>
      (closed ??= (async () => {
        await sandbox.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })()),
  };
}

/** A server on `port` that takes connections and never answers: a site that hangs. */
export async function startHangingSite(port: number): Promise<{ close(): Promise<void> }> {
  const server = createServer(() => undefined);
  await listen(server, port);
  return {
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
