/**
 * The signer and the sandbox as separate operating-system processes, as they run in production:
 * started, killed with SIGKILL, restarted on the same data and port. Every child is started in its
 * own process group, so killing it (by its id) also kills whatever it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { watchSecret, witness } from './key-watch.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Child {
  pid: number;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  exited: Promise<number | null>;
  /** Signals the child's whole process group; resolves when the child has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Closes the reading end of its standard output (a reader that went away): its writes there fail with EPIPE. */
  closeStdout(): void;
}

export interface StartOptions {
  /** The folder it runs in: ROOT unless given. */
  cwd?: string;
  /** A file descriptor for the child's standard output (e.g. /dev/full opened), instead of a pipe read into output(). */
  stdout?: number;
}

const children = new Set<Child>();

/** Starts `command args` in ROOT (or `options.cwd`) with the environment given (on top of ours). */
export function startProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  options: StartOptions = {},
): Child {
  const process_: ChildProcess = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  process_.stdout?.on('data', (chunk) => (output += chunk));
  process_.stderr!.on('data', (chunk) => (output += chunk));
  watchSecret(env.CODEPAY_KEY);
  watchSecret(env.API_SECRET);
  const exited = new Promise<number | null>((resolve) =>
    // 'close': the child has exited and everything it printed has been read.
    process_.once('close', (code) => {
      witness(output, `output of ${[command, ...args].join(' ')}`);
      resolve(code);
    }),
  );
  const child: Child = {
    pid: process_.pid!,
    output: () => output,
    exited,
    async kill(signal) {
      if (process_.exitCode === null && process_.signalCode === null) {
        try {
          process.kill(-child.pid, signal);
        } catch {
          // the group is gone already
        }
      }
      await exited;
      children.delete(child);
    },
    closeStdout: () => process_.stdout?.destroy(),
  };
  children.add(child);
  return child;
}

/** SIGKILLs every child still running: for afterAll, so no test leaves a process behind. */
export async function killAll(): Promise<void> {
  await Promise.all([...children].map((child) => child.kill('SIGKILL')));
}

/** A TypeScript entry point run by node itself (one process: a SIGKILL reaches the server). */
export function startTs(script: string, env: Record<string, string>, options: StartOptions = {}): Child {
  return startProcess(process.execPath, ['--import', 'tsx', script], env, options);
}

/**
 * A port nobody listens on right now, for a server that must come back on the same port after a
 * kill. Taken below the kernel's ephemeral range, so that no outgoing connection borrows it while
 * the server is down.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 10_000 + Math.floor(Math.random() * 20_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** Waits for a line of output matching `pattern`; fails if the child exits first or after `timeoutMs`. */
export async function waitForOutput(child: Child, pattern: RegExp, timeoutMs = 15_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => (exited = true));
  for (;;) {
    const match = pattern.exec(child.output());
    if (match) return match;
    if (exited) throw new Error(`the process exited before printing ${pattern}: ${child.output().slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms: ${child.output().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** `npm run sandbox` on a port the system picks; resolves with its base URL. */
export async function startSandboxProcess(env: Record<string, string>): Promise<{ child: Child; url: string }> {
  const child = startProcess('npm', ['run', '--silent', 'sandbox'], { SANDBOX_PORT: '0', ...env });
  const [, url] = await waitForOutput(child, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return { child, url };
}

/** `server/main.ts` (what `npm start` runs after its build); resolves once /healthz answers. */
export async function startSignerProcess(env: Record<string, string>, options: StartOptions = {}): Promise<Child> {
  const child = startTs('server/main.ts', env, options);
  const url = `http://127.0.0.1:${env.PORT}`;
  // Without a pipe on its standard output its start-up lines cannot be read: then /healthz tells.
  if (options.stdout === undefined) await waitForOutput(child, /codepay-checkout signer: /);
  else await waitForHealth(child, url);
  const health = await fetch(`${url}/healthz`);
  if (health.status !== 200) throw new Error(`the signer at ${url} is not healthy: HTTP ${health.status}`);
  return child;
}

/** Polls `url`/healthz until it answers; fails if the child exits first or after `timeoutMs`. */
async function waitForHealth(child: Child, url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`the process exited before answering /healthz: ${child.output().slice(-2000)}`);
    if (
      await fetch(`${url}/healthz`).then(
        () => true,
        () => false,
      )
    )
      return;
    if (Date.now() > deadline)
      throw new Error(`no answer from ${url}/healthz within ${timeoutMs} ms: ${child.output().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
