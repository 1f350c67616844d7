/**
 * The official RLNAS ranking-correlation convention (`exps/algos/cal_correlation.py`, spec §6):
 * drop architectures whose metric (or ground truth) is NaN, sort the ground truth and the metric
 * in descending order with a STABLE sort (ties keep enumeration order, like Python's
 * `sorted(..., reverse=True)`), turn each order into ranks 1..M, and compute scipy's Kendall tau on
 * the two rank lists. The ranks are unique, so ties in the raw values are broken by enumeration
 * order rather than treated as ties (this is not tau-b on the raw values).
 *
 * @module
 */
import { _argsortStable, _checkSameLength, _hasNaN } from "./_ranks.ts";
import { kendallTau } from "./kendall.ts";

/** Pairs kept after dropping NaN, with their original positions. */
export interface KeptPairs {
  /** The kept entries of the first input. */
  a: Float64Array;
  /** The kept entries of the second input. */
  b: Float64Array;
  /** Original indices of the kept pairs, ascending. */
  kept: Int32Array;
}

/**
 * Drops every pair where either value is NaN (the official script drops architectures with a NaN
 * metric; a NaN ground truth is dropped the same way). Throws a `RangeError` on length mismatch.
 */
export function dropNaNPairs(a: ArrayLike<number>, b: ArrayLike<number>): KeptPairs {
  _checkSameLength(a, b, "dropNaNPairs");
  const kept: number[] = [];
  for (let i = 0; i < a.length; i++) {
    if (!Number.isNaN(a[i]) && !Number.isNaN(b[i])) kept.push(i);
  }
  const k = Int32Array.from(kept);
  return {
    a: Float64Array.from(k, (i) => a[i]),
    b: Float64Array.from(k, (i) => b[i]),
    kept: k,
  };
}

/**
 * Indices of `values` from largest to smallest; equal values keep their input order (stable,
 * `-0 == 0`). Throws a `RangeError` if `values` contains NaN.
 */
export function descendingOrder(values: ArrayLike<number>): Int32Array {
  if (_hasNaN(values)) {
    throw new RangeError("descendingOrder: values contain NaN (drop them with dropNaNPairs)");
  }
  return _argsortStable(values, true);
}

/**
 * Official ranks: `ranks[i]` = 1 + position of entry `i` in {@link descendingOrder} (1 = the
 * largest value; ties ranked by input order, so the ranks are a permutation of 1..n).
 * Throws a `RangeError` if `values` contains NaN.
 */
export function ranks(values: ArrayLike<number>): Int32Array {
  const order = descendingOrder(values);
  const out = new Int32Array(values.length);
  for (let pos = 0; pos < order.length; pos++) out[order[pos]] = pos + 1;
  return out;
}

/**
 * Kendall tau of a metric against the ground truth with the official RLNAS convention: drop pairs
 * where either value is NaN, rank both with {@link ranks} (stable descending, ties by input
 * order), then `scipy.stats.kendalltau(ranks(gt), ranks(metric))`. Returns NaN when fewer than 2
 * pairs remain; throws a `RangeError` on length mismatch.
 */
export function officialKendallTau(
  metric: ArrayLike<number>,
  groundTruth: ArrayLike<number>,
): number {
  const { a: m, b: g } = dropNaNPairs(metric, groundTruth);
  return kendallTau(ranks(g), ranks(m));
}
