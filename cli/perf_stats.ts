/**
 * Summaries for `deno task perf`: median and friends of a list of timings, per-kernel aggregation
 * of a `tf.profile` result, the throughput and the tfjs / PyTorch ratio.
 *
 * @module
 */

/** Summary of the timed repetitions of one measurement (milliseconds). */
export interface TimingSummary {
  /** Number of timed repetitions. */
  n: number;
  /** Median (mean of the two middle values for an even count). */
  median: number;
  /** Arithmetic mean. */
  mean: number;
  /** Fastest repetition. */
  min: number;
  /** Slowest repetition. */
  max: number;
}

function _checkTimes(xs: readonly number[], where: string): void {
  if (xs.length === 0) throw new RangeError(`${where}: no timings (got an empty list)`);
  for (const x of xs) {
    if (!Number.isFinite(x)) throw new RangeError(`${where}: timing ${x} is not a finite number`);
  }
}

/** Median of `xs` (mean of the two middle values for an even count); throws on an empty list. */
export function median(xs: readonly number[]): number {
  _checkTimes(xs, "median");
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** {@link TimingSummary} of `xs`; throws `RangeError` on an empty list or non-finite values. */
export function summarize(xs: readonly number[]): TimingSummary {
  _checkTimes(xs, "summarize");
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of xs) {
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { n: xs.length, median: median(xs), mean: sum / xs.length, min, max };
}

/** Images per second of a step of `batch` images taking `ms` milliseconds. */
export function imagesPerSecond(batch: number, ms: number): number {
  if (!(ms > 0) || !Number.isFinite(ms)) {
    throw new RangeError(`imagesPerSecond: step time must be a positive number of ms, got ${ms}`);
  }
  return batch / (ms / 1000);
}

/** tfjs time / PyTorch time (> 1: tfjs is slower). */
export function ratio(tfjsMs: number, torchMs: number): number {
  if (!(torchMs > 0) || !Number.isFinite(torchMs) || !Number.isFinite(tfjsMs)) {
    throw new RangeError(
      `ratio: times must be finite and PyTorch's > 0, got ${tfjsMs}, ${torchMs}`,
    );
  }
  return tfjsMs / torchMs;
}

/** One kernel record of `tf.profile` (the fields used here). */
export interface KernelRecord {
  name: string;
  /** Milliseconds, or an error object when the backend cannot time kernels. */
  kernelTimeMs: number | { error: string };
}

/** Time spent in one kernel type. */
export interface KernelTotal {
  name: string;
  /** Total milliseconds over all calls. */
  ms: number;
  calls: number;
  /** Share of the total kernel time, 0..1. */
  share: number;
}

/**
 * Totals per kernel name, slowest first (ties by name). Untimed kernels (an error instead of a
 * number) count as calls with 0 ms. Nested kernels (a kernel built from other kernels, e.g. the
 * wasm conv gradients) are counted both in themselves and in their parts, as `tf.profile` reports
 * them.
 */
export function aggregateKernels(kernels: readonly KernelRecord[]): KernelTotal[] {
  const by = new Map<string, { ms: number; calls: number }>();
  let total = 0;
  for (const k of kernels) {
    const ms = typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
    total += ms;
    const e = by.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += ms;
    e.calls++;
    by.set(k.name, e);
  }
  return [...by].map(([name, e]) => ({
    name,
    ms: e.ms,
    calls: e.calls,
    share: total > 0 ? e.ms / total : 0,
  })).sort((a, b) => b.ms - a.ms || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A fixed-width table of {@link aggregateKernels} rows (the first `top`). */
export function formatKernelTable(rows: readonly KernelTotal[], top = 25): string {
  const lines = [
    `${"kernel".padEnd(28)} ${"ms".padStart(9)} ${"calls".padStart(6)} ${"share".padStart(6)}`,
  ];
  for (const r of rows.slice(0, top)) {
    lines.push(
      `${r.name.padEnd(28)} ${r.ms.toFixed(1).padStart(9)} ${String(r.calls).padStart(6)} ${
        (100 * r.share).toFixed(1).padStart(5)
      }%`,
    );
  }
  return lines.join("\n");
}
