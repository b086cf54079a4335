/** `npm run sandbox`: the sandbox alone, configured by the environment. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { getJson, phpCreateOrderUrl } from '../support/sandbox.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>): Run {
  const child = spawn(`${ROOT}node_modules/.bin/tsx`, ['server/sandbox/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, SANDBOX_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function listeningUrl(sandbox: Run): Promise<string> {
  for (;;) {
    const match = /listening on (http:\/\/\S+)/.exec(sandbox.output());
    if (match) return match[1];
    const exited = await Promise.race([
      sandbox.exited.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), 50)),
    ]);
    if (exited) throw new Error(`the sandbox exited: ${sandbox.output()}`);
  }
}

describe('npm run sandbox', () => {
  it('serves the merchant of CODEPAY_ID / CODEPAY_KEY, prints its URL but never the key, and stops on SIGTERM', async () => {
    const key = 'a-merchant-key-from-the-environment';
    const sandbox = run({ CODEPAY_ID: '20002', CODEPAY_KEY: key, SANDBOX_RETRY_SCHEDULE: '0.1,0.1' });
    const url = await listeningUrl(sandbox);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await getJson(phpCreateOrderUrl(`${url}/creat_order/`, { page: '4' }, key))).toMatchObject({ status: 0 });
    sandbox.child.kill('SIGTERM');
    expect(await sandbox.exited).toBe(0);
    expect(sandbox.output()).not.toContain(key);
  });

  it('stops at once with one line naming a bad setting', async () => {
    const sandbox = run({ SANDBOX_RETRY_SCHEDULE: '1,soon' });
    expect(await sandbox.exited).toBe(1);
    expect(sandbox.output().trim()).toMatch(/^sandbox: SANDBOX_RETRY_SCHEDULE: /);
  });
});
