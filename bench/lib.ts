/**
 * What every benchmark script shares and that needs no mesref app: checks of the command-line options, the
 * seeded generator, medians and percentiles, and the description of the machine. (What the benches that
 * start mesref share is in lib-app.ts.)
 */

import { cpus, loadavg } from 'node:os';

// ── options ─────────────────────────────────────────────────────────────────────────────────────────────

/** Throws unless every option (named without its dashes) is a whole number ≥ 1. */
export function positiveIntegers(options: Record<string, number>): void {
  for (const [name, value] of Object.entries(options)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  }
}

/** Throws unless every option (named without its dashes) is a whole number ≥ 0. */
export function nonNegativeIntegers(options: Record<string, number>): void {
  for (const [name, value] of Object.entries(options)) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be an integer ≥ 0`);
  }
}

/** Throws unless `--seed` is a whole number. */
export function checkSeed(seed: number): void {
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
}

/** Throws unless `--warmup-ms` is a number ≥ 0. */
export function checkWarmupMs(warmupMs: number): void {
  if (!Number.isFinite(warmupMs) || warmupMs < 0) throw new Error('--warmup-ms must be a number ≥ 0');
}

// ── numbers ─────────────────────────────────────────────────────────────────────────────────────────────

export const DAY = 86_400_000;

/** mulberry32: a small seeded generator, so that a corpus is the same on every run. */
export function random(seedValue: number): () => number {
  let state = seedValue >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The nearest-rank quantile of sorted values: the smallest one with at least a share `q` at or below it. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** The median, the mean of the two middle values when their number is even. */
export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The nearest-rank median (`quantile` at 0.5): the lower of the two middle values when their number is even. */
export function rankMedian(xs: number[]): number {
  return quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
}

/** A share as a percentage with one decimal: `41.3 %`. */
export const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

// ── the machine ─────────────────────────────────────────────────────────────────────────────────────────

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  loadAverage: number[];
}

/** The machine a bench runs on, with its load average now. */
export function machine(): Machine {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    node: process.version,
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
  };
}

/** `node v20…, 2 cores (model), load average 0.5 0.4 0.3`: the second line of a report. */
export const machineLine = (m: Machine): string =>
  `node ${m.node}, ${m.cores} cores (${m.cpu}), load average ${m.loadAverage.join(' ')}`;

/**
 * Warns when the load average is above the number of cores: other work shares the machine. `consequence`
 * says what that does to the bench's figures.
 */
export function warnIfBusy(consequence?: string): void {
  const cores = cpus().length;
  if (loadavg()[0] > cores) {
    console.log(
      `warning: load average ${loadavg()[0].toFixed(1)} on ${cores} cores: other work shares the machine` +
        (consequence ? `, ${consequence}` : ''),
    );
  }
}
