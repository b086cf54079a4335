/** The table line of a throughput comparison: ours / baseline in answers/s and in CPU time. */
import { ratioOf, throughputMet, type Figure } from './figure.ts';
import type { Comparison } from './load.ts';

export interface ThroughputLine {
  key: string;
  figure: string;
  unit: string;
  baselineName: string;
  /** The least ratio that meets the target, e.g. 0.75. */
  least: number;
  details?: Record<string, unknown>;
}

export function throughputFigure(result: Comparison, line: ThroughputLine): Figure {
  const ratio = ratioOf(result.ours, result.baseline);
  const cpuRatio = ratioOf(result.baselineCpuMs, result.oursCpuMs);
  return {
    key: line.key,
    figure: line.figure,
    ours: result.ours,
    unit: line.unit,
    baseline: result.baseline,
    baselineName: line.baselineName,
    ratio,
    cpuRatio,
    target: `≥ ${line.least} × baseline`,
    met: throughputMet(ratio, cpuRatio, line.least),
    details: {
      ...line.details,
      oursCpuMsPerAnswer: result.oursCpuMs,
      baselineCpuMsPerAnswer: result.baselineCpuMs,
      oursRounds: result.oursRounds,
      baselineRounds: result.baselineRounds,
    },
  };
}
