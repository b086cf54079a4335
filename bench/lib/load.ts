/**
 * Throughput with autocannon: a warm-up, then rounds that alternate between our server and its
 * baseline (so drift hits both alike), and the median of each side's rounds.
 */
import autocannon from 'autocannon';
import { cpuSeconds } from './proc.ts';
import { median } from './stats.ts';

export type LoadTarget = Pick<autocannon.Options, 'url' | 'method' | 'body' | 'headers' | 'requests'> & {
  connections: number;
  /** The server's process, to weigh each request in CPU time. */
  pid?: number;
};

export interface Round {
  /** Successful (2xx) answers per second. */
  rps: number;
  failed: number;
  p50: number;
  p99: number;
  /** The server's CPU time per successful answer, in ms. */
  cpuMs: number;
}

export interface Comparison {
  ours: number;
  baseline: number;
  /** Median server CPU ms per answer. */
  oursCpuMs: number;
  baselineCpuMs: number;
  oursRounds: Round[];
  baselineRounds: Round[];
}

export interface RoundPlan {
  warmupSeconds: number;
  rounds: number;
  seconds: number;
}

export async function measure({ pid, ...target }: LoadTarget, seconds: number): Promise<Round> {
  const cpuBefore = pid ? cpuSeconds(pid) : Number.NaN;
  const result = await autocannon({ ...target, duration: seconds, timeout: 10 });
  const cpu = pid ? cpuSeconds(pid) - cpuBefore : Number.NaN;
  return {
    cpuMs: (cpu * 1000) / result['2xx'],
    rps: result['2xx'] / result.duration,
    failed: result.non2xx + result.errors,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

export async function compare(ours: LoadTarget, baseline: LoadTarget, plan: RoundPlan): Promise<Comparison> {
  await measure(baseline, plan.warmupSeconds);
  await measure(ours, plan.warmupSeconds);
  const oursRounds: Round[] = [];
  const baselineRounds: Round[] = [];
  for (let round = 0; round < plan.rounds; round++) {
    baselineRounds.push(await measure(baseline, plan.seconds));
    oursRounds.push(await measure(ours, plan.seconds));
  }
  return {
    ours: median(oursRounds.map((r) => r.rps)),
    baseline: median(baselineRounds.map((r) => r.rps)),
    oursCpuMs: median(oursRounds.map((r) => r.cpuMs)),
    baselineCpuMs: median(baselineRounds.map((r) => r.cpuMs)),
    oursRounds,
    baselineRounds,
  };
}
