/**
 * CPU time a process has used (user + system), from /proc: the cost of a request in CPU time is
 * steadier than requests/s on a machine that other work shares.
 */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** Seconds of CPU, or NaN where /proc is not there. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}
