/** The admin CLI run as a process (bin/codepay-checkout.js), as a merchant runs it beside a signer. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** For a test that runs the CLI several times: each run loads the TypeScript sources, seconds on a busy machine. */
export const CLI_TIMEOUT_MS = 90_000;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with the signer's settings in `env` (DATA_DIR, PUBLIC_URL, ...) on top of this process's. */
export function runCli(env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/codepay-checkout.js', ...args],
      { cwd: ROOT, env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}
