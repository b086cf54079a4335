/** The results as a Markdown table (for the README) and JSON, with the machine they ran on. */
import { cpus, totalmem } from 'node:os';
import type { Figure } from './lib/figure.ts';

export interface Machine {
  nproc: number;
  cpu: string;
  memoryGB: number;
  node: string;
  pinned: boolean;
}

export function describeMachine(pinned: boolean): Machine {
  return {
    nproc: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    pinned,
  };
}

function number(value: number | undefined, digits = 0): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  return value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function ours(figure: Figure): string {
  if (figure.key === 'paid-latency') {
    const { p50, p99 } = figure.details as { p50: number; p99: number };
    return `p50 ${number(p50, 1)} ms, p99 ${number(p99, 1)} ms`;
  }
  if (figure.key === 'watchers') {
    const { rssGrowthKBPerWatcher, heapGrowthKBPerWatcher, gotOwnPaidEvent } = figure.details as Record<string, number>;
    return `${number(figure.ours)} held, ${number(rssGrowthKBPerWatcher, 1)} KB each (RSS; ${number(heapGrowthKBPerWatcher, 1)} KB heap), ${number(gotOwnPaidEvent)} got their own \`paid\``;
  }
  const digits = figure.unit.startsWith('KB') || figure.unit.startsWith('ms') ? 1 : 0;
  return `${number(figure.ours, digits)} ${figure.unit}`;
}

function baseline(figure: Figure): string {
  if (figure.baseline === undefined) return figure.baselineName ?? 'none';
  const digits = figure.unit.startsWith('KB') || figure.unit.startsWith('ms') ? 1 : 0;
  return `${number(figure.baseline, digits)} ${figure.unit} (${figure.baselineName})`;
}

export function markdownTable(figures: readonly Figure[], machine: Machine, seconds: number): string {
  const ratio = (f: Figure) =>
    f.ratio === undefined
      ? '—'
      : `${number(f.ratio, 2)}${f.cpuRatio === undefined ? '' : ` (CPU ${number(f.cpuRatio, 2)})`}`;
  const rows = figures.map(
    (f) => `| ${f.figure} | ${ours(f)} | ${baseline(f)} | ${ratio(f)} | ${f.target} | ${f.met ? 'yes' : '**no**'} |`,
  );
  return [
    '| figure | ours | baseline (same run) | ratio | target | met |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'Ratios are ours / baseline, medians of alternating rounds after a warm-up; "CPU" is baseline / ours in server CPU time per answer, ' +
      'the ratio with the core to itself (a throughput target counts as met only when both reach it). KB = 1,024 bytes, gzip level 9.',
    '',
    `Machine: ${machine.nproc} × ${machine.cpu}, ${machine.memoryGB} GB, Node ${machine.node}` +
      `${machine.pinned ? '; servers on core 0, load generator on core 1 (taskset)' : ''}; the run took ${Math.round(seconds)} s.`,
  ].join('\n');
}
