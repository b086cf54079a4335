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
