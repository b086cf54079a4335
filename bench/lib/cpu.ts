/**
 * Two cores: servers under load run on core 0, the load generator (this process) on core 1, so
 * neither steals the other's time. Without `taskset` (or with one core) nothing is pinned.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export const SERVER_CPU = '0';
export const LOAD_CPU = '1';

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const canPin = availableParallelism() >= 2 && hasTaskset();

/** The command that runs `command args` on the servers' core. */
export function onServerCore(command: string, args: string[]): [string, string[]] {
  return canPin ? ['taskset', ['-c', SERVER_CPU, command, ...args]] : [command, args];
}

/** Pins this process (the load generator) to its own core. */
export function pinLoadGenerator(): void {
  if (canPin) execFileSync('taskset', ['-a', '-cp', LOAD_CPU, String(process.pid)], { stdio: 'ignore' });
}
