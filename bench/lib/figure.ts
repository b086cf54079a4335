/** One line of the results table, and what every figure's run receives. */
export interface Figure {
  /** Stable key, e.g. "order-read". */
  key: string;
  figure: string;
  ours: number;
  unit: string;
  /** The baseline measured in the same run, when there is one. */
  baseline?: number;
  baselineName?: string;
  /** ours / baseline. */
  ratio?: number;
  /**
   * For throughput: baseline CPU per answer / ours, what the ratio would be with the server's core
   * to itself. On a machine shared with other work requests/s wander; this does much less.
   */
  cpuRatio?: number;
  target: string;
  met: boolean;
  /** Anything else worth keeping: rounds, percentiles, counts. */
  details: Record<string, unknown>;
}

export interface BenchContext {
  /** A fresh temp folder for this run: data dirs and server logs. */
  workDir: string;
  /** Shorter rounds (BENCH_QUICK=1), for trying the bench itself. */
  quick: boolean;
  log(line: string): void;
}

export function ratioOf(ours: number, baseline: number): number {
  return baseline > 0 ? ours / baseline : Number.NaN;
}

/** A throughput target is met when both the measured ratio and the CPU-time ratio reach it. */
export function throughputMet(ratio: number, cpuRatio: number, floor: number): boolean {
  return ratio >= floor && (Number.isNaN(cpuRatio) || cpuRatio >= floor);
}
