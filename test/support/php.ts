/** Runs our PHP peers (test/peers/codepay/, written from the CodePay document) as real peers. */
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PEERS_DIR = fileURLToPath(new URL('../peers/codepay/', import.meta.url));

export function runPhp(script: string, args: string[]): string {
  return execFileSync('php', [`${PEERS_DIR}${script}`, ...args], { encoding: 'utf8' });
}

export interface PhpServer {
  /** http://127.0.0.1:PORT */
  url: string;
  close(): Promise<void>;
}

/** `php -S` serving one script, on a port PHP picks, with the given environment. */
export async function startPhpServer(script: string, env: Record<string, string>): Promise<PhpServer> {
  const child = spawn('php', ['-S', '127.0.0.1:0', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /\((http:\/\/127\.0\.0\.1:\d+)\) started/.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`php -S exited (${code}): ${output}`)));
  });
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
