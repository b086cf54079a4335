/**
 * Runs a bench server (bench/servers/*.ts) in its own process on the servers' core, its output
 * to a log file (as a process manager would keep it), and talks to it over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, MemoryReport } from '../servers/announce.ts';
import { onServerCore } from './cpu.ts';

const SERVERS = fileURLToPath(new URL('../servers/', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const ANSWER_TIMEOUT_MS = 120_000;

export interface ServerProcess {
  url: string;
  pid: number;
  /** Memory after a full GC in the server. */
  memory(): Promise<MemoryReport>;
  /** Asks the server one of its own questions (see bench/servers/announce.ts). */
  ask<T>(type: string, fields?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  env?: Record<string, string>;
  /** Where its stdout and stderr go. */
  logFile: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
}

function nextMessage<M extends ChildMessage>(
  child: ChildProcess,
  what: string,
  matches: (message: ChildMessage) => message is M,
  timeoutMs: number,
): Promise<M> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`bench server: no ${what} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: ChildMessage) => matches(message) && done(undefined, message);
    const onExit = (code: number | null) => done(new Error(`bench server exited (${code}) before ${what}`));
    function done(error?: Error, message?: M): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export async function startServer(name: string, options: ServerOptions): Promise<ServerProcess> {
  const log = openSync(options.logFile, 'a');
  const [command, args] = onServerCore(process.execPath, []);
  const child = fork(join(SERVERS, `${name}.ts`), {
    execPath: command,
    execArgv: [...args, '--import', 'tsx', '--expose-gc', ...(options.nodeFlags ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  const { url } = await nextMessage(
    child,
    'ready',
    (m): m is Extract<ChildMessage, { type: 'ready' }> => m.type === 'ready',
    READY_TIMEOUT_MS,
  );
  let questions = 0;
  const ask = async <T>(type: string, fields: Record<string, unknown> = {}): Promise<T> => {
    const id = ++questions;
    const isAnswer = (m: ChildMessage): m is Extract<ChildMessage, { type: 'answer' }> =>
      m.type === 'answer' && m.id === id;
    const answer = nextMessage(child, `an answer to "${type}"`, isAnswer, ANSWER_TIMEOUT_MS);
    child.send({ type, id, ...fields });
    const { value, error } = await answer;
    if (error) throw new Error(`bench server, "${type}": ${error}`);
    return value as T;
  };
  return {
    url,
    pid: child.pid!,
    ask,
    memory: () => ask<MemoryReport>('memory'),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop', id: 0 });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
